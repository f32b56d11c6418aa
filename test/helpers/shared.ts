/**
 * Stripe's official fixtures and OpenAPI spec live in ../shared beside the checkout (never copied into the repo).
 * CI always has it; a fresh clone elsewhere does not. Tests that need it skip with one line saying why, unless
 * STRIPE_MCP_REQUIRE_SHARED=1 (set by .ci/run), which turns the skip into a failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

export interface SharedFile {
  path: string;
  available: boolean;
  /** JSON.parse of the file; only call where `available`. */
  json<T>(): T;
}

export function sharedFile(relative: string): SharedFile {
  const path = `${SHARED_DIR}${relative}`;
  return { path, available: existsSync(path), json: <T>() => JSON.parse(readFileSync(path, 'utf8')) as T };
}

export const requireShared = (env: NodeJS.ProcessEnv = process.env) => env.STRIPE_MCP_REQUIRE_SHARED === '1';

/**
 * `describe` for tests that read `file`: runs them when it exists; otherwise skips them with a one-line reason, or,
 * under STRIPE_MCP_REQUIRE_SHARED=1, fails with the same reason.
 */
export function describeWithShared(name: string, file: SharedFile, body: () => void): void {
  if (file.available) {
    describe(name, body);
    return;
  }
  const reason = `${file.path} is missing (Stripe's official fixtures, kept beside the checkout in ../shared, not in the repo)`;
  if (requireShared()) {
    describe(name, () => {
      it('needs ../shared, because STRIPE_MCP_REQUIRE_SHARED=1', () => {
        throw new Error(`STRIPE_MCP_REQUIRE_SHARED=1, but ${reason}.`);
      });
    });
    return;
  }
  console.warn(`skipped "${name}": ${reason}. CI runs these (STRIPE_MCP_REQUIRE_SHARED=1).`);
  // The body is not run at all: it reads the file while collecting.
  describe.skip(name, () => {
    it(`needs ${file.path}`, () => {});
  });
}
