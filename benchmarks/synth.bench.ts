/**
 * Synthesis cost of the library against hand-written equivalents (issue 9).
 *
 * For each backend and N, builds an app of N model services and synthesizes it into a fresh temp outdir (`app.synth()`, what
 * users run), alternating hand-written and library runs in the same process after one warm-up of each. Reports median
 * times, the library/hand-written ratio, cost per service, heap, growth with N, the share of the compliance report, and the
 * import time of the compiled package.
 *
 *   node --expose-gc node_modules/.bin/ts-node --transpile-only benchmarks/synth.bench.ts [--quick] [--only=k8s|ecs]
 *     [--reps=N] [--sizes='k8s:100,1000;ecs:50'] [--no-import] [--out=benchmarks/synth.bench.json]
 *   ... synth.bench.ts --profile=k8s:1000 [--side=library|handwritten] [--profile-out=file.cpuprofile]
 *     (one run under the CPU profiler; summarise with benchmarks/cpuprofile-summary.ts)
 *
 * Env: BENCH_QUICK=1 (same as --quick), BENCH_K8S_PER_CHART, BENCH_ECS_PER_STACK, BENCH_LIB_DIR (see apps.ts, import-time.ts).
 */
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as os from 'os';
import * as path from 'path';
import { Backend, buildEcsApp, buildK8sApp, checkEcsEquivalence, checkK8sEquivalence, ECS_SERVICES_PER_STACK, Equivalence, K8S_SERVICES_PER_CHART, Side } from './apps';
import { ImportRow, measureImports } from './import-time';
import { ComplianceReport } from '../src/compliance';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string?]).map(([k, v]) => [k, v ?? 'true']));
const QUICK = args.has('quick') || process.env.BENCH_QUICK === '1';
const SIZES: Record<Backend, number[]> = QUICK ? { k8s: [10, 50], ecs: [5, 10] } : { k8s: [10, 100, 500, 1000], ecs: [10, 50, 200] };
for (const spec of (args.get('sizes') ?? '').split(';').filter(Boolean)) { // e.g. --sizes='k8s:100,1000;ecs:50'
  const [backend, list] = spec.split(':') as [Backend, string];
  SIZES[backend] = list.split(',').map(Number);
}
const BACKENDS: Backend[] = args.has('only') ? [args.get('only') as Backend] : ['k8s', 'ecs'];
const OUT = path.resolve(args.get('out') ?? path.join(__dirname, QUICK ? 'synth-quick.bench.json' : 'synth.bench.json'));
const gc: () => void = (global as { gc?: () => void }).gc ?? (() => undefined);

/** Repetitions per side: fewer for the largest apps so that the whole run stays within a few minutes. */
function repsFor(backend: Backend, n: number): number {
  if (args.has('reps')) {
    return Number(args.get('reps'));
  }
  if (QUICK) {
    return 2;
  }
  // small N runs take tens of milliseconds, where one GC or a busy neighbour moves a median: more repetitions there
  const largest = (backend === 'k8s' && n >= 1000) || (backend === 'ecs' && n >= 200);
  return largest ? 5 : n <= 100 ? 15 : 7;
}

interface Sample {
  readonly buildMs: number;
  readonly synthMs: number;
  readonly totalMs: number;
  /** CPU time (user + system, all threads of the process, GC included) of build + synth: less sensitive to a busy machine. */
  readonly cpuMs: number;
  /** Largest heapUsed seen at the checkpoints (after build, after synth) minus the heap after a GC before the run. */
  readonly heapPeakMB: number;
  /** Heap still used by the synthesized app after a full GC. */
  readonly heapRetainedMB: number;
}

const MB = 1024 * 1024;

function runOnce(backend: Backend, side: Side, n: number): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cml-bench-${backend}-`));
  gc();
  const base = process.memoryUsage().heapUsed;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const app = backend === 'k8s' ? buildK8sApp(side, n, outdir) : buildEcsApp(side, n, outdir);
  const t1 = performance.now();
  const afterBuild = process.memoryUsage().heapUsed;
  app.synth();
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  const afterSynth = process.memoryUsage().heapUsed;
  gc();
  const retained = process.memoryUsage().heapUsed;
  fs.rmSync(outdir, { recursive: true, force: true });
  return {
    buildMs: t1 - t0,
    synthMs: t2 - t1,
    totalMs: t2 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapPeakMB: (Math.max(afterBuild, afterSynth) - base) / MB,
    heapRetainedMB: (retained - base) / MB,
  };
}

/**
 * The report on its own, after the timed runs (so its garbage does not disturb them): `ComplianceReport.of(app)` on a built
 * app plus its JSON and Markdown texts, median of 3. Outside a synth the collection renders every object itself, so this is
 * an upper bound of what the report adds to a synth, where it shares one rendering with the manifests.
 */
function reportAlone(backend: Backend, n: number): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cml-bench-${backend}-`));
    const app = backend === 'k8s' ? buildK8sApp('library', n, outdir) : buildEcsApp('library', n, outdir);
    if (backend === 'ecs') {
      app.synth(); // ECS workloads read their entries from the synthesized templates
    }
    gc();
    const t0 = performance.now();
    const report = ComplianceReport.of(app);
    report.toJsonString();
    report.toMarkdown();
    times.push(performance.now() - t0);
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  return median(times);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Row {
  readonly backend: Backend;
  readonly n: number;
  readonly reps: number;
  readonly handwritten: Summary;
  readonly library: Summary;
  readonly ratio: number;
  readonly cpuRatio: number;
  /** Median over the repetitions of library / hand-written of the same repetition (wall time). */
  readonly pairedRatio: number;
  /** The same for CPU time. */
  readonly pairedCpuRatio: number;
}

