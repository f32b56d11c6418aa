import type { AnyTool } from './define-tool.js';
import { LIST_TOOLS } from './lists/index.js';
import { getBalance } from './get-balance.js';
import { search } from './search.js';
import { getMrr } from './get-mrr.js';
import { getChurn } from './get-churn.js';
import { getMrrBridge } from './get-mrr-bridge.js';
import { fetchObject } from './fetch.js';
import { aggregate } from './aggregate.js';

export { OBJECT_KINDS } from './lists/index.js';

/**
 * The catalogue, in the order tools/list shows it: the list tools (in the order they declare, listOrder), then the
 * others. A list tool is added by adding its file, src/tools/list-<kind>.ts (./lists/index.ts finds it); any other tool here.
 * Then `npm run readme` writes its rows in the README's tables.
 */
export const TOOLS: readonly AnyTool[] = [...LIST_TOOLS, aggregate, getBalance, getMrr, getChurn, getMrrBridge, search, fetchObject];
