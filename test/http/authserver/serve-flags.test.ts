/** serve --http's flags for the built-in sign-in: on by default, off for an external issuer, refused on plain http off loopback. */
import { describe, expect, it } from 'vitest';
import { parseServeHttp } from '../../../src/cli/serve-http.js';

describe('serve --http and the built-in sign-in', () => {
  it('is on by default, and off with --oauth-issuer, --no-oauth-server or --no-auth', () => {
    expect(parseServeHttp(['serve', '--http']).oauthServer).toBe(true);
    expect(parseServeHttp(['serve', '--http', '--public-url', 'https://mcp.example.com/mcp']).oauthServer).toBe(true);
    expect(parseServeHttp(['serve', '--http', '--oauth-issuer', 'https://auth.example.com', '--oauth-audience', 'https://mcp.example.com/mcp']).oauthServer).toBe(false);
    expect(parseServeHttp(['serve', '--http', '--no-oauth-server']).oauthServer).toBe(false);
    expect(parseServeHttp(['serve', '--http', '--no-auth']).oauthServer).toBe(false);
  });

  it('refuses a plain-http public URL off loopback (passwords and tokens would cross the network in clear)', () => {
    expect(() => parseServeHttp(['serve', '--http', '--public-url', 'http://mcp.example.com/mcp'])).toThrow(/needs https/);
    expect(parseServeHttp(['serve', '--http', '--public-url', 'http://mcp.example.com/mcp', '--no-oauth-server']).oauthServer).toBe(false);
    expect(parseServeHttp(['serve', '--http', '--public-url', 'http://127.0.0.1:3333/mcp']).oauthServer).toBe(true);
  });
});
