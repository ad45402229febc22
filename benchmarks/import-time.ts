/**
 * Import time of the compiled package, measured in fresh node processes.
 *
 * The compiled package is `lib/` when it is newer than every file of `src/`; otherwise `src/` is compiled with `tsc` (the
 * same compiler and tsconfig jsii uses; jsii only adds type metadata) into a temp directory whose `node_modules` links to
 * the project's, so that the package resolves its peers exactly as an installed one does.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** The directory of the compiled package (`index.js` inside) and how it was obtained. */
export function compiledPackage(): { dir: string; source: string } {
  const given = process.env.BENCH_LIB_DIR;
  if (given) {
    return { dir: path.resolve(given), source: `BENCH_LIB_DIR=${given}` };
  }
  const lib = path.join(ROOT, 'lib');
  if (fs.existsSync(path.join(lib, 'index.js')) && fs.statSync(path.join(lib, 'index.js')).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) {
    return { dir: lib, source: 'lib/ (jsii output, up to date)' };
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cml-bench-lib-'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
  // the package reads its version (the report's generatorVersion) from the package.json above lib/
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(tmp, 'package.json'));
  const out = path.join(tmp, 'lib');
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.json'), '--outDir', out, '--noEmitOnError', 'false',
      '--declaration', 'false'], { stdio: 'pipe' });
  } catch (e) {
    // type errors (e.g. another engineer's half-finished edit) still emit JavaScript
    if (!fs.existsSync(path.join(out, 'index.js'))) {
      throw e;
    }
  }
  return { dir: out, source: 'src/ compiled by tsc into a temp dir (lib/ missing or older than src/)' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median milliseconds of `require(...modules)` in `runs` fresh processes (the require only, not node's start-up). */
function requireMs(modules: string[], runs: number): number {
  const script = `const t = process.hrtime.bigint(); for (const m of ${JSON.stringify(modules)}) require(m);`
    + 'process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));';
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf-8' })));
  }
  return median(times);
}

/** One row of the import table. */
export interface ImportRow {
  readonly what: string;
  readonly medianMs: number;
}

/** Import times of the package, its submodules, and of the frameworks alone (what the hand-written code loads). */
export function measureImports(runs: number): { source: string; rows: ImportRow[] } {
  const { dir, source } = compiledPackage();
  const rows: Array<[string, string[]]> = [
    ['package (require of the root: core + compliance + k8s + ecs)', [dir]],
    ['package k8s submodule only (lib/k8s)', [path.join(dir, 'k8s')]],
    ['package ecs submodule only (lib/ecs)', [path.join(dir, 'ecs')]],
    ['entry point cdk-compliant-ml/k8s (lib/entry/k8s: core + compliance + k8s, no aws-cdk-lib)', [path.join(dir, 'entry', 'k8s')]],
    ['entry point cdk-compliant-ml/ecs (lib/entry/ecs: core + compliance + ecs, no cdk8s)', [path.join(dir, 'entry', 'ecs')]],
    ['cdk8s side only: cdk8s + cdk8s-plus-27 (hand-written k8s)', ['cdk8s', 'cdk8s-plus-27']],
    ['aws-cdk side only: aws-cdk-lib + ec2/ecs/iam/kms/logs (hand-written ECS)',
      ['aws-cdk-lib', ...['ec2', 'ecs', 'iam', 'kms', 'logs'].map((m) => `aws-cdk-lib/aws-${m}`)]],
    ['both frameworks (what the root import loads at least)',
      ['cdk8s', 'cdk8s-plus-27', 'aws-cdk-lib', ...['ec2', 'ecs', 'iam', 'kms', 'logs', 's3', 'elasticloadbalancingv2'].map((m) => `aws-cdk-lib/aws-${m}`)]],
  ];
  return { source, rows: rows.map(([what, modules]) => ({ what, medianMs: requireMs(modules, runs) })) };
}
