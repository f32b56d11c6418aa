/**
 * Stands in for `@modelcontextprotocol/server/_shims` in the build (scripts/build.mjs; the SDK selects its shims by
 * runtime the same way). The SDK's Node shim makes an Ajv JSON Schema validator for every server, which loads Ajv
 * (~150 KB) at every start; the SDK uses it only to check a client's answers to elicitation requests, and this
 * server never sends one. Asked for a validator anyway, it says so rather than validating nothing.
 */
import process from 'node:process';

export class DefaultJsonSchemaValidator {
  getValidator(): never {
    throw new Error('stripe-readonly-mcp never asks the client for input, so it validates no JSON Schema: this is a bug, please report it.');
  }
}

export { process };
