/**
 * The connections page served the way the built-in sign-in mounts it, but with a fixed signed-in person, so the
 * HTTP tests reach every path quickly: a node:http server, a session cookie handed out on the first request, the
 * real ConnectionManager on a temporary home with the encrypted file store, and the emulator as Stripe. The real
 * sign-in in front of it is driven in connections-browser.test.ts (and oauth's connections-mount.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionManager } from '../../../src/connections/manager.js';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../../src/emulator/index.js';
import { connectionsPages, type TokenClient, type TokenClientDirectory } from '../../../src/server/http/web/connections-page.js';
import { Csrf, newServerSecret, parseCookies, redirect, serializeCookie, type WebUser } from '../../../src/server/http/web/index.js';
import { restrictedKeyHowTo, toolProbes } from '../../../src/cli/tool-probes.js';
import { makeHome, storeEnv } from '../../connections/helpers.js';

export const OWNER: WebUser = { name: 'owner', manageConnections: true, grants: [] };
export const SESSION_COOKIE = 'test_sid';

/** oauth's client store as the page sees it, in memory. */
export class FakeClients implements TokenClientDirectory {
  constructor(public clients: TokenClient[] = []) {}
  async listClients(): Promise<TokenClient[]> {
    return this.clients.map((c) => ({ ...c }));
  }
  async revokeClient(id: string): Promise<boolean> {
    const before = this.clients.length;
    this.clients = this.clients.filter((c) => c.id !== id);
    return this.clients.length < before;
  }
}

export interface PageServer {
  url: string;
  emulator: EmulatorHandle;
  manager: ConnectionManager;
  clients: FakeClients;
  /** Every line the page logged. */
  logs: string[];
  /** Who the next request is served as. */
  user: WebUser;
  home: string;
  close(): Promise<void>;
}

export async function startPageServer(options: { emulator?: EmulatorOptions; clients?: TokenClient[]; env?: Record<string, string> } = {}): Promise<PageServer> {
  const emulator = await startEmulator({ size: { customers: 12 }, ...options.emulator });
  const tmp = makeHome();
  const manager = new ConnectionManager({ ...storeEnv(tmp.home, emulator.url), ...options.env }, { keyHowTo: restrictedKeyHowTo() });
  const clients = new FakeClients(options.clients);
  const logs: string[] = [];
  const csrf = new Csrf(newServerSecret());
  let url = '';
  const state = { user: OWNER };
  const handler = connectionsPages({
    manager,
    probes: toolProbes(),
    clients,
    csrf,
    sessionId: (req) => parseCookies(req).get(SESSION_COOKIE),
    get publicUrl() {
      return url;
    },
    log: (line) => logs.push(line),
  });
  const server: Server = createServer((req, res) => {
    // Stands in for oauth's sign-in: a browser without a session gets one and comes back.
    if (!parseCookies(req).get(SESSION_COOKIE) && req.method === 'GET') {
      const cookie = serializeCookie(SESSION_COOKIE, randomBytes(16).toString('base64url'), { secure: false });
      return redirect(res, req.url ?? '/connections', { cookies: [cookie] });
    }
    void handler(req, res, state.user);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    emulator,
    manager,
    clients,
    logs,
    get user() {
      return state.user;
    },
    set user(u: WebUser) {
      state.user = u;
    },
    home: tmp.home,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await emulator.close();
      tmp.cleanup();
    },
  };
}