interface Summary {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly cpuMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly msPerService: number;
  readonly heapPeakMB: number;
  readonly heapRetainedMB: number;
  readonly reportMs?: number;
  readonly samplesMs: number[];
}

function summarize(samples: Sample[], n: number): Summary {
  const total = samples.map((s) => s.totalMs);
  return {
    medianMs: median(total),
    minMs: Math.min(...total),
    maxMs: Math.max(...total),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    buildMs: median(samples.map((s) => s.buildMs)),
    synthMs: median(samples.map((s) => s.synthMs)),
    msPerService: median(total) / n,
    heapPeakMB: Math.max(...samples.map((s) => s.heapPeakMB)),
    heapRetainedMB: median(samples.map((s) => s.heapRetainedMB)),
    samplesMs: total.map((t) => Math.round(t * 10) / 10),
  };
}

function measure(backend: Backend, n: number): Row {
  const reps = repsFor(backend, n);
  const samples: Record<Side, Sample[]> = { handwritten: [], library: [] };
  runOnce(backend, 'handwritten', n); // warm-up
  runOnce(backend, 'library', n);
  for (let r = 0; r < reps; r++) {
    for (const side of ['handwritten', 'library'] as const) {
      samples[side].push(runOnce(backend, side, n));
    }
  }
  const handwritten = summarize(samples.handwritten, n);
  const library = { ...summarize(samples.library, n), reportMs: reportAlone(backend, n) };
  // each library run follows its hand-written run: the median of the pairs' ratios is robust to slow phases of a busy host
  const paired = (of: (x: Sample) => number) => median(samples.library.map((l, i) => of(l) / of(samples.handwritten[i])));
  const row = {
    backend,
    n,
    reps,
    handwritten,
    library,
    ratio: library.medianMs / handwritten.medianMs,
    cpuRatio: library.cpuMs / handwritten.cpuMs,
    pairedRatio: paired((x) => x.totalMs),
    pairedCpuRatio: paired((x) => x.cpuMs),
  };
  process.stderr.write(`  ${backend} N=${n}: hand-written ${handwritten.medianMs.toFixed(0)} ms, library ${library.medianMs.toFixed(0)} ms, `
    + `ratio ${row.ratio.toFixed(2)} (CPU time: ${handwritten.cpuMs.toFixed(0)} / ${library.cpuMs.toFixed(0)} ms, ratio ${row.cpuRatio.toFixed(2)}); `
    + `paired ratio ${row.pairedRatio.toFixed(2)} (CPU ${row.pairedCpuRatio.toFixed(2)})\n`);
  return row;
}

function checkEquivalence(): Equivalence[] {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cml-bench-eq-'));
  const results = [checkK8sEquivalence(tmp()), checkEcsEquivalence(() => tmp())].filter((e) => BACKENDS.includes(e.backend));
  for (const e of results) {
    if (e.library.join() !== e.handwritten.join()) {
      throw new Error(`${e.backend}: the two sides render different objects for one service:\n  library:     ${e.library.join(', ')}\n`
        + `  hand-written: ${e.handwritten.join(', ')}`);
    }
    if (!e.identical) {
      // a library change that alters the output must be mirrored in the hand-written code, or the comparison is unfair
      throw new Error(`${e.backend}: same kinds, but the objects differ (update benchmarks/handwritten-${e.backend}.ts):\n  `
        + e.differences.join('\n  '));
    }
  }
  return results;
}

const f = (x: number | undefined, d = 1) => (x === undefined ? '-' : x.toFixed(d));

