/**
 * server.json for the MCP registry, with the npm package and the MCP Bundle as ways to install. The registry's JSON
 * Schema (static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json) is not published on npm, so this
 * checks the fields it and the registry's docs require (modelcontextprotocol/registry docs/reference/server-json:
 * generic-server-json.md, official-registry-requirements.md; modelcontextprotocol.io/registry/package-types), and
 * what ties the file to this package. That `npm run bundle -- --server-json` writes the bundle's SHA-256 into it:
 * test/packaging/bundle.test.ts (`npm run test:packaging`), beside the bundle it builds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;
const server = read('server.json') as {
  $schema: string;
  name: string;
  title?: string;
  description: string;
  version: string;
  repository?: { url: string; source: string };
  packages: Array<Record<string, unknown> & { registryType: string; identifier: string; version: string; transport: { type: string } }>;
};
const pkg = read('package.json') as { name: string; version: string; mcpName: string };

/** The schema's Package object allows only these (additionalProperties: false). */
const PACKAGE_FIELDS = ['registryType', 'registryBaseUrl', 'identifier', 'version', 'fileSha256', 'runtimeHint', 'transport', 'runtimeArguments', 'packageArguments', 'environmentVariables'];
/** "Version ranges are rejected (e.g., '^1.2.3', '~1.2.3', '>=1.2.3', '1.x', '1.*')", and so is "latest". */
const isExactVersion = (v: string) => v.length > 0 && v.length <= 255 && v !== 'latest' && !/^[\^~<>=]|(^|\.)[x*](\.|$)|\s|\|\|/.test(v);

describe('server.json', () => {
  it('has the fields the registry schema requires, within its limits', () => {
    expect(server.$schema).toBe('https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json');
    expect(server.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(server.name.length).toBeGreaterThanOrEqual(3);
    expect(server.name.length).toBeLessThanOrEqual(200);
    expect(server.description.length).toBeGreaterThanOrEqual(1);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect(isExactVersion(server.version)).toBe(true);
    if (server.title !== undefined) expect(server.title.length).toBeLessThanOrEqual(100);
    expect(server.repository).toMatchObject({ source: 'github' });
    expect(() => new URL(server.repository!.url)).not.toThrow();
    expect(server.packages.length).toBeGreaterThan(0);
    for (const p of server.packages) {
      for (const field of ['registryType', 'identifier', 'version', 'transport']) expect(p, field).toHaveProperty(field);
      expect(Object.keys(p).filter((k) => !PACKAGE_FIELDS.includes(k))).toEqual([]);
      expect(isExactVersion(p.version), p.version).toBe(true);
      expect(p.transport).toEqual({ type: 'stdio' });
      for (const v of (p.environmentVariables ?? []) as Array<Record<string, unknown>>) {
        expect(typeof v.name).toBe('string');
        for (const flag of ['isRequired', 'isSecret']) if (flag in v) expect(typeof v[flag]).toBe('boolean');
        if ('format' in v) expect(['string', 'number', 'boolean', 'filepath']).toContain(v.format);
      }
    }
    const validator = (v: string) => isExactVersion(v);
    for (const bad of ['^1.2.3', '~1.2.3', '>=1.2.3', '1.x', '1.*', 'latest', '']) expect(validator(bad), bad).toBe(false);
  });

  it('offers the npm package and the bundle, tied to this package as the official registry checks', () => {
    expect(pkg.mcpName).toBe(server.name); // the registry reads mcpName from the published package.json
    expect(server.version).toBe(pkg.version);
    const npm = server.packages.find((p) => p.registryType === 'npm')!;
    expect(npm).toMatchObject({ registryBaseUrl: 'https://registry.npmjs.org', identifier: pkg.name, version: pkg.version, runtimeHint: 'npx' });
    const mcpb = server.packages.find((p) => p.registryType === 'mcpb')!;
    // MCPB: a GitHub or GitLab release download, with its SHA-256 (required for MCPB packages).
    expect(mcpb.identifier).toMatch(new RegExp(`^https://github\\.com/[^/]+/[^/]+/releases/download/v${pkg.version.replace(/\./g, '\\.')}/stripe-readonly-mcp\\.mcpb$`));
    expect(mcpb.fileSha256).toMatch(/^[a-f0-9]{64}$/);
    expect(mcpb.version).toBe(pkg.version);
    // The bundle's keys go in as its manifest passes them to the server.
    const secrets = (mcpb.environmentVariables as Array<{ name: string; isSecret?: boolean; isRequired?: boolean }>).filter((v) => v.isSecret);
    expect(secrets.map((v) => v.name)).toEqual(['STRIPE_API_KEY_TEST', 'STRIPE_API_KEY_LIVE']);
  });
});
