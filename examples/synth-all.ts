// `npx projen examples`: synthesizes every reference architecture in examples/ with the real tool chain, the way a user runs it,
// into dist-examples/<name>/, and prints where the manifests, templates and compliance reports are.
//
// * aws-cdk examples (a cdk.json): `cdk synth` of the aws-cdk CLI in our devDependencies, with notices, version reporting and
//   telemetry off (no network, no AWS account: the stacks do no context lookups).
// * cdk8s examples (a cdk8s.yaml): its `app` command with CDK8S_OUTDIR set, which is all that `cdk8s synth` does besides an
//   upgrade check and the validation plugins; cdk8s-cli is not a dependency (~90 MB), `npx --yes -p cdk8s-cli cdk8s synth` works too.
//
// Fails when a synthesis fails or when an example's compliance report lists a violated control.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { REPORT_FORMAT_REGISTRY } from '../src/compliance/formats/registry';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'dist-examples');
const CDK_CLI = path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');

interface Result {
  readonly name: string;
  readonly tool: string;
  readonly outdir: string;
  readonly seconds: number;
}

/** Runs a command in examples/<name>/ with its output captured, so that examples synthesized in parallel do not interleave. */
function run(name: string, command: string, args: string[], env: Record<string, string>): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: path.join(__dirname, name),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: args.length === 0,
    });
    let output = '';
    child.stdout.on('data', (d) => output += d);
    child.stderr.on('data', (d) => output += d);
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = (Date.now() - started) / 1000;
      if (status !== 0) {
        reject(new Error(`examples/${name}: \`${[command, ...args].join(' ')}\` failed with exit status ${status}:\n${output}`));
      } else {
        // Keep what the tools say, without the CLI's fixed notes about feature flags and policy validation.
        const notes = output.split('\n').filter((l) => l.trim() && !/feature flags are not configured|^Performing Policy Validations/.test(l));
        resolve(seconds);
        if (notes.length > 0) {
          process.stderr.write(notes.map((l) => `[${name}] ${l}\n`).join(''));
        }
      }
    });
  });
}

async function synth(name: string): Promise<Result> {
  const dir = path.join(__dirname, name);
  const outdir = path.join(OUT, name);
  if (fs.existsSync(path.join(dir, 'cdk.json'))) {
    const seconds = await run(name, process.execPath, [
      CDK_CLI, 'synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', outdir,
    ], { CDK_DISABLE_CLI_TELEMETRY: 'true' });
    return { name, tool: 'cdk synth', outdir, seconds };
  }
  const config = parse(fs.readFileSync(path.join(dir, 'cdk8s.yaml'), 'utf-8')) as { app: string };
  fs.mkdirSync(outdir, { recursive: true });
  const seconds = await run(name, config.app, [], { CDK8S_OUTDIR: outdir });
  return { name, tool: `cdk8s app (${config.app})`, outdir, seconds };
}

/** The report files: JSON, Markdown and every format of the registry (the examples enable SARIF and CycloneDX). */
const REPORT_FILES = new Set(['compliance-report.json', 'compliance-report.md', ...REPORT_FORMAT_REGISTRY.map((f) => f.fileName)]);

/** The synthesized files users look at: manifests, templates and the reports (not the cloud-assembly bookkeeping). */
function outputs(outdir: string): string[] {
  return fs.readdirSync(outdir)
    .filter((f) => /\.k8s\.yaml$|\.template\.json$|^policy-validation-report\.json$/.test(f) || REPORT_FILES.has(f))
    .sort();
}

async function main(): Promise<void> {
  const started = Date.now();
  const names = fs.readdirSync(__dirname)
    .filter((n) => fs.existsSync(path.join(__dirname, n, 'app.ts')))
    .sort();
  fs.rmSync(OUT, { recursive: true, force: true });
  // Each synthesis is one node process bound by CPU: run as many at once as there are cores (at most 4).
  const results: Result[] = [];
  const queue = [...names];
  const workers = Array.from({ length: Math.max(1, Math.min(4, os.cpus().length)) }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      results.push(await synth(name));
    }
  });
  await Promise.all(workers);
  const failures: string[] = [];
  const lines: string[] = [];
  for (const r of results.sort((a, b) => a.name.localeCompare(b.name))) {
    const reportFile = path.join(r.outdir, 'compliance-report.json');
    if (!fs.existsSync(reportFile)) {
      failures.push(`${r.name}: no compliance-report.json in ${path.relative(ROOT, r.outdir)}`);
      continue;
    }
    const summary = JSON.parse(fs.readFileSync(reportFile, 'utf-8')).summary as Record<string, number>;
    if (summary.violated > 0) {
      failures.push(`${r.name}: ${summary.violated} violated control(s), see ${path.relative(ROOT, reportFile.replace(/json$/, 'md'))}`);
    }
    const counts = Object.entries(summary).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(', ');
    lines.push(
      `${r.name}  (${r.tool}, ${r.seconds.toFixed(1)} s)`,
      `  ${path.relative(ROOT, r.outdir)}/`,
      ...outputs(r.outdir).map((f) => `    ${f}`),
      `  report: ${counts}`,
    );
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(['', ...lines, '', `${names.length} reference architectures synthesized into ${path.relative(ROOT, OUT)}/ in ${seconds} s`].join('\n'));
  if (failures.length > 0) {
    throw new Error(failures.map((f) => `examples: ${f}`).join('\n'));
  }
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exitCode = 1;
});
