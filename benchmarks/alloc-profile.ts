/**
 * Where a synthesis allocates: one k8s app of N services synthesized under V8's sampling heap profiler, counting objects that
 * the young- and old-generation collectors freed too (so it shows allocation volume, the driver of scavenge cost, not only
 * what survives). Prints megabytes by package/file and by function.
 *
 *   ts-node --transpile-only benchmarks/alloc-profile.ts [library|handwritten] [N=1000] [filter, e.g. src/]
 *   PARENTS_OF='join ' ts-node ... (also lists the callers of the functions whose `name file:line` starts with that text)
 */
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as os from 'os';
import * as path from 'path';
import { buildK8sApp, Side } from './apps';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

const side = (process.argv[2] ?? 'library') as Side;
const n = Number(process.argv[3] ?? 1000);
const filter = process.argv[4];

function synth(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cml-alloc-'));
  buildK8sApp(side, n, outdir).synth();
  fs.rmSync(outdir, { recursive: true, force: true });
}

const top = (m: Map<string, number>, count: number, prefix = '') => [...m].sort((a, b) => b[1] - a[1]).slice(0, count)
  .forEach(([k, v]) => console.log(`${prefix}${(v / 1e6).toFixed(1).padStart(8)}  ${k}`));

function summarise(head: HeapNode): void {
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const parents = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, parent: string) => {
    const f = node.callFrame;
    const url = f.url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
    const key = `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
    const file = url.startsWith('node_modules/') ? url.split('/').slice(0, 2).join('/') : url || '(builtins)';
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    byFile.set(file, (byFile.get(file) ?? 0) + node.selfSize);
    if (process.env.PARENTS_OF && key.startsWith(process.env.PARENTS_OF)) {
      parents.set(parent, (parents.get(parent) ?? 0) + node.selfSize);
    }
    total += node.selfSize;
    node.children.forEach((c) => walk(c, key));
  };
  walk(head, '');
  console.log(`${side} k8s N=${n}: ${(total / 1e6).toFixed(1)} MB allocated during one synth (sampled)\n\nMB by package / file:`);
  top(byFile, 15);
  console.log(`\nMB by function${filter ? ` (matching ${filter})` : ''}:`);
  top(new Map([...byFunction].filter(([k]) => !filter || k.includes(filter))), 30);
  if (parents.size > 0) {
    console.log(`\ncallers of ${process.env.PARENTS_OF}:`);
    top(parents, 15);
  }
}

synth(); // warm-up: compiled code, loaded modules
const session = new inspector.Session();
session.connect();
session.post('HeapProfiler.enable');
// the two include flags exist since V8 11 (Node 20); older versions ignore them and report live objects only
session.post('HeapProfiler.startSampling', {
  samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
} as inspector.HeapProfiler.StartSamplingParameterType);
synth();
session.post('HeapProfiler.stopSampling', (err, res) => {
  if (err) {
    throw err;
  }
  summarise(res.profile.head as unknown as HeapNode);
});
session.disconnect();
