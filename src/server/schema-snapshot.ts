// Build-only entry: scripts/build.mjs imports the bundled copy of this to write dist/tool-schemas.json, the tools'
// JSON Schemas computed once at build time (see schema-cache.ts).
import { TOOLS } from '../tools/index.js';
import { snapshotToolSchemas, type ToolSchemaSnapshot } from './schema-cache.js';

export const toolSchemaSnapshot = (): ToolSchemaSnapshot => snapshotToolSchemas(TOOLS);
