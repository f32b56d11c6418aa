import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_NAME = 'stripe-readonly-mcp';

/** Where connections live, and why there (shown by `doctor` and `connections list`). */
export interface HomePaths {
  /** The folder: STRIPE_MCP_HOME, else the OS config folder for the app. */
  dir: string;
  /** Why this folder: "STRIPE_MCP_HOME" or the OS convention used. */
  source: string;
  /** Metadata only (names, modes, hints, account info): never a key. */
  connectionsFile: string;
  /** The encrypted key file (file store). */
  keysFile: string;
  /** The file store's master key, when neither the keychain nor STRIPE_MCP_MASTER_KEY holds it. */
  masterKeyFile: string;
  /** Held while anything in the folder is being changed. */
  lockFile: string;
}

/** The OS config folder for the app: XDG on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): { dir: string; source: string } {
  if (platform === 'darwin') {
    return { dir: join(homedir(), 'Library', 'Application Support', APP_NAME), source: 'macOS Application Support folder' };
  }
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim() || join(homedir(), 'AppData', 'Roaming');
    return { dir: join(appData, APP_NAME), source: '%APPDATA%' };
  }
  const xdg = env.XDG_CONFIG_HOME?.trim();
  if (xdg && xdg.startsWith('/')) return { dir: join(xdg, APP_NAME), source: 'XDG_CONFIG_HOME' };
  return { dir: join(homedir(), '.config', APP_NAME), source: 'XDG default (~/.config)' };
}

export function resolveHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): HomePaths {
  const explicit = env.STRIPE_MCP_HOME?.trim();
  const { dir, source } = explicit ? { dir: resolve(explicit), source: 'STRIPE_MCP_HOME' } : defaultHome(env, platform);
  return {
    dir,
    source,
    connectionsFile: join(dir, 'connections.json'),
    keysFile: join(dir, 'keys.enc'),
    masterKeyFile: join(dir, 'master.key'),
    lockFile: join(dir, '.lock'),
  };
}
