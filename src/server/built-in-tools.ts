/**
 * The built-in tools as a server sees them. Built (dist/), they are listed from the build's catalogue and loaded on
 * the first call: a stdio start never loads a tool's module, its zod schemas or `stripe` before its first
 * tools/list answer. From source (tests) there is no catalogue, and the tools are loaded here at once.
 */
import { builtSnapshot } from './catalogue.js';
import { catalogueSource, type ToolSource } from './tool-source.js';

const loadRuntime = async () => (await import('./tool-runtime.js')).RUNTIME_TOOLS;
const snapshot = builtSnapshot();

export const BUILT_IN_TOOLS: ToolSource = snapshot ? catalogueSource(snapshot, loadRuntime) : await loadRuntime();
