// Who is signed in. Tokens live in localStorage so a new tab stays signed in; the API rotates the refresh
// token on every use, so tabs take turns refreshing (Web Locks) and adopt what another tab stored.
import { useEffect, useState } from 'preact/hooks';
import { api, type User } from './api/client';

const STORAGE_KEY = 'support-desk.session';
/** Renew this long before the access token expires, so a request never leaves with a dying token. */
const RENEW_MARGIN_MS = 30_000;

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_at: number;
}

interface SessionState {
  user: User | null;
  /** Set once the stored session has been checked, so the console does not flash the sign-in page. */
  ready: boolean;
  notice: string | null;
}

type Listener = (state: SessionState) => void;

class Session {
  private state: SessionState = { user: null, ready: false, notice: null };
  private readonly listeners = new Set<Listener>();
  private refreshing: Promise<string | null> | null = null;

  constructor() {
    // Signing out in one tab signs out every tab.
    addEventListener('storage', (event) => {
      if (event.key === STORAGE_KEY && event.newValue === null && this.state.user) this.set({ user: null });
    });
  }

  get current(): SessionState {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async restore(): Promise<void> {
    if (!this.tokens()) return this.set({ ready: true });
    const { data } = await api.GET('/api/v1/users/me');
    this.set({ user: data ?? null, ready: true });
  }

  async signIn(email: string, password: string): Promise<{ error?: unknown }> {
    const { data, error } = await api.POST('/api/v1/auth/login', { body: { username: email, password } });
    if (!data) return { error };
    this.store(data);
    const me = await api.GET('/api/v1/users/me');
    if (!me.data) return { error: me.error };
    this.set({ user: me.data, notice: null, ready: true });
    return {};
  }

  async signOut(): Promise<void> {
    await api.POST('/api/v1/auth/logout').catch(() => undefined);
    this.end(null);
  }

  end(notice: string | null): void {
    localStorage.removeItem(STORAGE_KEY);
    if (this.state.user || notice !== this.state.notice) this.set({ user: null, notice });
  }

  /** An access token good for the next request, renewed first when it is about to expire. */
  async freshAccessToken(): Promise<string | null> {
    const tokens = this.tokens();
    if (!tokens) return null;
    if (tokens.expires_at - Date.now() > RENEW_MARGIN_MS) return tokens.access_token;
    this.refreshing ??= this.refresh(tokens).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async refresh(stale: Tokens): Promise<string | null> {
    const renew = async (): Promise<string | null> => {
      const latest = this.tokens();
      if (!latest) return null;
      if (latest.access_token !== stale.access_token) return latest.access_token; // another tab renewed it
        const { data } = await api.POST('/api/v1/auth/refresh', { body: { refresh_token: latest.refresh_token } });
      if (!data) {
        this.end('Your session has ended — please sign in again.');
        return null;
      }
      this.store(data);
      return data.access_token;
    };
    return navigator.locks ? navigator.locks.request('support-desk.refresh', renew) : renew();
  }

  private tokens(): Tokens | null {
    try {
      const raw = localStorage.getItem(STORAGE_KEY);
      return raw ? (JSON.parse(raw) as Tokens) : null;
    } catch {
      return null;
    }
  }

  private store(token: { access_token: string; refresh_token: string; expires_in: number }): void {
    const tokens: Tokens = { access_token: token.access_token, refresh_token: token.refresh_token, expires_at: Date.now() + token.expires_in * 1000 };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  }

  private set(change: Partial<SessionState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener(this.state);
  }
}

export const session = new Session();

export function useSession(): SessionState {
  const [state, setState] = useState(session.current);
  useEffect(() => session.subscribe(setState), []);
  return state;
}

export function isStaff(user: User | null): boolean {
  return user?.role === 'support' || user?.role === 'admin';
}
