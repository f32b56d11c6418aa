/**
 * How much one answer may hold. Clients cut tool results at about 150,000 characters (Claude's remote
 * connectors; others are similar); an answer past that is replaced by a summary that says so, never by a
 * shortened list that would read as complete.
 */

/** What clients accept in one tool result, in characters of its JSON text. */
export const OUTPUT_LIMIT_CHARS = 150_000;

/** Room for the listed objects or table rows; the rest of an answer (counts, filters, notes) is small. */
export const DATA_BUDGET_CHARS = 140_000;

/** Keeps listed objects while they fit; past the budget it keeps only their number and average size. */
export class OutputBudget<P> {
  readonly items: P[] = [];
  private chars = 0;
  /** Objects that fitted before the budget ran out; null while everything fits. */
  fits: number | null = null;
  private seen = 0;

  constructor(private readonly budget = DATA_BUDGET_CHARS) {}

  add(item: P): void {
    this.seen++;
    if (this.fits !== null) return;
    const size = JSON.stringify(item).length + 1;
    if (this.chars + size > this.budget) {
      this.fits = this.items.length;
      this.items.length = 0; // nothing of a list that does not fit is returned
      this.chars += size;
      return;
    }
    this.chars += size;
    this.items.push(item);
  }

  get over(): boolean {
    return this.fits !== null;
  }

  /** Estimated size of the whole list as JSON text. */
  estimatedChars(): number {
    const measured = (this.fits ?? this.items.length) + (this.fits !== null ? 1 : 0);
    return measured === 0 ? 0 : Math.round((this.chars / measured) * this.seen);
  }
}

export const formatCount = (n: number) => n.toLocaleString('en-US');
