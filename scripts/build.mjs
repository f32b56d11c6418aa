// Bundles src/ into dist/cli.js (one file, dependencies left in node_modules) so `npx stripe-readonly-mcp`
// starts fast. Type checking is `npm run typecheck`; esbuild only strips types.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  // emulator.js is for benchmarks and for people who want the emulator from a script.
  entryPoints: { cli: 'src/cli/index.ts', emulator: 'src/emulator/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true, // the emulator and the stripe client load only when used
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
