import { isIP } from 'node:net';
import { validateHostHeader } from '@modelcontextprotocol/server';

/** localhost, 127.0.0.0/8, ::1 (bracketed or not) and IPv4-mapped loopback. */
export function isLoopbackHostname(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** Hostnames (no port) accepted in `Host` when the server is bound to `bindHost`. */
export function defaultAllowedHosts(bindHost: string): string[] {
  const hosts = ['localhost', '127.0.0.1', '[::1]'];
  const bare = bindHost.replace(/^\[|\]$/g, '');
  if (bare !== '0.0.0.0' && bare !== '::' && !isLoopbackHostname(bare)) hosts.push(isIP(bare) === 6 ? `[${bare}]` : bare);
  return hosts;
}

/** `--allowed-host mcp.example.com[:443]` → `mcp.example.com` (Host is compared without its port). */
export function normaliseAllowedHost(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith('[')) return v.replace(/^(\[[^\]]+\])(:\d+)?$/, '$1');
  if (isIP(v) === 6) return `[${v}]`;
  return v.replace(/:\d+$/, '');
}

export function hostAllowed(hostHeader: string | undefined, allowed: readonly string[]): { ok: true } | { ok: false; message: string } {
  const result = validateHostHeader(hostHeader, [...allowed]);
  return result.ok ? { ok: true } : { ok: false, message: result.message };
}

/**
 * An allowed origin is either an exact origin (`https://chatgpt.com`: scheme, host and port must all match) or a
 * bare hostname (`app.example.com`: any scheme and port). Requests without `Origin` (every non-browser client)
 * pass; `Origin: null` and anything unparsable are refused.
 */
export class OriginPolicy {
  private readonly exact = new Set<string>();
  private readonly hostnames = new Set<string>();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const e = entry.trim();
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(e)) this.exact.add(new URL(e).origin);
      else this.hostnames.add(normaliseAllowedHost(e));
    }
  }

  static withLocalhost(extra: readonly string[]): OriginPolicy {
    return new OriginPolicy(['localhost', '127.0.0.1', '[::1]', ...extra]);
  }

  allows(origin: string | undefined): boolean {
    if (origin === undefined || origin === '') return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.origin === 'null') return false;
    return this.exact.has(url.origin) || this.hostnames.has(url.hostname.toLowerCase());
  }

  describe(): string {
    return [...this.hostnames, ...this.exact].join(', ');
  }
}
