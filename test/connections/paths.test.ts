/** Where connections live on each OS, and STRIPE_MCP_HOME overriding it. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultHome, resolveHome } from '../../src/connections/paths.js';

describe('the connections folder', () => {
  it('follows each OS convention', () => {
    expect(defaultHome({}, 'linux')).toEqual({ dir: join(homedir(), '.config', 'stripe-readonly-mcp'), source: 'XDG default (~/.config)' });
    expect(defaultHome({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux')).toEqual({ dir: join('/x/cfg', 'stripe-readonly-mcp'), source: 'XDG_CONFIG_HOME' });
    expect(defaultHome({ XDG_CONFIG_HOME: 'relative' }, 'linux').source).toBe('XDG default (~/.config)'); // XDG says ignore relative paths
    expect(defaultHome({}, 'darwin').dir).toBe(join(homedir(), 'Library', 'Application Support', 'stripe-readonly-mcp'));
    expect(defaultHome({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toEqual({ dir: join('C:\\Users\\a\\AppData\\Roaming', 'stripe-readonly-mcp'), source: '%APPDATA%' });
  });

  it('STRIPE_MCP_HOME wins, made absolute, and every file sits in it', () => {
    const paths = resolveHome({ STRIPE_MCP_HOME: 'rel/home', XDG_CONFIG_HOME: '/x' }, 'linux');
    expect(paths.dir).toBe(resolve('rel/home'));
    expect(paths.source).toBe('STRIPE_MCP_HOME');
    expect([paths.connectionsFile, paths.keysFile, paths.masterKeyFile, paths.lockFile]).toEqual(
      ['connections.json', 'keys.enc', 'master.key', '.lock'].map((f) => join(resolve('rel/home'), f)),
    );
  });
});
