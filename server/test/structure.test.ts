// The code structure the architecture document promises, checked on every
// run: no import circles, no SQL in route files, the server never depends on
// its demo data, and no two components share a file name.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TREES = ['server/src', 'shared/src', 'client/src', 'seeds'];

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const SOURCES = TREES.flatMap(files);
const text = new Map(SOURCES.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));

/** Relative imports (static, dynamic and re-exports), resolved to repo paths; `import type` included, since a type circle is still a circle in the design. */
function importsOf(file: string): string[] {
  const src = text.get(file) ?? '';
  const specs = [...src.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

const GRAPH = new Map(SOURCES.map((f) => [f, importsOf(f).filter((t) => text.has(t))]));

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('code structure', () => {
  it('finds circles when there are some (the check itself works)', () => {
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']], ['e', ['e']]]);
    expect(circles(g)).toEqual([['a', 'b', 'c'], ['e']]);
    expect(GRAPH.size).toBeGreaterThan(100);
    expect([...GRAPH.values()].flat().length).toBeGreaterThan(200);
  });

  it('has no import circles', () => {
    expect(circles(GRAPH)).toEqual([]);
  });

  it('keeps SQL out of every routes.ts (HTTP only)', () => {
    const routeFiles = SOURCES.filter((f) => f.startsWith('server/src/') && basename(f) === 'routes.ts');
    expect(routeFiles.length).toBeGreaterThanOrEqual(6);
    const sqlish = /\b(selectFrom|insertInto|updateTable|deleteFrom|executeTakeFirst|\.transaction\(\))|\bsql`|from ['"]kysely['"]/;
    expect(routeFiles.filter((f) => sqlish.test(text.get(f)!))).toEqual([]);
  });

  it('keeps the server independent of its demo data', () => {
    const offenders = SOURCES.filter((f) => f.startsWith('server/src/')).flatMap((f) =>
      importsOf(f).filter((t) => t.startsWith('seeds/')).map((t) => `${f} → ${t}`));
    expect(offenders).toEqual([]);
    // …and the demo does depend on the server's repositories (the direction the design wants).
    expect(SOURCES.filter((f) => f.startsWith('seeds/')).some((f) => importsOf(f).some((t) => t.startsWith('server/src/')))).toBe(true);
  });

  it('gives no two components the same file name', () => {
    const names = SOURCES.filter((f) => f.endsWith('.tsx')).map((f) => basename(f));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('writes each domain rule once: the clocks, the reference alphabet and the routing rule live in shared/src/domain', () => {
    const elsewhere = SOURCES.filter((f) => !f.startsWith('shared/src/domain/'));
    const found = (re: RegExp) => elsewhere.filter((f) => re.test(text.get(f)!));
    expect(found(/0123456789ABCDEFGHJKMNPQRSTVWXYZ/)).toEqual([]);
    expect(found(/addDays\([^)]*,\s*7\)|addMonths\([^)]*,\s*3\)/)).toEqual([]);
    expect(found(/commandPsu\[[^\]]+\]\s*;?\s*\n?\s*team\s*\?\?=/)).toEqual([]);
  });
});
