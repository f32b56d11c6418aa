/**
 * The list tools' modules, found by their file names: every `src/tools/list-*.ts` is a list tool (./index.ts checks
 * that each exports exactly one). Running from source (vitest, tsc) this reads the folder and imports each file; a
 * bundle has no src/ to read, so the build replaces this module with static imports of the same files, in the same
 * order (scripts/list-tools-plugin.mjs, which matches the same names).
 */
import { readdirSync } from 'node:fs';

export interface ListToolModule {
  /** The file's name in src/tools/, e.g. list-charges.ts. */
  file: string;
  exports: Record<string, unknown>;
}

const TOOLS_FOLDER = new URL('../', import.meta.url);

/** Sorted by file name so that the same folder always gives the same modules in the same order (./index.ts then orders the tools by their listOrder). */
const files = readdirSync(TOOLS_FOLDER)
  .filter((name) => /^list-[a-z0-9-]+\.ts$/.test(name))
  .sort();
if (files.length === 0) throw new Error(`No list tool (list-*.ts) in ${TOOLS_FOLDER.href}: a bundle must be built with scripts/list-tools-plugin.mjs`);

export const LIST_TOOL_MODULES: readonly ListToolModule[] = await Promise.all(
  files.map(async (file) => ({ file, exports: (await import(new URL(file, TOOLS_FOLDER).href)) as Record<string, unknown> })),
);
