/**
 * get_mrr_bridge through the command line, as a person runs it on the demo data (whose "now" is the start of
 * today): the table (the built CLI), and the JSON (the same main() in this process, test/helpers/cli-in-process.ts)
 * checked against a separate computation over the same generated data.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/emulator/dataset/index.js';
import { major } from '../helpers/expected.js';
import { referenceBridge, roundScaled } from '../helpers/bridge-reference.js';
import { runCliInProcess } from '../helpers/cli-in-process.js';
import { BIN, cleanEnv } from '../helpers/spawn.js';

const run = promisify(execFile);
const cli = (args: string[]) => run(process.execPath, [BIN, ...args], { env: cleanEnv() });

// Each test runs the CLI on the whole demo business: generous limits, for a loaded machine (not a timing goal).
describe('call get_mrr_bridge --demo', { timeout: 120_000 }, () => {
  it('prints the months as a table, then retention and what it cannot know', async () => {
    const { stdout } = await cli(['call', 'get_mrr_bridge', '{"months":2}', '--demo']);
    expect(stdout).toMatch(/^month\s+currency\s+starting_mrr\s+new\s+expansion\s+contraction\s+churned\s+reactivation\s+ending_mrr/m);
    expect(stdout).toMatch(/^retention:$/m);
    expect(stdout).toMatch(/^currency\s+starting_mrr\s+retained_mrr\s+nrr\s+grr/m);
    expect(stdout).toMatch(/cannot_know: /);
  });

  it('--json: every figure of the last six complete months, per currency, as worked out apart', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['call', 'get_mrr_bridge', '{"months":6}', '--demo', '--json']);
    expect(code, stderr).toBe(0);
    const r = JSON.parse(stdout);
    const today = new Date();
    const ds = generateDataset({ seed: 42, anchor: new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())), mode: 'test' });
    const starts = Array.from({ length: 7 }, (_, k) => Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 6 + k, 1) / 1000);
    const ref = referenceBridge(ds, starts.map((s) => s - 1), starts.slice(0, 6));
    const rows = r.months.map((m: Record<string, string>) => [m.month, m.currency, m.starting_mrr, m.new, m.expansion, m.contraction, m.churned, m.reactivation, m.ending_mrr]);
    const expected = starts.slice(0, 6).flatMap((start, i) =>
      [...ref.months[i]!.entries()]
        .filter(([, m]) => m.starting > 0n || m.ending > 0n)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, m]) => [
          new Date(start * 1000).toISOString().slice(0, 7),
          currency,
          ...[m.starting, m.new, m.expansion, m.contraction, m.churned, m.reactivation, m.ending].map((x) => major(roundScaled(x), currency)),
        ]),
    );
    expect(rows).toEqual(expected);
    // The demo's upgrade and seat changes fall in these six months, whatever today is.
    const usd = r.months.filter((m: Record<string, string>) => m.currency === 'usd');
    for (const f of ['expansion', 'contraction']) expect(usd.some((m: Record<string, string>) => Number(m[f]) > 0), f).toBe(true);
  });
});
