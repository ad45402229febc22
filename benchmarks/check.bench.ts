/**
 * `cdk-compliant-ml check` at scale: time and peak memory of the CLI on large inputs, and whether they grow linearly.
 *
 *   npx ts-node --transpile-only benchmarks/check.bench.ts [--quick]
 *
 * Inputs are generated into a temp directory at run time (nothing large is committed):
 * - documents: one multi-document YAML file of N objects, a tenth of them Deployments, the rest Services and ConfigMaps
 *   (N = 100,000; --quick: 10,000);
 * - bytes: one YAML file of about M MB of Deployments with 40 env entries each (M = 50; --quick: 5);
 * - keys: one ConfigMap whose `data` mapping has K keys (K = 100,000; --quick: 10,000).
 * Each input runs in a fresh child process that loads the compiled CLI (lib/, or src/ compiled by tsc, as import-time.ts)
 * and calls its `main` with `check --no-report --format json`, discarding stdout. The child reports the time of `main` and
 * `process.resourceUsage().maxRSS` (peak resident set, KiB); the parent adds the wall time of the child (node start and
 * module load included). Scaling: each input again at a tenth of its size, and the ratio t(size)/t(size/10) (linear: 10).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compiledPackage } from './import-time';

const QUICK = process.argv.includes('--quick');
const SCALE = QUICK ? 10 : 1;

const DIGEST = `sha256:${'a'.repeat(64)}`;

function deployment(i: number, envCount = 2): string {
  const env = Array.from({ length: envCount }, (_, k) => `        - { name: SETTING_${k}, value: "value-${i}-${k}-${'x'.repeat(40)}" }`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels: { app.kubernetes.io/name: app-${i} }
spec:
  replicas: 2
  selector: { matchLabels: { app.kubernetes.io/name: app-${i} } }
  template:
    metadata: { labels: { app.kubernetes.io/name: app-${i} } }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: RuntimeDefault } }
      containers:
      - name: app
        image: ghcr.io/acme/app-${i}:1.0.0@${DIGEST}
        env:
${env}
`;
}

function service(i: number): string {
  return `apiVersion: v1\nkind: Service\nmetadata: { name: app-${i} }\nspec:\n  selector: { app.kubernetes.io/name: app-${i} }\n  ports: [{ port: 80 }]\n`;
}

function configMap(i: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: config-${i} }\ndata:\n  settings.json: '{"index": ${i}}'\n`;
}

/** Writes `count` documents, chunk by chunk, so that the generator itself never holds the file. */
function writeDocuments(file: string, count: number, doc: (i: number) => string): number {
  const fd = fs.openSync(file, 'w');
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(doc(i));
    if (chunk.length === 1000) {
      fs.writeSync(fd, `${chunk.join('---\n')}---\n`);
      chunk = [];
    }
  }
  fs.writeSync(fd, chunk.join('---\n'));
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

interface Input {
  readonly name: string;
  readonly size: string;
  write(file: string, divisor: number): void;
}

const INPUTS: Input[] = [
  {
    name: 'documents',
    size: `${(100_000 / SCALE).toLocaleString('en-US')} documents`,
    write: (file, divisor) => writeDocuments(file, 100_000 / SCALE / divisor,
      (i) => (i % 10 === 0 ? deployment(i) : i % 2 === 0 ? service(i) : configMap(i))),
  },
  {
    name: 'bytes',
    size: `${50 / SCALE} MB`,
    write: (file, divisor) => {
      const target = (50 / SCALE / divisor) * 1024 * 1024;
      const perDoc = Buffer.byteLength(`${deployment(0, 40)}---\n`);
      writeDocuments(file, Math.ceil(target / perDoc), (i) => deployment(i, 40));
    },
  },
  {
    name: 'keys',
    size: `${(100_000 / SCALE).toLocaleString('en-US')} keys in one mapping`,
    write: (file, divisor) => {
      const keys = 100_000 / SCALE / divisor;
      const fd = fs.openSync(file, 'w');
      fs.writeSync(fd, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: many-keys }\ndata:\n');
      for (let start = 0; start < keys; start += 1000) {
        const lines = Array.from({ length: Math.min(1000, keys - start) }, (_, k) => `  key-${start + k}: "value ${start + k}"\n`);
        fs.writeSync(fd, lines.join(''));
      }
      fs.closeSync(fd);
    },
  },
];

