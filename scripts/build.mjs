// Bundles src/ into dist/ so `npx stripe-readonly-mcp` starts fast. Type checking is `npm run typecheck`; esbuild only
// strips types.
//
// The stdio server is started by an MCP client at every launch, and until it answers tools/list the client waits:
// what the start loads is bundled, minified and tree-shaken, the MCP SDK and zod included (one file read and parsed
// at once costs far less than Node resolving and loading their ~100 modules one by one). What only a call needs
// (the tools' code, `stripe`, the emulator) and what other commands need (HTTP, OAuth, the connection commands)
// are separate chunks, loaded on first use. dist/metafile.json records which source went into which file, so a test
// (test/e2e/start-path.test.ts) holds the start path to that.
import { build } from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listToolsPlugin } from './list-tools-plugin.mjs';

/**
 * Packages bundled into dist/ (their code on the start path, or light). `stripe` too, in a chunk of its own loaded on
 * a tool's first call: from node_modules it is 271 modules, and Node resolving, compiling and linking them took
 * 120 ms of every first call (and of every `call`, `connections add` and `connections test`); as one file, 30 ms.
 * Every other package stays in node_modules and is imported from there when used: keytar (native), oidc-provider
 * and anything added later, unless it is named here.
 */
const BUNDLED = new Set(['@modelcontextprotocol/server', '@modelcontextprotocol/core', '@modelcontextprotocol/node', 'zod', 'hono', '@hono/node-server', 'stripe']);

const packageOf = (path) => (path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]);
const externalUnlessBundled = {
  name: 'external-unless-bundled',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || !BUNDLED.has(packageOf(args.path))) return { path: args.path, external: true };
      return undefined;
    });
  },
};

/**
 * Two cuts in what the bundled packages load at start, both for code this server never runs: zod's error messages in
 * ~50 languages (only English is used: it is zod's default and nothing here calls z.config), and the SDK's Ajv
 * validator (src/server/sdk-shims.ts says why).
 */
const trimBundled = {
  name: 'trim-bundled',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: args.importer, namespace: 'zod-locales' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: 'export { default as en } from "../locales/en.js";',
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
    b.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({ path: fileURLToPath(new URL('../src/server/sdk-shims.ts', import.meta.url)) }));
  },
};

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
  // emulator.js is for benchmarks and for people who want the emulator from a script.
  // schema-snapshot.js is for this script: it writes the tools' catalogue to dist/ below.
  entryPoints: { cli: 'src/cli/index.ts', emulator: 'src/emulator/index.ts', 'schema-snapshot': 'src/server/schema-snapshot.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true, // what only a call or another command needs loads when used
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [listToolsPlugin, trimBundled, externalUnlessBundled],
  minify: true,
  // Bundled CommonJS (inside the SDK's dependencies) calls require() for Node's own modules.
  banner: { js: "import { createRequire as __srmCreateRequire } from 'node:module'; const require = __srmCreateRequire(import.meta.url);" },
  legalComments: 'none',
  metafile: true,
  // No source maps: they were half the tarball, and the CLI never prints a stack trace to map.
  sourcemap: false,
  logLevel: 'warning',
});
await writeFile(new URL('../dist/metafile.json', import.meta.url), JSON.stringify(result.metafile));

// The tools' catalogue (name, set, title, description and JSON Schemas), converted from zod once here rather than
// at every server start: a stdio server answers tools/list from it (src/server/catalogue.ts reads it from beside
// the bundle) and loads a tool's code only when it is called.
const { toolSchemaSnapshot } = await import(new URL('../dist/schema-snapshot.js', import.meta.url).href);
await writeFile(new URL('../dist/tool-schemas.json', import.meta.url), JSON.stringify(toolSchemaSnapshot()));
