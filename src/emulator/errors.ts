/** Stripe's error JSON: `{"error":{"type","message","code"?,"param"?,"doc_url"?,"request_log_url"?}}`. */

export interface StripeErrorBody {
  type: string;
  message: string;
  code?: string;
  param?: string;
  doc_url?: string;
  request_log_url?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
}

export function invalidRequest(message: string, param?: string, code?: string): ApiError {
  return new ApiError(400, {
    type: 'invalid_request_error',
    message,
    ...(code ? { code, doc_url: docUrl(code) } : {}),
    ...(param ? { param } : {}),
  });
}

export function unknownParameter(name: string): ApiError {
  return invalidRequest(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
}

export function invalidInteger(value: string, param: string): ApiError {
  return invalidRequest(`Invalid integer: ${value}`, param);
}

export function resourceMissing(objectName: string, id: string, param = 'id'): ApiError {
  return new ApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    doc_url: docUrl('resource_missing'),
    message: `No such ${objectName}: '${id}'`,
    param,
  });
}

export function unrecognizedUrl(method: string, path: string): ApiError {
  return new ApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

/** Stripe shows a key as its prefix, asterisks and the last four characters: `rk_test_****abcd`. */
export function maskKey(key: string): string {
  const m = /^((?:sk|rk|pk)_(?:test|live)_)(.*)$/.exec(key);
  const prefix = m ? (m[1] as string) : '';
  const rest = m ? (m[2] as string) : key;
  const tail = rest.length > 4 ? rest.slice(-4) : '';
  return `${prefix}****${tail}`;
}

export function invalidApiKey(key: string): ApiError {
  return new ApiError(401, {
    type: 'invalid_request_error',
    message: `Invalid API Key provided: ${maskKey(key)}`,
  });
}

export function noApiKey(): ApiError {
  return new ApiError(401, {
    type: 'invalid_request_error',
    message:
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
  });
}

export function expiredApiKey(key: string): ApiError {
  return new ApiError(401, {
    type: 'invalid_request_error',
    code: 'api_key_expired',
    doc_url: docUrl('api_key_expired'),
    message: `Expired API Key provided: ${maskKey(key)}. Please visit https://dashboard.stripe.com/apikeys to generate a new key or roll the expired one.`,
  });
}

export function publishableKey(): ApiError {
  return new ApiError(401, {
    type: 'invalid_request_error',
    message:
      'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
  });
}

export function permissionDenied(key: string, account: string, permission: string): ApiError {
  return new ApiError(403, {
    type: 'invalid_request_error',
    message: `The provided key '${maskKey(key)}' does not have the required permissions for this endpoint on account '${account}'. Having the '${permission}' permission would allow this request to continue.`,
  });
}

export function faultError(status: 429 | 500 | 502 | 503): ApiError {
  if (status === 429) {
    return new ApiError(429, {
      type: 'invalid_request_error',
      code: 'rate_limit',
      doc_url: docUrl('rate_limit'),
      message: 'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
    });
  }
  return new ApiError(status, {
    type: 'api_error',
    message:
      status === 500
        ? "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at https://support.stripe.com/contact."
        : 'The Stripe API is temporarily unavailable. Please retry your request shortly.',
  });
}
