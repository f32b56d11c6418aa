import { redactKeys } from './keys.js';
import { DateInputError } from './time.js';
import { WRITE_BLOCKED_CODE } from './http.js';
import { dashboardLabel, deniedPermission, describePermissions, type ToolPermissions } from './permissions.js';
import { BAD_SHAPE_CODE, NOT_STRIPE_CODE, RETRIES_FIELD, TIMEOUT_CODE, TOO_LARGE_CODE } from './answer.js';
import { cleanText } from './sanitize.js';
import { StripeDataError } from './data-error.js';

/** Answers our HTTP layer made for what Stripe's API would never send (answer.ts): their message says it all. */
const ANSWER_CODES = new Set([NOT_STRIPE_CODE, BAD_SHAPE_CODE, TIMEOUT_CODE, TOO_LARGE_CODE]);

/** Bad input a person or model can fix: answered as a clear message, nothing is sent to Stripe. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}

/** The server is not set up to answer (no key, unknown connection, mode not configured). */
export class SetupError extends Error {
  override name = 'SetupError';
}

/** Stripe answered with an object of the other mode: refused rather than mixing test and live data. */
export class ModeMismatchError extends Error {
  override name = 'ModeMismatchError';
  constructor(connection: string, mode: 'test' | 'live', objectId: string) {
    super(
      `Refused: connection "${connection}" was asked for ${mode}-mode data but Stripe returned ${objectId} from the other mode. ` +
        `The key stored for ${mode} mode is probably a ${mode === 'live' ? 'test' : 'live'} key; replace it with the right one.`,
    );
  }
}

/**
 * An id that may be of several kinds (no prefix: a product, price or coupon the account named) that the key may
 * read as none of them: each kind's 403 named its own permission, and which one applies depends on what the id is.
 */
export class RefusedKindsError extends Error {
  override name = 'RefusedKindsError';
  constructor(readonly refusals: ReadonlyArray<{ label: string; error: unknown }>) {
    super(`refused as ${refusals.map((r) => r.label).join(', ')}`);
  }
}

/** What the error mapper needs to know about the call that failed. */
export interface ErrorContext {
  tool: string;
  /** The tool's declared permissions: named only when Stripe's 403 names none (the 403's own name comes first). */
  permissions?: ToolPermissions;
  mode?: 'test' | 'live';
}

interface StripeLikeError {
  type?: string;
  rawType?: string;
  code?: string;
  message?: string;
  param?: string;
  requestId?: string;
  statusCode?: number;
  headers?: Record<string, string>;
  raw?: Record<string, unknown>;
  detail?: { code?: string; message?: string };
}

function isStripeError(err: unknown): err is StripeLikeError & Error {
  return err instanceof Error && typeof (err as StripeLikeError).type === 'string' && (err as StripeLikeError).type!.startsWith('Stripe');
}

function withRequestId(text: string, err: StripeLikeError): string {
  return err.requestId ? `${text} (Stripe request id: ${err.requestId})` : text;
}

/**
 * Turns any failure into the message a tool result carries (`isError: true`): what happened and what to
 * do next, with Stripe's request id when there is one. Never a stack trace, never a key.
 */
export function describeError(err: unknown, context: ErrorContext): string {
  // Hidden characters first: a key split by a zero-width space must still be seen whole by the redaction.
  return redactKeys(cleanText(describe(err, context)));
}

/** True for failures no user action explains (bugs): those are also logged to stderr for the operator. */
export function isUnexpectedError(err: unknown): boolean {
  return !(
    err instanceof ToolInputError ||
    err instanceof DateInputError ||
    err instanceof SetupError ||
    err instanceof ModeMismatchError ||
    err instanceof StripeDataError ||
    err instanceof RefusedKindsError ||
    isStripeError(err)
  );
}

