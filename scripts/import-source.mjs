// Imports TypeScript from the checkout in a plain Node script (npm run readme, npm run bundle): esbuild bundles the
// given module into a temporary folder in build/ (inside the checkout, which git ignores, so packages resolve from
// node_modules), the bundle is imported, and the folder removed. List tools are found as in the build
// (./list-tools-plugin.mjs).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { listToolsPlugin } from './list-tools-plugin.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The exports of `contents`, a module whose imports are relative to the checkout's root. */
export async function importSource(contents) {
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  const work = mkdtempSync(join(ROOT, 'build', 'source-'));
  try {
    const outfile = join(work, 'module.mjs');
    await build({
      stdin: { contents, resolveDir: ROOT, loader: 'ts' },
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      plugins: [listToolsPlugin],
      logLevel: 'warning',
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
