/** What a post leaves for the page after its redirect: shown once, per session, bounded, and gone after a while. */
import { describe, expect, it } from 'vitest';
import { SessionNotes } from '../../../src/server/http/web/session-notes.js';

describe('session notes', () => {
  it('are shown once, only to their own session', () => {
    const notes = new SessionNotes();
    notes.add('a', { kind: 'ok', text: 'saved' });
    expect(notes.take('b')).toEqual([]);
    expect(notes.take('a')).toEqual([{ kind: 'ok', text: 'saved' }]);
    expect(notes.take('a')).toEqual([]);
  });

  it('keep the last test report for its connection only', () => {
    const notes = new SessionNotes();
    notes.setReport('a', { name: 'acme', at: '2026-12-02T00:00:00Z', tests: [] });
    expect(notes.report('a', 'acme')?.name).toBe('acme');
    expect(notes.report('a', 'other')).toBeUndefined();
    expect(notes.report('b', 'acme')).toBeUndefined();
  });

  it('expire after half an hour, and a flood of sessions drops the oldest', () => {
    let now = 0;
    const notes = new SessionNotes(() => now);
    notes.add('old', { kind: 'info', text: 'x' });
    now = 31 * 60_000;
    notes.add('new', { kind: 'info', text: 'y' });
    expect(notes.take('old')).toEqual([]);
    for (let i = 0; i < 1001; i++) notes.add(`s${i}`, { kind: 'info', text: String(i) });
    expect(notes.take('new')).toEqual([]);
    expect(notes.take('s1000')).toEqual([{ kind: 'info', text: '1000' }]);
  });
});