function describe(err: unknown, context: ErrorContext): string {
  if (err instanceof ToolInputError || err instanceof DateInputError) return `Invalid input: ${err.message}`;
  if (err instanceof SetupError || err instanceof ModeMismatchError) return err.message;
  if (err instanceof RefusedKindsError) return refusedKindsAdvice(err);
  if (err instanceof StripeDataError) {
    return (
      `Stripe's answer holds a value ${context.tool} cannot read: ${err.message}. Stripe's API does not send this, so the answer probably did not come from it: ` +
      'check STRIPE_API_BASE (if it is set) and any proxy between this server and api.stripe.com. If it did come from api.stripe.com, please report this message.'
    );
  }
  if (!isStripeError(err)) {
    if (err instanceof Error && err.name === 'AbortError') return 'The call was cancelled before it finished.';
    return `Unexpected error in ${context.tool}: ${err instanceof Error ? err.message : String(err)}. This is a bug in stripe-readonly-mcp; please report it with this message.`;
  }
  const message = err.message ?? '';
  if (err.code && ANSWER_CODES.has(err.code)) return withRequestId(message, err);
  switch (err.type) {
    case 'StripeAuthenticationError':
      if (err.code === 'api_key_expired') {
        return withRequestId(
          `Stripe rejected the ${context.mode ?? ''} key as expired (it was rolled). Create a new restricted key in the Stripe Dashboard (Developers → API keys) and set it in place of the old one.`.replace('  ', ' '),
          err,
        );
      }
      return withRequestId(
        `Stripe did not accept the API key: ${message} Check that the key is copied whole and has not been deleted or rolled in the Dashboard (Developers → API keys).`,
        err,
      );
    case 'StripePermissionError':
      return withRequestId(permissionAdvice(err, context), err);
    case 'StripeRateLimitError':
      return withRequestId(
        'Stripe is rate-limiting this account right now (HTTP 429), after the server spaced its requests and retried where Stripe allowed it. Wait a few seconds and try again, or narrow the request (smaller date range or limit).',
        err,
      );
    case 'StripeInvalidRequestError':
      if (err.code === 'resource_missing' || err.statusCode === 404) {
        return withRequestId(`Not found: ${message} Check the id, and that it belongs to this account and mode.`, err);
      }
      if (context.tool === 'search' || err.param === 'query') {
        return withRequestId(
          `Stripe could not run this search: ${message} Syntax: field:'value' (exact), field~'abc' (contains, 3+ characters), amount>1000, created>1700000000, -field:'x' (not), metadata['key']:'value'; join clauses with AND or OR (not both).`,
          err,
        );
      }
      return withRequestId(`Stripe rejected the request: ${message}${err.param ? ` (parameter: ${err.param})` : ''}`, err);
    case 'StripeAPIError':
      if (err.code === WRITE_BLOCKED_CODE) return message;
      return withRequestId(
        `Stripe had an internal problem answering (HTTP ${err.statusCode ?? '5xx'}${message ? `: ${message.replace(/\.$/, '')}` : ''}). ${retriedNote(err)} Try again in a minute, and check https://status.stripe.com if it persists.`,
        err,
      );
    case 'StripeConnectionError':
      return withRequestId(
        `Could not reach Stripe: ${connectionFailure(err)} (${/retried \d+ times?/.exec(message)?.[0].replace(/^retried 1 times$/, 'retried once') ?? 'not retried'}). ` +
          'Check the network or proxy, and STRIPE_API_BASE if it is set; then try again.',
        err,
      );
    default:
      return withRequestId(`Stripe returned an error: ${message}`, err);
  }
}

const EDIT_KEY = 'Open the key in the Stripe Dashboard (Developers → API keys → your restricted key → Edit)';

/**
 * A restricted key's 403: the resource Stripe named (its `rak_…` permission, which may be an expanded object's,
 * not the tool's main resource), and where to set it. When Stripe names none, what the tool declares it reads.
 */
function permissionAdvice(err: StripeLikeError, context: ErrorContext): string {
  const permission = deniedPermission(err);
  if (permission) {
    const label = dashboardLabel(permission);
    const resource = label ? `"${label}"` : `the resource Stripe calls '${permission}'`;
    return (
      `The restricted key is not allowed to read ${label ?? permission} (Stripe asked for '${permission}'). ` +
      `${EDIT_KEY} and set ${resource} to Read; other tools keep working meanwhile.`
    );
  }
  const declared = context.permissions ? ` ${context.tool} ${describePermissions(context.permissions)}.` : '';
  return (
    `The restricted key is not allowed to make this request, and Stripe did not say which permission is missing: ${err.message ?? ''}${declared} ` +
    `${EDIT_KEY} and set what it needs to Read; \`connections test\` lists what the key lacks.`
  );
}

function refusedKindsAdvice(err: RefusedKindsError): string {
  const named = err.refusals.map(({ label, error }) => ({ label, permission: deniedPermission(error) }));
  const asked = named.flatMap((n) => (n.permission ? [`'${n.permission}'`] : [])).join(', ');
  const sets = named.map((n) => `set "${(n.permission && dashboardLabel(n.permission)) ?? n.label}" to Read for a ${n.label}`).join('; ');
  return (
    `The restricted key is not allowed to read this id as a ${named.map((n) => n.label).join(', ')}${asked ? ` (Stripe asked for ${asked})` : ''}: ` +
    `an id without a Stripe prefix can be any of these. ${EDIT_KEY} and set the one it is to Read (${sets}); other tools keep working meanwhile.`
  );
}

/** What stripe-node did with a Stripe error answer (answer.ts counts the retries of retryable ones). */
function retriedNote(err: StripeLikeError): string {
  if (err.headers?.['stripe-should-retry'] === 'false') return 'Stripe asked not to retry it, so it was not.';
  const retries = err.raw?.[RETRIES_FIELD];
  if (retries === 0) return 'It was not retried.';
  return typeof retries === 'number' ? `It was retried ${retries === 1 ? 'once' : `${retries} times`}; this was the last answer.` : 'It was retried automatically.';
}

/** The network failure under a StripeConnectionError, in words (stripe-node's own message only says "an error"). */
function connectionFailure(err: StripeLikeError): string {
  const code = err.detail?.code;
  const words: Record<string, string> = {
    ECONNRESET: 'the connection to Stripe was reset',
    EPIPE: 'the connection to Stripe was closed',
    ECONNREFUSED: 'the connection was refused',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name could not be looked up',
    ETIMEDOUT: 'it timed out',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
    DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed (a proxy intercepting TLS?)",
    SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate is not trusted (a proxy intercepting TLS?)",
  };
  return (code && words[code]) ?? (code ? `error ${code}` : err.detail?.message ?? 'no answer');
}
