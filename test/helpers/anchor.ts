/** Fixed "now" of the dataset so figures in tests never drift with the calendar (the tools and emulator tests'). */
export const TEST_ANCHOR = new Date('2026-11-01T00:00:00Z');
