/**
 * Which command lines start the stdio server without loading the rest of the CLI (src/cli/index.ts): a bare start
 * or `serve` with its own flags only. Everything else goes to main(), which says what is wrong with it; the tests
 * that run main() in process (test/helpers/cli-in-process.ts) start after this choice, so it is held here.
 */
import { describe, expect, it } from 'vitest';
import { stdioServeArgs } from '../../src/cli/serve-args.js';
import { canaryKey } from '../helpers/spawn.js';

describe('stdioServeArgs', () => {
  it('a bare start and `serve`, with the stdio server flags, start the stdio server', () => {
    expect(stdioServeArgs([])).toEqual({ demo: false, connection: undefined, mode: undefined, tools: undefined });
    expect(stdioServeArgs(['serve', '--demo'])).toMatchObject({ demo: true });
    expect(stdioServeArgs(['--connection', 'acme', '--mode', 'test', '--tools', 'metrics'])).toEqual({ demo: false, connection: 'acme', mode: 'test', tools: ['metrics'] });
  });

  it('anything else goes to main(): other commands, unknown flags, --http, --help, extra words', () => {
    for (const argv of [['frobnicate'], ['--colour'], ['serve', '--http'], ['--help'], ['--version'], ['call', 'get_balance'], ['serve', 'now'], ['connections', 'list']]) {
      expect(stdioServeArgs(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('a key anywhere on the command line is refused before anything starts', () => {
    const key = canaryKey();
    expect(() => stdioServeArgs(['--connection', key])).toThrow(/never taken on the command line/);
    expect(() => stdioServeArgs([key])).toThrow(/never taken on the command line/);
  });
});
