// Issue 12, item 5: no function in src/ over ~80 lines. Functions, methods, arrow functions and accessors are
// measured from their first line to their last (comments and blank lines inside count: a long function is long
// to read whatever it holds). A function nested in another counts for itself and inside its parent.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
// TypeScript 5.9's parser (the `typescript-5` alias): TypeScript 7, which checks the types, has no stable JS API.
import ts from 'typescript-5';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 80;
const SRC = join(import.meta.dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && (ts.isIdentifier(named.name) || ts.isStringLiteral(named.name) || ts.isPrivateIdentifier(named.name))) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) return parent.name.text;
  if (parent && ts.isCallExpression(parent)) return `(argument of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

interface LongFunction {
  where: string;
  lines: number;
}

function longFunctions(max = MAX_LINES): LongFunction[] {
  const found: LongFunction[] = [];
  for (const file of sourceFiles(SRC)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && (node as { body?: ts.Node }).body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = end - start + 1;
        if (lines > max) found.push({ where: `${relative(SRC, file)}:${nameOf(node)}`, lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('function length in src/', () => {
  const long = longFunctions();

  // No allow-list: a function over the limit is split along what it does.
  it(`has no function over ${MAX_LINES} lines`, () => {
    expect(long.map((f) => `${f.where} (${f.lines} lines)`)).toEqual([]);
  });
});
