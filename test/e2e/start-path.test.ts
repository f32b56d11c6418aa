/**
 * The stdio server's start path: what `stripe-readonly-mcp` (serve over stdio) loads before its first tools/list
 * answer. An MCP client starts it at every launch and waits for that answer, so the tools' code, `stripe`, the
 * emulator, the HTTP/OAuth side and the connection commands load only when used. Read from the build's metafile
 * (scripts/build.mjs): dist/cli.js and the serve chunk, every file they import statically, and every source file
 * inside those. Any other command (`connections list`, `config`, `--version`) goes through main.ts and loads
 * neither the server nor the tools unless it uses them.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Metafile {
  inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown>; bytes: number }>;
}

// Written by the build that test/global-setup.ts runs before every test run.
const meta = JSON.parse(readFileSync(new URL('../../dist/metafile.json', import.meta.url), 'utf8')) as Metafile;

/** The output file that holds a source file. */
const outputOf = (source: string): string => Object.entries(meta.outputs).find(([, o]) => Object.keys(o.inputs).includes(source))![0];

/**
 * The output files loaded at start and the packages they import from node_modules: dist/cli.js, which reads the
 * arguments, then the serve chunk it imports for `serve` (src/cli/index.ts), each with its static imports.
 */
function startPath(entries = ['dist/cli.js', outputOf('src/cli/serve-stdio.ts')]): { files: string[]; sources: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const i of meta.outputs[file]!.imports) {
      if (i.kind !== 'import-statement') continue;
      if (i.external) packages.add(i.path);
      else queue.push(i.path);
    }
  }
  const sources = [...files].flatMap((f) => Object.keys(meta.outputs[f]!.inputs));
  return { files: [...files], sources, packages: [...packages] };
}

describe('the stdio start path', () => {
  const { sources, packages } = startPath();

  it('holds the server, the SDK and the catalogue reader (the measurement below sees what it should)', () => {
    expect(sources).toEqual(expect.arrayContaining(['src/cli/serve-stdio.ts', 'src/server/create-server.ts', 'src/server/catalogue.ts']));
    expect(sources.some((s) => s.startsWith('node_modules/@modelcontextprotocol/server/'))).toBe(true);
  });

  it('loads no tool, no tool runner, no stripe, no emulator, no HTTP or OAuth code and no connection command', () => {
    const toolFiles = sources.filter((s) => /^src\/tools\/(?!toolsets\.ts$|engine\/)[^/]+\.ts$/.test(s));
    expect(toolFiles, 'tool modules (their zod schemas and handlers) load on the first call').toEqual([]);
    const forbidden = sources.filter((s) =>
      /^src\/(server\/(tool-runner|tool-runtime|schema-snapshot)\.ts|server\/http\/|emulator\/|cli\/(main|connections|doctor|config-snippets|tokens|serve-http)\.ts|connections\/(manager|verify|tool-check)\.ts)/.test(s),
    );
    expect(forbidden).toEqual([]);
    const heavy = sources.filter((s) => /node_modules\/(stripe|oidc-provider|ajv|hono|@hono)\//.test(s));
    expect(heavy).toEqual([]);
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([]); // stripe, keytar, oidc-provider: imported when used
  });

  it('leaves the tools to a chunk loaded on the first call', () => {
    const lazy = Object.entries(meta.outputs).filter(([, o]) => Object.keys(o.inputs).includes('src/tools/list-charges.ts'));
    expect(lazy.length).toBe(1);
    const [lazyFile] = lazy[0]!;
    expect(startPath().files).not.toContain(lazyFile);
  });
});

describe('the other commands', () => {
  it('load neither the MCP server, nor the tools, nor stripe: a run of `connections list`, `config` or `--version` takes half the CPU it did', () => {
    for (const command of ['src/cli/main.ts', 'src/cli/connections/list.ts', 'src/cli/config-snippets.ts', 'src/cli/doctor.ts']) {
      const { sources } = startPath(['dist/cli.js', outputOf('src/cli/main.ts'), outputOf(command)]);
      expect(sources, command).toContain(command);
      expect(sources.filter((s) => /node_modules\/(@modelcontextprotocol|stripe)\//.test(s) || /^src\/tools\/(?!toolsets\.ts$|engine\/)[^/]+\.ts$/.test(s)), command).toEqual([]);
    }
  });
});

describe('the installed package', () => {
  it("imports from node_modules only package.json's dependencies: the SDK, zod and stripe are inside dist/", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const packageOf = (path: string) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');
    const imported = new Set(
      Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external && !i.path.startsWith('node:') && !builtinModules.includes(i.path)).map((i) => packageOf(i.path))),
    );
    expect([...imported].sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });
});
