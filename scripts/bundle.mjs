// `npm run bundle`: the MCP Bundle for Claude Desktop (stripe-readonly-mcp.mcpb), packed and validated with
// Anthropic's @anthropic-ai/mcpb. The bundle holds the whole server as one JavaScript file (every dependency inside,
// so the host runs no install step) and no native module: keytar is left out, and without it the server takes the
// keys the host passes in its environment (the host keeps them in the OS keychain; see manifest.user_config).
//
//   node scripts/bundle.mjs [--out FILE] [--server-json [FILE]]
//     --out FILE      where to write the bundle (default: stripe-readonly-mcp.mcpb in the checkout; git ignores it)
//     --server-json   for a release: also write this version and the bundle's SHA-256 into server.json (or FILE);
//                     then attach the bundle to the GitHub release v<version> that server.json names
//
// It never touches dist/ (tests may be running the built CLI from there).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { importSource } from './import-source.mjs';
import { listToolsPlugin } from './list-tools-plugin.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values, positionals } = parseArgs({ options: { out: { type: 'string' }, 'server-json': { type: 'boolean' } }, allowPositionals: true });
const out = resolve(values.out ?? join(ROOT, 'stripe-readonly-mcp.mcpb'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const MCPB_CLI = join(ROOT, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');

/** Where the host keeps what the user types (sensitive fields go to the OS keychain), and how the server gets it. */
export const USER_CONFIG = {
  test_key: {
    type: 'string',
    title: 'Stripe test-mode key (restricted)',
    description:
      'A restricted key (rk_test_…) with Read access to what you want to ask about: Stripe Dashboard → Developers → API keys → Create restricted key, with Test mode on.',
    sensitive: true,
    required: true,
  },
  live_key: {
    type: 'string',
    title: 'Stripe live-mode key (optional, restricted)',
    description: 'A restricted key (rk_live_…) with Read access, to ask about live data too. Leave empty to read test data only.',
    sensitive: true,
    required: false,
    default: '',
  },
  mode: {
    type: 'string',
    title: 'Mode pin (optional)',
    description: 'test or live: serve only that mode (the other key is never read). Leave empty to serve both, test by default.',
    required: false,
    default: '',
  },
};

function manifest(tools) {
  return {
    manifest_version: '0.3', // what Claude Desktop has accepted longest; nothing here needs 0.4's additions
    name: pkg.name,
    display_name: 'Stripe (read-only)',
    version: pkg.version,
    description:
      'Ask about your Stripe account (customers, payments, invoices, subscriptions, payouts, balance, MRR, churn) without any way to change it: the server can only send GET requests to Stripe.',
    long_description:
      'A read-only Stripe MCP server. The HTTP layer under the Stripe client refuses every method but GET before a request leaves the machine, so nothing in your Stripe account can be created, changed or deleted through it. ' +
      'Give it restricted keys with Read access: a test-mode key, and optionally a live-mode key; test and live data never mix, and every answer says which mode it read. ' +
      'Amounts are exact decimals per currency, dates ISO 8601, lists paginated honestly.',
    author: { name: 'stripe-readonly-mcp contributors' },
    license: pkg.license,
    keywords: pkg.keywords,
    server: {
      type: 'node',
      entry_point: 'server/index.js',
      mcp_config: {
        command: 'node',
        args: ['${__dirname}/server/index.js', 'serve'],
        env: {
          STRIPE_API_KEY_TEST: '${user_config.test_key}',
          STRIPE_API_KEY_LIVE: '${user_config.live_key}',
          STRIPE_MCP_MODE: '${user_config.mode}',
        },
      },
    },
    tools: tools.map((t) => ({ name: t.name, description: t.title })),
    tools_generated: false,
    compatibility: { platforms: ['darwin', 'win32', 'linux'], runtimes: { node: pkg.engines.node } },
    user_config: USER_CONFIG,
  };
}

// Inside the checkout (git ignores build/), so the catalogue built below finds node_modules.
mkdirSync(join(ROOT, 'build'), { recursive: true });
const work = mkdtempSync(join(ROOT, 'build', 'bundle-'));
try {
  // The tool catalogue and the tools' JSON Schemas, from source (as scripts/build.mjs does for dist/).
  const { TOOLS, toolSchemaSnapshot } = await importSource("export { TOOLS } from './src/tools/index.ts'; export { toolSchemaSnapshot } from './src/server/schema-snapshot.ts';");

  const stage = join(work, 'bundle');
  mkdirSync(join(stage, 'server'), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'src/cli/index.ts')],
    outfile: join(stage, 'server', 'index.js'),
    bundle: true, // every dependency inside: the host runs no npm install
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // keytar (native) is imported through a variable, so esbuild cannot and does not pull it in; the server falls
    // back to the keys in its environment. CommonJS dependencies (stripe) call require() for Node's modules:
    banner: { js: "import { createRequire as __srmCreateRequire } from 'node:module'; const require = __srmCreateRequire(import.meta.url);" },
    legalComments: 'none',
    plugins: [listToolsPlugin],
    logLevel: 'warning',
  });
  // schema-cache.ts reads the snapshot from beside the module; version.ts reads ../package.json.
  writeFileSync(join(stage, 'server', 'tool-schemas.json'), JSON.stringify(toolSchemaSnapshot()));
  writeFileSync(
    join(stage, 'package.json'),
    `${JSON.stringify({ name: pkg.name, version: pkg.version, description: pkg.description, license: pkg.license, private: true, type: 'module' }, null, 2)}\n`,
  );
  copyFileSync(join(ROOT, 'LICENSE'), join(stage, 'LICENSE'));
  writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest(TOOLS), null, 2)}\n`);

  const mcpb = (...args) => execFileSync(process.execPath, [MCPB_CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  mcpb('validate', join(stage, 'manifest.json'));
  rmSync(out, { force: true });
  mcpb('pack', stage, out);
  const sha256 = createHash('sha256').update(readFileSync(out)).digest('hex');
  console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KiB, ${TOOLS.length} tools, sha256 ${sha256}`);

  if (values['server-json']) {
    const file = resolve(positionals[0] ?? join(ROOT, 'server.json'));
    const serverJson = JSON.parse(readFileSync(file, 'utf8'));
    serverJson.version = pkg.version;
    for (const p of serverJson.packages) {
      p.version = pkg.version;
      if (p.registryType === 'mcpb') {
        p.identifier = p.identifier.replace(/\/download\/v[^/]+\//, `/download/v${pkg.version}/`);
        p.fileSha256 = sha256;
      }
    }
    writeFileSync(file, `${JSON.stringify(serverJson, null, 2)}\n`);
    console.log(`server.json: version ${pkg.version}, bundle sha256 written`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
