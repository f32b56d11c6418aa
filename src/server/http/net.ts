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

/**
 * An address (not a name) on the loopback interface: IPv4 127.0.0.0/8, IPv6 ::1 in any spelling, and IPv4-mapped
 * ::ffff:127.x.y.z (also written ::ffff:7fxx:yyyy). `--no-auth` needs every address of its host to be one.
 */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const kind = isIP(bare);
  if (kind === 4) return bare.split('.')[0] === '127';
  if (kind !== 6) return false;
  const canonical = canonicalIpv6(bare);
  if (canonical === '::1') return true;
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  return mapped !== null && parseInt(mapped[1]!, 16) >> 8 === 127;
}

/** The WHATWG URL parser's spelling of an IPv6 address (compressed, lower case, mapped IPv4 in hex): what clients send in Host. */
export function canonicalIpv6(address: string): string {
  return new URL(`http://[${address.replace(/^\[|\]$/g, '')}]/`).hostname.replace(/^\[|\]$/g, '');
}

/** How a bound address appears in a URL's and a Host header's host part. */
export function urlHostOf(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '');
  return isIP(bare) === 6 ? `[${canonicalIpv6(bare)}]` : bare.toLowerCase();
}

/** Hostnames (no port) accepted in `Host` when the server is bound to `bindHost`. */
export function defaultAllowedHosts(bindHost: string): string[] {
  const hosts = ['localhost', '127.0.0.1', '[::1]'];
  const bare = bindHost.replace(/^\[|\]$/g, '');
  // The bound address itself (127.0.0.2, ::ffff:127.0.0.1, a LAN address), in the spelling clients send.
  if (bare !== '0.0.0.0' && bare !== '::') {
    hosts.push(urlHostOf(bare));
    if (isIP(bare) === 6 && bare.toLowerCase() !== canonicalIpv6(bare)) hosts.push(`[${bare.toLowerCase()}]`);
  }
  return [...new Set(hosts)];
}

/**
 * Host must be a host name, an IPv4 address or a bracketed IPv6 address, with at most a port (RFC 9110 7.2):
 * no user info (`evil.com@localhost`), path, space or empty port. Checked before the allow-list, whose URL
 * parser would read `evil.com@localhost` as localhost.
 */
export function hostHeaderWellFormed(host: string | undefined): boolean {
  if (host === undefined) return true; // a missing Host is the allow-list's to refuse
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?$/.exec(host);
  if (!m) return false;
  if (m[1]!.startsWith('[') && isIP(m[1]!.slice(1, -1)) !== 6) return false;
  return m[2] === undefined || Number(m[2]) <= 65535;
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
