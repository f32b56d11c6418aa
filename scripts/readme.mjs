// `npm run readme`: writes the README's per-tool tables (the key table and the Filters table) from the tools'
// declarations, between their markers in README.md (scripts/readme-tables.ts renders them;
// test/tools/declarations.test.ts fails when README.md is not what this writes). The TypeScript is bundled with
// esbuild into build/ first (inside the checkout, so its imports find node_modules), as scripts/bundle.mjs does.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { listToolsPlugin } from './list-tools-plugin.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = join(ROOT, 'README.md');
mkdirSync(join(ROOT, 'build'), { recursive: true });
const work = mkdtempSync(join(ROOT, 'build', 'readme-'));
try {
  await build({
    stdin: {
      contents: "export { TOOLS } from './src/tools/index.ts'; export { withGeneratedTables } from './scripts/readme-tables.ts';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile: join(work, 'readme.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    plugins: [listToolsPlugin],
    logLevel: 'warning',
  });
  const { TOOLS, withGeneratedTables } = await import(pathToFileURL(join(work, 'readme.mjs')).href);
  const before = readFileSync(README, 'utf8');
  const after = withGeneratedTables(before, TOOLS);
  if (after !== before) writeFileSync(README, after);
  console.log(after === before ? 'README.md: the tables were up to date' : 'README.md: tables written');
} finally {
  rmSync(work, { recursive: true, force: true });
}
