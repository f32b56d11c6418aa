/**
 * A fake Stripe for robustness tests: a small node:http server that answers every request the way the current
 * `answer` says (any status, any body, a reset, a silent socket), or passes it through to the emulator
 * ("normal"), so a test can check the server still serves real data after whatever came before.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeAnswer =
  | { kind: 'normal' }
  /** `body` may depend on the path, e.g. a search_result for a search and a list for a list. */
  | { kind: 'respond'; status: number; body: string | ((path: string) => string); headers?: Record<string, string> }
  /** The connection is dropped before any byte of the answer. */
  | { kind: 'reset' }
  /** Status and headers, part of the body, then the connection is dropped. */
  | { kind: 'reset-mid-body'; status: number; partial: string }
  /** The request is read and never answered. */
  | { kind: 'silent' }
  /** Headers, then one byte now and then, never the end. */
  | { kind: 'trickle'; intervalMs: number }
  /** A valid JSON body of about this many bytes, streamed (never held in memory whole). */
  | { kind: 'huge'; bytes: number; announced: boolean };

export interface FakeStripe {
  url: string;
  /** What every request gets from now on. */
  answer: FakeAnswer;
  /** Requests received (path only), for checks on retries. */
  requests: string[];
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'request-id': 'req_fake123' };

export async function startFakeStripe(upstream: string): Promise<FakeStripe> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const fake: FakeStripe = { url: '', answer: { kind: 'normal' }, requests: [], close: async () => {} };

  const server = createServer((req, res) => {
    fake.requests.push(req.url ?? '');
    const answer = fake.answer;
    req.resume();
    switch (answer.kind) {
      case 'normal':
        return passThrough(upstream, req, res);
      case 'respond':
        res.writeHead(answer.status, { ...JSON_HEADERS, ...answer.headers });
        return void res.end(typeof answer.body === 'function' ? answer.body(req.url ?? '/') : answer.body);
      case 'reset':
        return void req.socket.destroy();
      case 'reset-mid-body':
        res.writeHead(answer.status, { ...JSON_HEADERS, 'content-length': String(answer.partial.length + 500) });
        res.write(answer.partial);
        return void setTimeout(() => req.socket.destroy(), 20);
      case 'silent':
        return;
      case 'trickle': {
        res.writeHead(200, JSON_HEADERS);
        res.write('{"object":"list","data":[');
        const timer = setInterval(() => res.write(' '), answer.intervalMs);
        timers.add(timer);
        res.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'huge':
        return streamHuge(res, answer.bytes, answer.announced);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return fake;
}

function passThrough(upstream: string, req: IncomingMessage, res: ServerResponse): void {
  const target = new URL(req.url ?? '/', upstream);
  const forward = httpRequest(
    { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: { ...req.headers, host: target.host } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  forward.on('error', () => res.destroy());
  forward.end();
}

/** `{"object":"list","data":[{"id":"cus_0","object":"customer"},…],"has_more":false}` of about `bytes` bytes. */
function streamHuge(res: ServerResponse, bytes: number, announced: boolean): void {
  // An announced length is a claim only: the body is cut off when the reader stops, like any stream here.
  res.writeHead(200, announced ? { ...JSON_HEADERS, 'content-length': String(bytes + 2) } : JSON_HEADERS);
  res.write('{"object":"list","url":"/v1/x","has_more":false,"data":[');
  const item = (i: number) => `${i ? ',' : ''}{"id":"cus_${i}","object":"customer","description":"${'x'.repeat(900)}"}`;
  let written = 0;
  let i = 0;
  const pump = () => {
    while (written < bytes) {
      const chunk = Array.from({ length: 64 }, () => item(i++)).join('');
      written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end(']}');
  };
  res.on('close', () => (written = bytes + 1));
  pump();
}
