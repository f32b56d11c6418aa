/**
 * What a form post leaves for the page it redirects to (post-redirect-get): messages shown once, and the last
 * connection test's result. Kept in memory per session (a restart only loses a message); never a key.
 */
import type { StoredKeyTest } from '../../../connections/key-test.js';

export interface Note {
  kind: 'ok' | 'error' | 'warn' | 'info';
  text: string;
}

export interface TestReport {
  name: string;
  at: string;
  tests: StoredKeyTest[];
}

interface Entry {
  notes: Note[];
  report?: TestReport | undefined;
  touched: number;
}

const MAX_SESSIONS = 1000;
const TTL_MS = 30 * 60_000;

export class SessionNotes {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly now: () => number = Date.now) {}

  private entry(session: string): Entry {
    this.expire();
    let entry = this.entries.get(session);
    if (!entry) {
      entry = { notes: [], touched: this.now() };
      this.entries.set(session, entry);
      // The oldest session's notes go first: a flood of sessions cannot grow this without bound.
      if (this.entries.size > MAX_SESSIONS) this.entries.delete(this.entries.keys().next().value!);
    }
    entry.touched = this.now();
    return entry;
  }

  private expire(): void {
    const cutoff = this.now() - TTL_MS;
    for (const [session, entry] of this.entries) if (entry.touched < cutoff) this.entries.delete(session);
  }

  add(session: string, ...notes: Note[]): void {
    this.entry(session).notes.push(...notes);
  }

  /** The messages left for this session, removed as they are read (each is shown once). */
  take(session: string): Note[] {
    const entry = this.entries.get(session);
    if (!entry) return [];
    const notes = entry.notes;
    entry.notes = [];
    return notes;
  }

  setReport(session: string, report: TestReport): void {
    this.entry(session).report = report;
  }

  /** The last test's result, while it is still about this connection. */
  report(session: string, name: string): TestReport | undefined {
    const report = this.entries.get(session)?.report;
    return report?.name === name ? report : undefined;
  }
}
