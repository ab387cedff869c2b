// Errors that mean "the database cannot be reached right now" (a restart, a failover, a network cut) rather
// than "this request was wrong": the client is told 503 with a Retry-After, never a 500, and the app keeps
// running — the pool replaces broken connections on its own once the server is back.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown: the server is restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '08000', // connection_exception
  '08001',
  '08003',
  '08004',
  '08006',
]);

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection error',
  'timeout exceeded when trying to connect',
  'Connection is not established',
  'the database system is',
  'terminating connection due to administrator command',
];

/** True when `error` (or the driver error TypeORM wrapped) says the database is out of reach. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 4; depth++) {
    const { code, message, driverError } = cause as { code?: unknown; message?: unknown; driverError?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((text) => message.includes(text))) return true;
    cause = driverError ?? (cause as { cause?: unknown }).cause;
  }
  return false;
}
