/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with the most self time and the most inclusive time
 * (time with the function anywhere on the stack, each function counted once per sample), and self time per package/file.
 *
 *   ts-node --transpile-only benchmarks/cpuprofile-summary.ts <file.cpuprofile> [top=25] [filter-regexp]
 *
 * With a filter, only functions whose `name file:line` matches are listed in the inclusive table (e.g. `src/`).
 */
import * as fs from 'fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = `${process.cwd()}/`;

function keyOf(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(ROOT, '');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
}

function fileOf(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(ROOT, '');
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    return `node_modules/${pkg[1]}`;
  }
  return url || `(${n.callFrame.functionName || 'native'})`;
}

function main(): void {
  const [file, topArg, filterArg] = process.argv.slice(2);
  if (!file) {
    throw new Error('usage: cpuprofile-summary.ts <file.cpuprofile> [top] [filter]');
  }
  const top = Number(topArg ?? 25);
  const filter = filterArg ? new RegExp(filterArg) : undefined;
  const p = JSON.parse(fs.readFileSync(file, 'utf-8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n] as const));
  const parent = new Map<number, number>();
  for (const n of p.nodes) {
    for (const c of n.children ?? []) {
      parent.set(c, n.id);
    }
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const perFile = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const leaf = byId.get(id)!;
    self.set(keyOf(leaf), (self.get(keyOf(leaf)) ?? 0) + dt);
    perFile.set(fileOf(leaf), (perFile.get(fileOf(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = keyOf(byId.get(cur)!);
      if (!seen.has(k)) {
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
      }
    }
  });
  const print = (title: string, m: Map<string, number>, keep: (k: string) => boolean = () => true) => {
    console.log(`\n## ${title}\n\n| ms | % | function |\n|---:|---:|---|`);
    [...m.entries()].filter(([k]) => keep(k)).sort((a, b) => b[1] - a[1]).slice(0, top)
      .forEach(([k, v]) => console.log(`| ${v.toFixed(0)} | ${((100 * v) / total).toFixed(1)} | \`${k}\` |`));
  };
  console.log(`profile ${file}: ${total.toFixed(0)} ms sampled`);
  print('self time by function', self);
  print('self time by package / file', perFile);
  print(`inclusive time${filter ? ` (matching ${filter})` : ''}`, inclusive, (k) => !filter || filter.test(k));
}

main();
