/**
 * Reading what an optional permission (a tool's `mayUse`) gives only while the key allows it. Stripe answers a
 * request the key may not make with a 403 naming the permission (docs.stripe.com/keys/restricted-api-keys), and
 * checks expanded objects too: so a request asks for less, not nothing, when that permission is refused.
 */
import { deniedPermission, type ReadPermission } from '../../stripe/permissions.js';
import type { ToolContext } from '../define-tool.js';

/**
 * Variants of a request, richest first (e.g. fewer expansions each): when Stripe's 403 names `permission`, the
 * next variant is tried and kept for later pages. Any other failure, or a refusal of the last variant, is thrown.
 */
export class OptionalPermissionFallback<Variant> {
  private index = 0;

  constructor(
    private readonly ctx: Pick<ToolContext, 'permissionMissing' | 'permissionUsed'>,
    readonly permission: ReadPermission,
    private readonly variants: readonly Variant[],
  ) {}

  /** True once Stripe refused the permission: what it gives is missing from the answer. */
  get missing(): boolean {
    return this.index > 0;
  }

  async run<T>(request: (variant: Variant) => Promise<T>): Promise<T> {
    for (;;) {
      try {
        const answer = await request(this.variants[this.index]!);
        // The richest variant is the one that needs the permission: Stripe answering it shows the key holds it.
        if (this.index === 0) this.ctx.permissionUsed?.(this.permission);
        return answer;
      } catch (err) {
        if (deniedPermission(err) !== this.permission || this.index >= this.variants.length - 1) throw err;
        if (this.index === 0) this.ctx.permissionMissing?.(this.permission);
        this.index++;
      }
    }
  }
}

/** `read()` when the key has `permission`; null when Stripe refuses exactly that permission. */
export async function readIfAllowed<T>(ctx: Pick<ToolContext, 'permissionMissing' | 'permissionUsed'>, permission: ReadPermission, read: () => Promise<T>): Promise<T | null> {
  return new OptionalPermissionFallback(ctx, permission, [true, false]).run(async (allowed) => (allowed ? read() : null));
}
