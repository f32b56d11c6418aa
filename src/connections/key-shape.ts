import { SetupError } from '../stripe/errors.js';
import { CLI } from '../program-name.js';
import { describeKey, keyHint, type Mode } from '../stripe/keys.js';

/**
 * Said when no list of permissions was given: src/connections/ knows no tool, so the layer above passes the real
 * one (src/cli/tool-probes.ts, `restrictedKeyHowTo`) through the ConnectionManager.
 */
export const GENERIC_KEY_HOW_TO =
  'Create one in the Stripe Dashboard: Developers → API keys → Create restricted key, and set to Read the resources the tools read (`stripe-readonly-mcp tools` lists each tool and what it needs); leave everything else None.';

export interface CheckedKey {
  key: string;
  kind: 'restricted' | 'secret';
  mode: Mode;
}

/** How the person picked a mode and says "store the secret key anyway": the CLI's flags, or a web page's own words. */
export interface KeyWording {
  /** e.g. "--mode live was given" / "This form adds the live key". */
  modeGiven: (mode: Mode) => string;
  /** The way out after "Use a live key (…)", e.g. ", or leave out --mode". */
  modeAlternative: string;
  /** The last sentence of the secret-key refusal. */
  storeSecretAnyway: string;
  /** How to replace a connection's key of a mode, e.g. "run: … connections rotate acme --mode test". */
  replaceKey: (name: string, mode: Mode) => string;
}

export const CLI_WORDING: KeyWording = {
  modeGiven: (mode) => `--mode ${mode} was given`,
  modeAlternative: ', or leave out --mode',
  storeSecretAnyway: 'To store the secret key anyway, run the command again with --allow-secret-key.',
  replaceKey: (name, mode) => `${CLI} connections rotate ${name} --mode ${mode}`,
};

/**
 * Checks a key's shape before anything is sent anywhere: its prefix says its kind and mode. Publishable keys and
 * unknown shapes are refused; secret keys only with `allowSecret` (they can write). Messages never show the key.
 */
export function checkKeyShape(
  raw: string,
  options: { mode?: Mode | undefined; allowSecret: boolean; howTo?: string | undefined; wording?: KeyWording | undefined },
): CheckedKey {
  const key = raw.trim();
  const howTo = options.howTo ?? GENERIC_KEY_HOW_TO;
  const wording = options.wording ?? CLI_WORDING;
  if (key === '') {
    throw new SetupError(`No key was given (the input was empty). Paste a restricted key (rk_test_… or rk_live_…). ${howTo}`);
  }
  if (/\s/.test(key)) {
    throw new SetupError('The key contains spaces or line breaks: paste exactly one key, on one line.');
  }
  if (/^sk_org/.test(key)) {
    throw new SetupError(`Organisation keys (sk_org…) are not supported: they need a Stripe-Context for every request. Use a restricted key of the account instead. ${howTo}`);
  }
  const shape = describeKey(key);
  if (!shape) {
    // Nothing of an unknown secret is shown: at most a short lower-case prefix such as "whsec_".
    const prefix = /^[a-z]{2,8}_/.exec(key)?.[0];
    throw new SetupError(
      `That does not look like a Stripe API key (${key.length} characters${prefix ? `, starting "${prefix}"` : ''}). Expected a restricted key: rk_test_… or rk_live_…, ` +
        `copied whole from the Stripe Dashboard (Developers → API keys).`,
    );
  }
  if (shape.kind === 'publishable') {
    throw new SetupError(`That is a publishable key (pk_…), which cannot read account data. Use a restricted key instead. ${howTo}`);
  }
  if (options.mode && options.mode !== shape.mode) {
    throw new SetupError(
      `${wording.modeGiven(options.mode)}, but this is a ${shape.mode}-mode key (${keyHint(key)}). ` +
        `Use a ${options.mode} key (${shape.kind === 'secret' ? 'sk' : 'rk'}_${options.mode}_…; in the Dashboard, ${options.mode === 'live' ? 'turn Test mode off' : 'turn Test mode on'} first)${wording.modeAlternative}.`,
    );
  }
  if (shape.kind === 'secret' && !options.allowSecret) {
    throw new SetupError(
      'That is a secret key (sk_…): it can change anything in the account (refunds, payouts, deletions). This server only ever reads, ' +
        `but a restricted key with Read access limits the damage if the key ever leaks. ${howTo} ` +
        wording.storeSecretAnyway,
    );
  }
  return { key, kind: shape.kind, mode: shape.mode };
}
