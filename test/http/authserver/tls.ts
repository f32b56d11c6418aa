/**
 * TLS for tests that need https on this machine: a self-signed certificate made at test time with the `openssl`
 * command (Debian's openssl package; .ci/run installs it), valid for the names given, for one day.
 */
import { execFileSync } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';

export interface TestCertificate {
  key: string;
  /** PEM; also the trust anchor (it signs itself). */
  cert: string;
}

export function selfSignedCertificate(names: string[]): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'srm-tls-'));
  try {
    const san = names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${san}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A fetch that reaches every https URL at 127.0.0.1:port, by node:https, with the URL's own name as SNI and for
 * the certificate check, trusting only `ca`: a public-looking name served on loopback.
 */
export function fetchViaLoopback(port: number, ca: string): (url: string, init?: RequestInit) => Promise<Response> {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const headers = { ...Object.fromEntries(new Headers(init.headers)), host: target.host };
      const options = { host: '127.0.0.1', port, servername: target.hostname, path: `${target.pathname}${target.search}`, method: init.method ?? 'GET', headers, ca, signal: init.signal ?? undefined };
      const req = httpsRequest(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one);
          const status = res.statusCode ?? 500;
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: out }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
}
