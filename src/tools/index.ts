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

/** The catalogue, in the order tools/list shows it. A list tool is added in ./lists/index.ts (one line), any other here. */
export const TOOLS = [...LIST_TOOLS, aggregate, getBalance, getMrr, getChurn, getMrrBridge, search, fetchObject] as const satisfies readonly AnyTool[];
