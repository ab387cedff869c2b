// The app's API as the scenarios that act as several people call it: sign-ups, sign-ins, JSON calls that
// throw on anything but a 2xx (a failed call is a failed run).

export interface SignedIn {
  id: string;
  token: string;
}

/** Registers `name`@example.com and signs them in. */
export async function newUser(base: string, name: string): Promise<SignedIn> {
  const email = `${name}@example.com`;
  const password = 'Sturdy-Password-9';
  const { id } = await call<{ id: string }>(base, undefined, 'POST', '/api/v1/auth/register', { email, password, full_name: `Bench ${name}`, employee_id: name.toUpperCase() });
  return { id, token: await signIn(base, email, password) };
}

export async function signIn(base: string, email: string, password: string): Promise<string> {
  return (await call<{ access_token: string }>(base, undefined, 'POST', '/api/v1/auth/login', { email, password })).access_token;
}

export async function call<T = unknown>(base: string, token: string | undefined, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(base + path, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
