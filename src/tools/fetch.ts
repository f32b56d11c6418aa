import { z } from 'zod';
import { RefusedKindsError, ToolInputError } from '../stripe/errors.js';
import { dashboardUrl, kindOfId, STRIPE_ID, type KnownKind } from '../stripe/objects.js';
import type { ReadPermission } from '../stripe/permissions.js';
import { defineTool, type ToolContext } from './define-tool.js';
import { assertMode } from './common.js';
import { retrieveIfExists } from './engine/retrieve.js';
import { OBJECT_KINDS } from './lists/index.js';

/** One readable line per field of the compact object: what a model quotes, not a JSON blob. */
function summarise(compact: Record<string, unknown>): string {
  return Object.entries(compact)
    .filter(([key, value]) => key !== 'id' && key !== 'metadata' && value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join('\n');
}

const orList = (words: string[]) => (words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? ''));

/**
 * fetch opens every kind the list tools declare (./lists/index.ts): by its id prefix, or, for an id
 * without a known prefix (an account-chosen id such as `gold-plan`), as each kind whose ids the account may choose.
 */
export function defineFetch(kinds: readonly KnownKind[]) {
  const prefixes = kinds.flatMap((k) => k.idPrefixes);
  const customIdKinds = kinds.filter((k) => k.customIds);
  const customLabels = orList(customIdKinds.map((k) => k.label));
  const permissions: Record<string, ReadPermission> = Object.fromEntries(kinds.map((k) => [k.object, k.permission]));

  /** A refusal (403) is kept over a "no such" (404), which it may hide; several refusals are named together. */
  async function retrieveById(ctx: ToolContext, id: string) {
    const prefixed = kindOfId(kinds, id);
    if (prefixed) return { kind: prefixed, object: await prefixed.retrieve(ctx.stripe, id) };
    const refusals: Array<{ label: string; error: unknown }> = [];
    for (const kind of customIdKinds) {
      const found = await retrieveIfExists(() => kind.retrieve(ctx.stripe, id), { keepRefusal: true });
      if (found.object) return { kind, object: found.object };
      if (found.refused) refusals.push({ label: kind.label, error: found.refused });
    }
    if (refusals.length === 1) throw refusals[0]!.error;
    if (refusals.length > 1) throw new RefusedKindsError(refusals);
    throw new ToolInputError(
      `Not found: no ${customLabels} has the id "${id}" in ${ctx.mode} mode. An id without a Stripe prefix is looked up as a ${customIdKinds.map((k) => k.label).join(', then as a ')}; ` +
        `other objects are opened by their prefix. Supported prefixes: ${prefixes.join(', ')}.`,
    );
  }

  return defineTool({
    name: 'fetch',
    toolset: 'lookup',
    permissions: { needs: [], mayUse: [], byChoice: { of: "the fetched object's resource", permissions } },
    title: 'Fetch a Stripe object',
    description: [
      'One Stripe object by id: {id, title, text, url, metadata}, a readable summary with a Dashboard link.',
      `Opens any id a tool returns (${prefixes.join(', ')}); an unprefixed id is tried as a ${customIdKinds.map((k) => k.label).join(', then as a ')}. To find objects: search or the list tools.`,
      'Example: {"id":"cus_NffrFeUfNV2Hib"}.',
    ].join(' '),
    readme: {
      filters: `\`id\` of any object the other tools return (${prefixes.map((p) => `\`${p}\``).join(', ')}; an id without a prefix as a ${customLabels}) → \`{id, title, text, url, metadata}\`: a readable summary and a Stripe Dashboard link (\`test/\` in test mode)`,
    },
    input: z.strictObject({
      id: z.string().trim().min(1).refine((v) => v.length <= 255 && STRIPE_ID.test(v), 'must be a Stripe object id such as cus_…, ch_… or a custom product id (no spaces)'),
    }),
    output: z.object({
      id: z.string(),
      title: z.string(),
      text: z.string().describe('Readable summary of the object'),
      url: z.string().nullable().describe('Stripe Dashboard link'),
      metadata: z.object({ object: z.string(), account_metadata: z.record(z.string(), z.string()) }),
    }),
    handler: async ({ id }, ctx) => {
      const { kind, object } = await retrieveById(ctx, id);
      assertMode([object], ctx);
      const compact = kind.compact(object);
      return {
        id,
        title: kind.title(compact),
        text: summarise(compact),
        url: dashboardUrl(id, ctx.mode, kind),
        metadata: { object: kind.label, account_metadata: (compact.metadata as Record<string, string> | undefined) ?? {} },
      };
    },
  });
}

export const fetchObject = defineFetch(OBJECT_KINDS);
