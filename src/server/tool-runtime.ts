// The built-in tools themselves (their modules, zod schemas and handlers): loaded by a stdio server on its first
// call, by everything else at once. See built-in-tools.ts.
import { TOOLS } from '../tools/index.js';
import { builtSnapshot } from './catalogue.js';
import { toolSourceOf } from './tool-source.js';

export const RUNTIME_TOOLS = toolSourceOf(TOOLS, builtSnapshot());
