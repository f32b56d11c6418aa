/**
 * Who is signed in on this browser: a random session id in an HttpOnly, SameSite=Lax cookie (`Secure` and the
 * `__Host-` prefix behind TLS), mapped in memory to the person's name. The person's grant is read from users.json
 * on every request, so `users remove` or a narrowed grant takes effect at once. Sessions live in this process only:
 * a restart signs everyone out (their connected clients keep working: those hold tokens, not sessions).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendSetCookie, clearCookie, cookieName, parseCookies, serializeCookie, type CookieSecurity } from '../web/cookies.js';
import type { UserStore } from './users.js';

/** What the web pages know about the signed-in person; `connection: '*'` means every connection. */
export interface WebUser {
  name: string;
  manageConnections: boolean;
  grants: { connection: string; mode: 'test' | 'live' }[];
}

export const SESSION_TTL_MS = 12 * 60 * 60_000;
const MAX_SESSIONS = 10_000;

const digest = (id: string) => createHash('sha256').update(id).digest('hex');

export class WebSessions {
  /** By SHA-256 of the cookie value, so a heap dump or log of this map gives no usable cookie. */
  private readonly sessions = new Map<string, { user: string; expiresAt: number }>();
  readonly cookieName: string;
  private readonly security: CookieSecurity;

  constructor(
    private readonly users: UserStore,
    secure: boolean,
  ) {
    this.security = { secure };
    this.cookieName = cookieName('srmcp_session', this.security);
  }

  /** Starts a session for the person (after a password or a link), replacing any this browser had. */
  signIn(req: IncomingMessage, res: ServerResponse, user: string): void {
    this.drop(req);
    if (this.sessions.size >= MAX_SESSIONS) this.sweep(true);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(digest(id), { user, expiresAt: Date.now() + SESSION_TTL_MS });
    appendSetCookie(res, serializeCookie(this.cookieName, id, { ...this.security, maxAge: SESSION_TTL_MS / 1000 }));
  }

  signOut(req: IncomingMessage, res: ServerResponse): void {
    this.drop(req);
    appendSetCookie(res, clearCookie(this.cookieName, this.security));
  }

  /** The signed-in person's name, or undefined. */
  userName(req: IncomingMessage): string | undefined {
    const id = parseCookies(req).get(this.cookieName);
    if (!id) return undefined;
    const session = this.sessions.get(digest(id));
    if (!session) return undefined;
    if (session.expiresAt <= Date.now()) {
      this.sessions.delete(digest(id));
      return undefined;
    }
    return session.user;
  }

  /** A stable id of the signed-in session (a hash of its cookie), for the pages' CSRF tokens; undefined when signed out. */
  sessionId(req: IncomingMessage): string | undefined {
    const id = parseCookies(req).get(this.cookieName);
    return id && this.userName(req) ? digest(id) : undefined;
  }

  async currentUser(req: IncomingMessage): Promise<WebUser | undefined> {
    const name = this.userName(req);
    if (!name) return undefined;
    const user = await this.users.get(name);
    if (!user) return undefined;
    return {
      name: user.name,
      manageConnections: user.manageConnections,
      grants: user.grants.map((g) => ({ connection: g.connection ?? '*', mode: g.mode })),
    };
  }

  private drop(req: IncomingMessage): void {
    const id = parseCookies(req).get(this.cookieName);
    if (id) this.sessions.delete(digest(id));
  }

  private sweep(force: boolean): void {
    const now = Date.now();
    for (const [key, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(key);
    if (force && this.sessions.size >= MAX_SESSIONS) {
      // Oldest first (insertion order): a flood of sign-ins cannot grow memory without bound.
      for (const key of [...this.sessions.keys()].slice(0, MAX_SESSIONS / 10)) this.sessions.delete(key);
    }
  }
}

let active: WebSessions | undefined;

/** Installed by the built-in authorization server when it starts (one per process). */
export function useSessions(sessions: WebSessions | undefined): void {
  active = sessions;
}

/** The signed-in person for a request to the web pages, or undefined (not signed in, or no built-in sign-in). */
export async function currentUser(req: IncomingMessage): Promise<WebUser | undefined> {
  return active?.currentUser(req);
}

/**
 * Failed sign-ins per person and per client address, in a sliding window: a guesser is slowed to a handful of
 * tries per person per quarter hour whatever address it comes from, and one address cannot spray many people.
 */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly perUser = 5,
    private readonly perAddress = 20,
    private readonly windowMs = 15 * 60_000,
  ) {}

  /** Seconds to wait before another try, or 0. */
  retryAfter(user: string, address: string, now = Date.now()): number {
    const wait = (key: string, limit: number) => {
      const recent = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
      this.failures.set(key, recent);
      return recent.length >= limit ? Math.ceil((recent[0]! + this.windowMs - now) / 1000) : 0;
    };
    return Math.max(wait(`user:${user.toLowerCase()}`, this.perUser), wait(`addr:${address}`, this.perAddress));
  }

  fail(user: string, address: string, now = Date.now()): void {
    if (this.failures.size > 50_000) this.failures.clear();
    for (const key of [`user:${user.toLowerCase()}`, `addr:${address}`]) this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
  }
}
