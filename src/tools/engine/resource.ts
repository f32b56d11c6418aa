/**
 * The aggregate tool's name for the list of an object kind: "charges", "balance_transactions" (every kind a list
 * tool declares takes an s). A module of its own, importing nothing, so the start path (argument hints) can use it.
 */
export const resourceOf = (object: string) => `${object}s`;
