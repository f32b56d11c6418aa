// Bundles src/ into dist/cli.js (one file, dependencies left in node_modules) so `npx stripe-readonly-mcp`
// starts fast. Type checking is `npm run typecheck`; esbuild only strips types.
import { build } from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  // emulator.js is for benchmarks and for people who want the emulator from a script.
  // schema-snapshot.js is for this script: it writes the tools' JSON Schemas to dist/ below.
  entryPoints: { cli: 'src/cli/index.ts', emulator: 'src/emulator/index.ts', 'schema-snapshot': 'src/server/schema-snapshot.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true, // the emulator and the stripe client load only when used
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // No source maps: they were half the tarball, and the CLI never prints a stack trace to map.
  sourcemap: false,
  logLevel: 'warning',
});

// The tools' JSON Schemas, converted from zod once here rather than at every server start (src/server/schema-cache.ts
// reads this file from beside the bundle).
const { toolSchemaSnapshot } = await import(new URL('../dist/schema-snapshot.js', import.meta.url).href);
await writeFile(new URL('../dist/tool-schemas.json', import.meta.url), JSON.stringify(toolSchemaSnapshot()));
