import { CLI } from '../../program-name.js';

export const CONNECTIONS_USAGE = `Usage:
  ${CLI} connections add NAME [--mode test|live] [--key-stdin] [--allow-secret-key] [--default]
  ${CLI} connections list [--json]
  ${CLI} connections test NAME [--mode test|live]
  ${CLI} connections rotate NAME --mode test|live [--key-stdin] [--allow-secret-key]
  ${CLI} connections remove NAME [--mode test|live] [--yes]
  ${CLI} connections default NAME [--mode test|live]`;
