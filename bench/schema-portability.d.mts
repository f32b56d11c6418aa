// Types of schema-portability.mjs, for the portability test (test/server/portability.test.ts).
type Json = Record<string, unknown>;
export function walkSchema(schema: unknown, visit: (schema: Json, path: string) => void, path?: string): void;
export function schemaProblems(schema: unknown, options: { unions: boolean }): { kind: 'typeArray' | 'union' | 'empty'; where: string }[];
export function schemaPortability(tools: { name: string; inputSchema?: unknown; outputSchema?: unknown }[]): {
  typeArrays: number;
  inputUnions: number;
  outputUnions: number;
  emptySchemas: number;
  details: string[];
};
