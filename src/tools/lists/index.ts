/**
 * The tools that list one kind of Stripe object, each declaring that kind beside its name (`returns`). Adding one
 * means adding its file, src/tools/list-<kind>.ts, exporting one tool made by defineTool: it is found by its name
 * (./discover.ts), and fetch, plain-text search, Dashboard links, errors, `connections test`, the catalogue and the
 * README's tables (`npm run readme`) follow from its declaration (test/tools/declarations.test.ts holds them to it).
 * A folder of its own so that fetch and the plain-text search can read the kinds without importing the whole
 * catalogue.
 */
import { declaredKinds, isDefinedTool, type AnyTool } from '../define-tool.js';
import { LIST_TOOL_MODULES, type ListToolModule } from './discover.js';

/** The one tool a list tool's file exports; a file with none or several is a mistake to say at once. */
export function listToolOf({ file, exports }: ListToolModule): AnyTool {
  const tools = Object.values(exports).filter(isDefinedTool);
  if (tools.length !== 1) {
    throw new Error(`src/tools/${file} must export exactly one tool made by defineTool (every src/tools/list-*.ts is a list tool), but exports ${tools.length}`);
  }
  return tools[0]!;
}

/** The list tools' modules in the order they declare (`listOrder`), then their files' name order (./discover.ts). */
const ORDERED_MODULES = LIST_TOOL_MODULES.map((m) => ({ module: m, tool: listToolOf(m) })).sort(
  (a, b) => (a.tool.listOrder ?? Infinity) - (b.tool.listOrder ?? Infinity) || (a.module.file < b.module.file ? -1 : a.module.file > b.module.file ? 1 : 0),
);

export const LIST_TOOLS: readonly AnyTool[] = ORDERED_MODULES.map((m) => m.tool);

/** Which file each list tool came from, in LIST_TOOLS' order (a test holds it to the folder). */
export const LIST_TOOL_FILES: readonly string[] = ORDERED_MODULES.map((m) => m.module.file);

/** Every object kind a tool returns, in the tools' order: what fetch and the plain-text search can open. */
export const OBJECT_KINDS = declaredKinds(LIST_TOOLS);