interface Run {
  readonly code: number;
  readonly mainMs: number;
  /** Expanding, reading and parsing the input alone (inputs.ts), before the command runs. */
  readonly readMs: number;
  readonly wallMs: number;
  readonly maxRssMiB: number;
  readonly reportChars: number;
  /** The CLI's summary line: workloads, skipped objects, violations, input problems. */
  readonly summary: string;
}

/** Runs the compiled CLI's `check` on one file in a fresh node process. */
function runCheck(cliDir: string, file: string): Run {
  const script = `
const { main } = require(${JSON.stringify(path.join(cliDir, 'cli', 'main.js'))});
let out = 0;
let summary = '';
const io = { env: {}, stdout: (t) => { out += t.length; }, stderr: (t) => { summary = t.includes('workloads in') ? t.trim() : summary; },
  readStdin: () => '', now: () => new Date(0) };
// the input side alone first (expand, read, parse: inputs.ts), then the whole command
const inputs = require(${JSON.stringify(path.join(cliDir, 'cli', 'inputs.js'))});
const r0 = process.hrtime.bigint();
inputs.readInputs(inputs.expandPaths([${JSON.stringify(file)}]).files, () => '');
const readMs = Number(process.hrtime.bigint() - r0) / 1e6;
const t = process.hrtime.bigint();
main(['check', '--no-report', '--format', 'json', ${JSON.stringify(file)}], io).then((code) => {
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  process.stdout.write(JSON.stringify({ code, ms, readMs, maxRss: process.resourceUsage().maxRSS, out, summary }));
});`;
  const start = process.hrtime.bigint();
  const text = execFileSync(process.execPath, ['--max-old-space-size=8192', '-e', script], { encoding: 'utf-8', maxBuffer: 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const result = JSON.parse(text);
  return {
    code: result.code,
    mainMs: result.ms,
    readMs: result.readMs,
    wallMs,
    maxRssMiB: result.maxRss / 1024,
    reportChars: result.out,
    summary: result.summary,
  };
}

function main(): void {
  const { dir, source } = compiledPackage();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cml-check-bench-'));
  const progress = (message: string) => {
    // progress only on a terminal: piped or under CI, stderr stays clean
    if (process.stderr.isTTY && !process.env.CI) {
      process.stderr.write(`${message}\n`);
    }
  };
  const lines = [
    `check benchmark${QUICK ? ' (--quick)' : ''}: node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, package: ${source}`,
    '',
    '| input | size | file MB | exit | read + parse ms | check ms (in process) | wall ms (child) | peak RSS MiB | read + parse: t(size) / t(size/10) | check: t(size) / t(size/10) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const summaries: string[] = [];
  try {
    for (const input of INPUTS) {
      const small = path.join(tmp, `${input.name}-small.yaml`);
      const full = path.join(tmp, `${input.name}.yaml`);
      progress(`generating ${input.name} (${input.size})`);
      input.write(small, 10);
      input.write(full, 1);
      progress(`running check on ${input.name}/10`);
      const tenth = runCheck(dir, small);
      progress(`running check on ${input.name}`);
      const run = runCheck(dir, full);
      const mb = fs.statSync(full).size / 1024 / 1024;
      lines.push(`| ${input.name} | ${input.size} | ${mb.toFixed(1)} | ${run.code} | ${run.readMs.toFixed(0)} | ${run.mainMs.toFixed(0)} | `
        + `${run.wallMs.toFixed(0)} | ${run.maxRssMiB.toFixed(0)} | ${(run.readMs / tenth.readMs).toFixed(1)} (${tenth.readMs.toFixed(0)} ms) | `
        + `${(run.mainMs / tenth.mainMs).toFixed(1)} (${tenth.mainMs.toFixed(0)} ms) |`);
      summaries.push(`- ${input.name}: ${run.summary.replace(/^cdk-compliant-ml check: /, '')}`);
      fs.rmSync(small);
      fs.rmSync(full);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(`${[...lines, '', 'What check found (the full size):', ...summaries].join('\n')}\n`);
}

main();
