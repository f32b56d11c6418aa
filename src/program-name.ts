/** The command users type (and the package's name): what messages tell them to run. A module of its own, so that
 * what only needs the name (argument checks, usage texts) loads nothing else. */
export const CLI = 'stripe-readonly-mcp';
