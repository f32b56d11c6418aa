/**
 * `call` and `tools`: a tool run once from the command line, and the catalogue described. The only commands that
 * need the tools themselves (their zod schemas, built at import), so main.ts loads this module for them alone.
 */
import type { Pin } from '../connections/configured-router.js';
import { parseToolArguments, runTool } from '../server/tool-runner.js';
import { describeError, ToolInputError } from '../stripe/errors.js';
import { DateInputError } from '../stripe/time.js';
import { describePermissions } from '../stripe/permissions.js';
import { TOOLS } from '../tools/index.js';
import type { AnyTool } from '../tools/define-tool.js';
import { closestName } from '../server/argument-hints.js';
import { UsageError } from './output.js';
import { setupFor } from './setup.js';
import { renderResult } from './table.js';
import { describeTool } from './tool-help.js';

/** The tool of that name, or a usage error naming the tools and the closest one. */
function toolNamed(toolName: string): AnyTool {
  const tool = TOOLS.find((t) => t.name === toolName);
  if (tool) return tool;
  const near = closestName(toolName, TOOLS.map((t) => t.name));
  throw new UsageError(`There is no tool "${toolName}"${near ? ` (did you mean "${near}"?)` : ''}. Tools: ${TOOLS.map((t) => t.name).join(', ')}`);
}

export async function call(toolName: string | undefined, json: string | undefined, demo: boolean, asJson: boolean, pin: Pin): Promise<number> {
  if (!toolName) throw new UsageError(`call needs a tool name. Tools: ${TOOLS.map((t) => t.name).join(', ')}`);
  const tool = toolNamed(toolName);
  let raw: unknown = {};
  if (json !== undefined) {
    try {
      raw = JSON.parse(json);
    } catch {
      throw new UsageError(`The arguments must be one JSON object, e.g. '{"limit":5}'. Got: ${json}`);
    }
  }
  const setup = await setupFor(demo, pin, false);
  try {
    let args: Record<string, unknown>;
    try {
      args = parseToolArguments(tool, raw, setup.router.connectionNames());
    } catch (err) {
      process.stderr.write(`${describeError(err, { tool: tool.name, permissions: tool.permissions })}\n`);
      return 2;
    }
    // Arguments the schema accepts but the tool refuses (e.g. a filter that aggregate's resource lacks) are usage errors too: exit 2.
    let badInput = false;
    const watched: AnyTool = {
      ...tool,
      handler: (a, ctx) =>
        tool.handler(a, ctx).catch((err: unknown) => {
          badInput = err instanceof ToolInputError || err instanceof DateInputError;
          throw err;
        }),
    };
    const result = await runTool(watched, args, { router: setup.router, signal: new AbortController().signal });
    if (result.isError) {
      const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
      process.stderr.write(`${text}\n`);
      return badInput ? 2 : 1;
    }
    const structured = result.structuredContent as Record<string, unknown>;
    process.stdout.write(`${asJson ? JSON.stringify(structured, null, 2) : renderResult(structured)}\n`);
    return 0;
  } finally {
    await setup.close();
  }
}

export function listTools(names: string[]): void {
  if (names.length > 0) {
    const tools = names.map((name) => toolNamed(name));
    process.stdout.write(`${tools.map(describeTool).join('\n\n')}\n`);
    return;
  }
  for (const tool of TOOLS) {
    process.stdout.write(`${tool.name.padEnd(26)} ${tool.title}  (${describePermissions(tool.permissions)})\n`);
  }
}

