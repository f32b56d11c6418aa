/**
 * Hints for a mistyped argument name: the valid names and the closest one, so `Unrecognized key: "state"` becomes
 * something a person (or a model) can act on at once.
 */

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest candidate, if it is close enough to be a likely typo (or one contains the other, e.g. "created" → "created_after"). */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = name.includes(lower) || lower.includes(name) ? Math.abs(name.length - lower.length) / 4 : editDistance(lower, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.name : undefined;
}

/** The aggregate tool's arguments: given to a list tool, the hint says where they go instead. */
export const AGGREGATION_ARGUMENTS: ReadonlySet<string> = new Set(['group_by', 'metrics', 'order_by', 'order', 'top', 'date_field', 'timezone']);

/**
 * `"state" is not an argument of list_charges (did you mean "status"?). Its arguments: …`. `aggregatedAs`: the
 * resource the aggregate tool takes this list tool as, so group_by / metrics given here point there.
 */
export function unknownArgumentMessage(keys: readonly string[], toolName: string, valid: readonly string[], noun: 'argument' | 'filter' = 'argument', aggregatedAs?: string): string {
  const parts = keys.map((key) => {
    const near = closestName(key, valid);
    return `"${key}"${near ? ` (did you mean "${near}"?)` : ''}`;
  });
  const aggregation = aggregatedAs && keys.some((key) => AGGREGATION_ARGUMENTS.has(key))
    ? ` For totals, counts and rankings use the aggregate tool with resource "${aggregatedAs}" (these filters as its filters).`
    : '';
  return `${parts.join(', ')} ${keys.length === 1 ? `is not ${noun === 'argument' ? 'an argument' : 'a filter'}` : `are not ${noun}s`} of ${toolName}.${aggregation} Its ${noun}s: ${valid.join(', ')}.`;
}
