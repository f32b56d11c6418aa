/**
 * Reading one object that may not exist, for handlers (which never catch): Stripe's "no such object" (404) becomes
 * a result, and so, when asked, does a refusal (403), which a caller trying several kinds keeps for later.
 */
import { NOT_STRIPE_CODE, BAD_SHAPE_CODE, TIMEOUT_CODE, TOO_LARGE_CODE } from '../../stripe/answer.js';

/** The object, or null with the refusal when `keepRefusal` turned a 403 into a result. */
export interface Retrieved<T> {
  object: T | null;
  refused?: unknown;
}

/** Answers our HTTP layer makes of what is not Stripe's (answer.ts): a 404 among them is not "no such object". */
const OURS = new Set([NOT_STRIPE_CODE, BAD_SHAPE_CODE, TIMEOUT_CODE, TOO_LARGE_CODE]);

export async function retrieveIfExists<T>(read: () => Promise<T>, options: { keepRefusal?: boolean } = {}): Promise<Retrieved<T>> {
  try {
    return { object: await read() };
  } catch (err) {
    const { statusCode, code } = (err ?? {}) as { statusCode?: number; code?: string };
    if (statusCode === 404 && !(code && OURS.has(code))) return { object: null };
    if (statusCode === 403 && options.keepRefusal) return { object: null, refused: err };
    throw err;
  }
}
