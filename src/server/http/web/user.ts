import type { Mode } from '../../../stripe/keys.js';

/**
 * The signed-in person a page serves (oauth's session gives it: `currentUser(req)` in authserver/session.ts).
 * The shape is the interface between the sign-in and the pages; TypeScript matches it structurally.
 */
export interface WebUser {
  name: string;
  /** May see and change connections (the connections page); others only consent to clients within `grants`. */
  manageConnections: boolean;
  grants: { connection: string; mode: Mode }[];
}
