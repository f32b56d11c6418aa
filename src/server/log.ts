import { redactKeys } from '../stripe/keys.js';

/** Diagnostics go to stderr (stdout is the protocol channel in stdio mode), with anything key-shaped masked. */
export function logLine(message: string): void {
  process.stderr.write(`stripe-readonly-mcp: ${redactKeys(message)}\n`);
}
