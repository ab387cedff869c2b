// What the request log may not hold: a credential. Redaction goes by what a value looks like, not only by
// the name it comes under — a name can be spelled many ways (`access%5Ftoken`, `access_token[]`, the `=`
// encoded into it) and a token can sit in any parameter or in the path — so every part of a URL is
// percent-decoded before it is judged, and anything token-shaped is replaced.

export const REDACTED = '[REDACTED]';

/**
 * A JWS/JWT: three base64url segments (the signature may be empty, as with `alg: none`), the first a JSON
 * object — `{` then a quote or white space encodes as `ey` or `ew` — which keeps host names and version
 * numbers (`desk.eu-west-1.example`, `1.2.3`) out of it.
 */
const JWT = /e[wy][A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/;
/** One of our refresh tokens: `<uuid>.<base64url secret>`. */
const REFRESH_TOKEN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9_-]{16,}/i;
/** Parameter names whose value is a credential whatever it looks like (after decoding, brackets aside). */
const SECRET_NAME = /^(?:access_token|refresh_token|token)(?:\[.*)?$/i;
/** A value encoded several times over is decoded as often, up to this many rounds. */
const DECODE_ROUNDS = 3;

/** Whether the text, or any percent-decoding of it, holds something shaped like a token. */
export function holdsToken(text: string): boolean {
  return decodings(text).some((decoded) => JWT.test(decoded) || REFRESH_TOKEN.test(decoded));
}

/** The URL with every path segment and query parameter that holds a credential replaced by [REDACTED]. */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const hash = url.indexOf('#');
  const [beforeHash, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  const question = beforeHash.indexOf('?');
  const [path, query] = question < 0 ? [beforeHash, undefined] : [beforeHash.slice(0, question), beforeHash.slice(question + 1)];
  const safePath = path.split('/').map((segment) => (holdsToken(segment) ? REDACTED : segment)).join('/');
  const safeQuery = query === undefined ? '' : `?${query.split('&').map(redactParameter).join('&')}`;
  return `${safePath}${safeQuery}${holdsToken(fragment) ? `#${REDACTED}` : fragment}`;
}

/**
 * A copy of a parsed query, route parameters or headers in which every string holding a token, every value
 * under a credential's name and every key holding a token is replaced by [REDACTED].
 */
export function redactValues(value: unknown): unknown {
  if (typeof value === 'string') return holdsToken(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(redactValues);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (holdsToken(key)) copy[REDACTED] = REDACTED;
    else copy[key] = isSecretName(key) ? REDACTED : redactValues(item);
  }
  return copy;
}

function redactParameter(parameter: string): string {
  const equals = parameter.indexOf('=');
  const name = equals < 0 ? parameter : parameter.slice(0, equals);
  if (holdsToken(name)) return REDACTED;
  if (equals < 0) return parameter;
  return isSecretName(name) || holdsToken(parameter.slice(equals + 1)) ? `${name}=${REDACTED}` : parameter;
}

function isSecretName(name: string): boolean {
  return decodings(name).some((decoded) => SECRET_NAME.test(decoded));
}

/** The text as it is and as each round of percent-decoding (and `+` as a space) makes it. */
function decodings(text: string): string[] {
  const rounds = [text];
  let current = text;
  for (let round = 0; round < DECODE_ROUNDS && current.includes('%'); round += 1) {
    current = current.replace(/\+/g, ' ').replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    rounds.push(current);
  }
  return rounds;
}
