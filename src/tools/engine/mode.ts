import { ModeMismatchError } from '../../stripe/errors.js';
import type { Mode } from '../../stripe/keys.js';

interface StripeObjectLike {
  id: string;
  livemode?: boolean;
}

/** Defence in depth: an object whose livemode contradicts the routed mode is refused, never returned. */
export function assertMode(objects: readonly StripeObjectLike[], ctx: { mode: Mode; connection: string }): void {
  const live = ctx.mode === 'live';
  const wrong = objects.find((o) => typeof o.livemode === 'boolean' && o.livemode !== live);
  if (wrong) throw new ModeMismatchError(ctx.connection, ctx.mode, wrong.id);
}
