// `npm run readme`: writes the README's per-tool tables (the toolsets table, the key table and the Filters table) from the tools'
// declarations, between their markers in README.md (scripts/readme-tables.ts renders them;
// test/tools/declarations.test.ts fails when README.md is not what this writes). The TypeScript is imported through
// scripts/import-source.mjs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importSource, ROOT } from './import-source.mjs';

const README = join(ROOT, 'README.md');
const { TOOLS, withGeneratedTables } = await importSource("export { TOOLS } from './src/tools/index.ts'; export { withGeneratedTables } from './scripts/readme-tables.ts';");
const before = readFileSync(README, 'utf8');
const after = withGeneratedTables(before, TOOLS);
if (after !== before) writeFileSync(README, after);
console.log(after === before ? 'README.md: the tables were up to date' : 'README.md: tables written');