function table(rows: Row[], imports: { source: string; rows: ImportRow[] } | undefined, growth: Record<string, unknown>): string {
  const lines = [
    '| backend | N | reps | hand-written ms (median) | library ms (median) | ratio lib/hand | CPU ms hand / lib | CPU ratio'
      + ' | paired ratio wall / CPU | hand ms/service | lib ms/service | lib build / synth ms | report alone ms (share)'
      + ' | peak heap MB hand / lib | retained heap MB hand / lib |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const share = r.library.reportMs !== undefined ? ` (${((100 * r.library.reportMs) / r.library.medianMs).toFixed(0)}%)` : '';
    lines.push(`| ${r.backend} | ${r.n} | ${r.reps} | ${f(r.handwritten.medianMs)} | ${f(r.library.medianMs)} | ${f(r.ratio, 2)} | `
      + `${f(r.handwritten.cpuMs, 0)} / ${f(r.library.cpuMs, 0)} | ${f(r.cpuRatio, 2)} | ${f(r.pairedRatio, 2)} / ${f(r.pairedCpuRatio, 2)} | `
      + `${f(r.handwritten.msPerService, 2)} | ${f(r.library.msPerService, 2)} | ${f(r.library.buildMs, 0)} / ${f(r.library.synthMs, 0)} | `
      + `${f(r.library.reportMs)}${share} | ${f(r.handwritten.heapPeakMB, 0)} / ${f(r.library.heapPeakMB, 0)} | `
      + `${f(r.handwritten.heapRetainedMB, 0)} / ${f(r.library.heapRetainedMB, 0)} |`);
  }
  lines.push('', '| growth | hand-written (wall / CPU) | library (wall / CPU) | linear would be | target |', '|---|---:|---:|---:|---|');
  for (const [what, g] of Object.entries(growth)) {
    const x = g as { handwritten: number; library: number; handwrittenCpu: number; libraryCpu: number; linear: number; target: string };
    lines.push(`| ${what} | ${f(x.handwritten, 2)} / ${f(x.handwrittenCpu, 2)} | ${f(x.library, 2)} / ${f(x.libraryCpu, 2)} | ${f(x.linear, 1)} | ${x.target} |`);
  }
  if (imports) {
    lines.push('', `Import time (median of fresh processes, require() only; package from ${imports.source}):`, '',
      '| what is required | median ms |', '|---|---:|', ...imports.rows.map((r) => `| ${r.what} | ${f(r.medianMs)} |`));
  }
  return lines.join('\n');
}

function growthOf(rows: Row[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const backend of BACKENDS) {
    const own = rows.filter((r) => r.backend === backend);
    if (own.length < 2) {
      continue;
    }
    const [lo, hi] = backend === 'k8s' && own.some((r) => r.n === 100) && own.some((r) => r.n === 1000)
      ? [own.find((r) => r.n === 100)!, own.find((r) => r.n === 1000)!]
      : [own[own.length - 2], own[own.length - 1]];
    const linear = hi.n / lo.n;
    out[`${backend} t(N=${hi.n}) / t(N=${lo.n})`] = {
      handwritten: hi.handwritten.medianMs / lo.handwritten.medianMs,
      library: hi.library.medianMs / lo.library.medianMs,
      handwrittenCpu: hi.handwritten.cpuMs / lo.handwritten.cpuMs,
      libraryCpu: hi.library.cpuMs / lo.library.cpuMs,
      linear,
      target: `<= ${f(linear * 1.1, 1)} (linear + 10%)`,
    };
  }
  return out;
}

/** Runs one side once at N under the V8 CPU profiler (after a warm-up) and writes the `.cpuprofile` of that run only. */
function profileOnly(spec: string): void {
  const [backend, n] = spec.split(':') as [Backend, string];
  const side = (args.get('side') ?? 'library') as Side;
  runOnce(backend, side, Number(n)); // warm-up, so the profile shows steady-state cost
  const session = new inspector.Session();
  session.connect();
  let profile: unknown;
  // in-process inspector sessions answer synchronously
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  const s = runOnce(backend, side, Number(n));
  session.post('Profiler.stop', (err, res) => {
    if (err) {
      throw err;
    }
    profile = res.profile;
  });
  session.disconnect();
  const file = path.resolve(args.get('profile-out') ?? `${backend}-${side}-${n}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  process.stderr.write(`profiled ${side} ${backend} N=${n}: ${s.totalMs.toFixed(0)} ms (build ${s.buildMs.toFixed(0)}, synth ${s.synthMs.toFixed(0)}); `
    + `profile written to ${file}\n`);
}

function main(): void {
  if (args.has('profile')) {
    profileOnly(args.get('profile')!);
    return;
  }
  if (!(global as { gc?: unknown }).gc) {
    process.stderr.write('note: run node with --expose-gc for comparable heap numbers (gc before each run)\n');
  }
  process.stderr.write('equivalence check (N=1) ...\n');
  const equivalence = checkEquivalence();
  const rows: Row[] = [];
  for (const backend of BACKENDS) {
    for (const n of SIZES[backend]) {
      rows.push(measure(backend, n));
    }
  }
  const imports = args.has('no-import') ? undefined : measureImports(QUICK ? 3 : 7);
  const growth = growthOf(rows);
  const result = {
    date: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 1024 ** 3), node: process.version, os: `${os.type()} ${os.release()}` },
    config: {
      quick: QUICK,
      k8sServicesPerChart: K8S_SERVICES_PER_CHART,
      ecsServicesPerStack: ECS_SERVICES_PER_STACK,
      gcExposed: !!(global as { gc?: unknown }).gc,
    },
    equivalence,
    rows,
    growth,
    imports,
  };
  fs.writeFileSync(OUT, `${JSON.stringify(result, (_k, v) => (v === Infinity ? 'all' : v), 2)}\n`);
  process.stdout.write(`${table(rows, imports, growth)}\n\nresults written to ${path.relative(process.cwd(), OUT)}\n`);
}

main();
