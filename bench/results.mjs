// What every benchmark shares: a line saying where and when it ran, and how it writes bench/RESULTS.md. Each
// benchmark owns one section between its own markers and replaces only that, so running one never erases another.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = new URL('./RESULTS.md', import.meta.url);

/** "2026-12-01, commit abc1234 (+ uncommitted changes), <CPU> × N, X GiB, Node vN": where the numbers come from. */
export function runInfo() {
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  let commit = 'not a git checkout';
  try {
    commit = `commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim()}`;
    if (execFileSync('git', ['status', '--porcelain'], { cwd: root }).toString().trim()) commit += ' + uncommitted changes';
  } catch {}
  return `${new Date().toISOString().slice(0, 10)}, ${commit}, ${machine}`;
}

/** Writes `body` as the section `id` of bench/RESULTS.md (replacing that section only) and echoes it to stdout. */
export function writeResultsSection(id, body) {
  const start = `<!-- ${id}: start -->`;
  const end = `<!-- ${id}: end -->`;
  const section = `${start}\n${body.trim()}\n${end}\n`;
  const existing = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n\nEach section is written by the benchmark it names and replaced only by that benchmark.\n';
  const from = existing.indexOf(start);
  const to = existing.indexOf(end);
  const merged =
    from >= 0 && to > from ? existing.slice(0, from) + section + existing.slice(to + end.length).replace(/^\n/, '') : `${existing.trimEnd()}\n\n${section}`;
  writeFileSync(RESULTS, merged);
  process.stdout.write(`\n${section}`);
}
