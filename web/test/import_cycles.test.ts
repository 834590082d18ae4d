// The modules of web/src form no import cycle, type-only imports and re-exports included
// (ESLint's import/no-cycle rules skip `import type`, which is how db.ts -> sampleBook.ts ->
// effectiveBook.ts -> db.ts went unnoticed).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(name) ? [p] : [];
  });
}

/** Relative specifiers of `import … from`, `export … from`, `import '…'` and `import('…')`. */
function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs = [
    ...code.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
  return specs.filter((s) => s.startsWith('.'));
}

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec.replace(/\?.*$/, ''));
  for (const p of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`])
    if (existsSync(p) && statSync(p).isFile() && /\.tsx?$/.test(p)) return p;
  return null;
}

/** Every cycle found by a depth-first walk, each as the list of files from its first to its last. */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open') cycles.push(stack.slice(stack.indexOf(g)));
      else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
  return cycles;
}

describe('import graph of web/src', () => {
  test('finds cycles, type-only ones too (the checker itself)', () => {
    expect(
      importsOf(`import type { A } from './a';\nexport * from "./b";\nimport './c.css';`),
    ).toEqual(['./a', './b', './c.css']);
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cyclesOf(g)).toEqual([['a', 'b', 'c']]);
  });

  test('has no cycle', () => {
    const files = sourceFiles(SRC);
    const graph = new Map(
      files.map((f) => [
        f,
        importsOf(readFileSync(f, 'utf8'))
          .map((s) => resolve(f, s))
          .filter((p): p is string => p !== null),
      ]),
    );
    expect(graph.size).toBeGreaterThan(50);
    const named = cyclesOf(graph).map((c) =>
      [...c, c[0]].map((f) => path.relative(SRC, f)).join(' -> '),
    );
    expect(named).toEqual([]);
  });
});
