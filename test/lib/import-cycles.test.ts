// No module of lib/ imports itself back, type-only imports and folder index files included.
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.resolve(__dirname, '../../lib');

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    const base = path.resolve(path.dirname(file), m[1]);
    const target = fs.existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, 'index.ts');
    if (fs.existsSync(target)) out.push(target);
  }
  return out;
}

/** Every cycle's members, by Tarjan's strongly connected components. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(path.relative(LIB, w));
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

test('lib/ has no import cycles', () => {
  const graph = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) graph.set(p, imports(p));
    }
  };
  walk(LIB);
  expect(graph.size).toBeGreaterThan(100);
  expect(cycles(graph)).toEqual([]);
});

test('the cycle finder finds a cycle', () => {
  expect(cycles(new Map([['/a.ts', ['/b.ts']], ['/b.ts', ['/a.ts']], ['/c.ts', ['/a.ts']]])).map((c) => c.length)).toEqual([2]);
});

// The floors of lib/ (docs/architecture.md): core -> environments -> capabilities -> gitops -> review. A folder
// imports only folders below it; gitops and review import no capability (capabilities reach them through the
// registry, lib/environments/capability.ts); capabilities may import each other, without a cycle.
const FLOOR: Record<string, number> = { core: 0, environments: 1, gitops: 3, review: 4 };
const CAPABILITY = 2;

function folderGraph(): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const from = path.relative(LIB, p).split(path.sep)[0];
        if (!from.endsWith('.ts') && !out.has(from)) out.set(from, new Map());
        for (const target of imports(p)) {
          const rel = path.relative(LIB, target);
          const to = rel.split(path.sep)[0];
          // files at the top of lib/ (index.ts, capabilities.ts) and outside it (imports/) are no folder of lib/
          if (from.endsWith('.ts') || to === from || to.endsWith('.ts') || rel.startsWith('..')) continue;
          const edges = out.get(from)!;
          edges.set(to, [...(edges.get(to) ?? []), path.relative(LIB, p)]);
        }
      }
    }
  };
  walk(LIB);
  return out;
}

/** The imports that break the floors, as `from -> to (file)`. */
function floorViolations(graph: Map<string, Map<string, string[]>>): string[] {
  const floor = (f: string) => FLOOR[f] ?? CAPABILITY;
  const out: string[] = [];
  for (const [from, edges] of graph) {
    for (const [to, files] of edges) {
      const ok = floor(from) === CAPABILITY ? floor(to) <= CAPABILITY : floor(to) < floor(from) && floor(to) !== CAPABILITY;
      if (!ok) out.push(`${from} -> ${to} (${files[0]})`);
    }
  }
  return out.sort();
}

test('lib/ folders keep their floors: core -> environments -> capabilities -> gitops -> review', () => {
  const graph = folderGraph();
  expect([...graph.keys()]).toEqual(expect.arrayContaining(['core', 'environments', 'gitops', 'review', 'policy', 'schema']));
  expect(floorViolations(graph)).toEqual([]);
  const folderEdges = new Map([...graph].map(([f, edges]) => [f, [...edges.keys()]]));
  expect(cycles(folderEdges)).toEqual([]);
});

test('the floor check finds an upward import and an import of a capability from gitops', () => {
  const graph = new Map([
    ['core', new Map([['environments', ['core/x.ts']]])],
    ['gitops', new Map([['storage', ['gitops/y.ts']], ['environments', ['gitops/z.ts']]])],
    ['review', new Map([['gitops', ['review/r.ts']]])],
    ['storage', new Map([['workloads', ['storage/s.ts']]])],
  ]);
  expect(floorViolations(graph)).toEqual(['core -> environments (core/x.ts)', 'gitops -> storage (gitops/y.ts)']);
});
