// `npm run check:cycles` (part of `npm run lint`): walks the imports between the console's own
// modules under src/ (static, `export … from`, dynamic `import()` and `import type`) and fails on
// any cycle, printing it. Packages are not followed. The rule and why: docs/adr/0019.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const EXTS = ['.ts', '.vue'];

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return EXTS.includes(path.extname(p)) && !p.endsWith('.d.ts') ? [p] : [];
  });
}

// `import x from '…'`, `import '…'`, `export { x } from '…'`, `import('…')`.
const IMPORT = /(?:\bimport\s*(?:[\w*{}\s,$]+?\s*from\s*)?|\bexport\s+(?:type\s+)?(?:\*|\{[^}]*\})\s*from\s*|\bimport\s*\(\s*)(['"])([^'"]+)\1/g;

function resolve(from, spec) {
  if (!spec.startsWith('.')) return null; // a package
  const base = path.resolve(path.dirname(from), spec.replace(/\?.*$/, ''));
  for (const c of [base, ...EXTS.map((e) => base + e), base + '.d.ts', ...EXTS.map((e) => path.join(base, 'index' + e))]) {
    // Declarations (the generated src/api/schema.d.ts) import nothing of ours: not followed.
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return EXTS.includes(path.extname(c)) && !c.endsWith('.d.ts') ? c : null;
  }
  throw new Error(`${path.relative(src, from)}: cannot resolve '${spec}'`);
}

const files = walk(src);
const edges = new Map(files.map((f) => {
  const text = fs.readFileSync(f, 'utf8');
  const out = new Set();
  for (const m of text.matchAll(IMPORT)) { const t = resolve(f, m[2]); if (t) out.add(t); }
  return [f, [...out].sort()];
}));

// Tarjan's strongly connected components: every component of more than one module (or a module
// importing itself) holds a cycle.
let index = 0;
const idx = new Map(), low = new Map(), stack = [], on = new Set(), sccs = [];
function connect(v) {
  idx.set(v, index); low.set(v, index); index++;
  stack.push(v); on.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!idx.has(w)) { connect(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const scc = [];
    let w;
    do { w = stack.pop(); on.delete(w); scc.push(w); } while (w !== v);
    if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) sccs.push(scc);
  }
}
for (const f of files) if (!idx.has(f)) connect(f);

/** One cycle inside a component, as a path from its first module back to it. */
function cycleIn(scc) {
  const inside = new Set(scc);
  const start = scc.slice().sort()[0];
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of edges.get(v)) {
      if (w === start) { const p = [start]; for (let u = v; u !== start; u = prev.get(u)) p.splice(1, 0, u); return [...p, start]; }
      if (inside.has(w) && !prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return [start, start];
}

const rel = (f) => path.relative(path.dirname(src), f);
if (sccs.length) {
  for (const scc of sccs) console.error(`import cycle: ${cycleIn(scc).map(rel).join(' → ')}`);
  console.error(`${sccs.length} import cycle(s) under src/; see docs/adr/0019-console-by-feature.md`);
  process.exit(1);
}
console.log(`no import cycles among ${files.length} modules under src/`);
