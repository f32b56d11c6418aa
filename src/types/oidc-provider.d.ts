// The little of oidc-provider's API we use (it ships no types; @types/oidc-provider would be one more dependency).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Interaction {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown> & { client_id?: string; redirect_uri?: string; scope?: string; resource?: string | string[] };
    session?: { accountId?: string };
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
    exp: number;
    save(ttlSeconds: number): Promise<string>;
  }

  export interface GrantInstance {
    addResourceScope(resource: string, scope: string): void;
    addOIDCScope(scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    save(ttlSeconds?: number): Promise<string>;
  }

  export interface ClientInstance {
    clientId: string;
    clientName?: string;
    redirectUris?: string[];
    [key: string]: unknown;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    Grant: new (properties: { accountId: string; clientId: string }) => GrantInstance;
    Client: { find(id: string): Promise<ClientInstance | undefined> };
  }

  export const errors: Record<string, new (description?: string) => Error>;
}
