// `npx projen package:test`: the package as users receive it. Packs the library (`npx projen package`, jsii-pacmak: dist/js/*.tgz)
// unless the tarball is newer than the compiled assembly and package files, checks that the tarball holds only what users need, installs it into
// a fresh consumer project in the OS temp directory whose only other dependencies are the public peers (at the versions of our
// devDependencies, so npm finds them in the cache `npm ci` filled), and runs a small cdk8s app and a small aws-cdk app there
// with plain node (and type-checks the same apps in TypeScript against the shipped typings). Both must write their manifests or
// template and a compliance report without a violated control.
// Then one backend alone (issue #17 item 6): a cdk8s-only consumer (no aws-cdk-lib installed) that loads `cdk-compliant-ml/k8s`,
// and an aws-cdk-only consumer (no cdk8s, cdk8s-plus-27) that loads `cdk-compliant-ml/ecs`. The cdk8s-only consumer also runs
// the README's TypeScript setup exactly (TS_SETUP: `npm i -D typescript@~5.9 ts-node@10.9.2 @types/node@20`, the README's
// tsconfig.json): `tsc -p .` and `ts-node k8s-app.ts`. Prints the node_modules size of each consumer.
//
// Options: --keep (leave the consumer project in place and print its path), --online (let npm ask the registry for metadata
// even when the cache has it; the default is --prefer-offline).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const PEERS = ['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-27'];
/** What the tarball may contain besides lib/**.js and lib/**.d.ts (DESIGN §7). */
const TOP_LEVEL = ['package/.jsii', 'package/API.md', 'package/LICENSE', 'package/README.md', 'package/package.json'];
const IMAGE = 'ghcr.io/acme/fraud-scorer:1.4.2@sha256:3b1c9d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c';
const ECR_IMAGE = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-train:2.0.1'
  + '@sha256:7d2e4f6a8b0c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e';

/** The two consumer apps: their imports (CommonJS for the JavaScript apps, ES imports for the TypeScript check) and their body. */
const APPS = {
  k8s: {
    cjs: 'const { App, Chart } = require(\'cdk8s\');\nconst { ImageReference, k8s } = require(\'cdk-compliant-ml\');',
    esm: 'import { App, Chart } from \'cdk8s\';\nimport { ImageReference, k8s } from \'cdk-compliant-ml\';',
    body: `
const app = new App();
const chart = new Chart(app, 'fraud', { namespace: 'fraud' });
new k8s.CompliantModelService(chart, 'scorer', {
  image: ImageReference.fromString('${IMAGE}'),
  model: { name: 'fraud-scorer', version: '1.4.2' },
  autoscaling: { minReplicas: 2, maxReplicas: 4 },
});
new k8s.CompliantTrainingJob(chart, 'retrain', {
  image: ImageReference.fromString('${IMAGE}'),
  model: { name: 'fraud-scorer', version: '1.5.0' },
  schedule: '0 3 * * *',
});
app.synth();
`,
  },
  ecs: {
    cjs: 'const { App, Stack } = require(\'aws-cdk-lib\');\nconst { ImageReference, ecs } = require(\'cdk-compliant-ml\');',
    esm: 'import { App, Stack } from \'aws-cdk-lib\';\nimport { ImageReference, ecs } from \'cdk-compliant-ml\';',
    body: `
const app = new App();
const stack = new Stack(app, 'FraudServing', { env: { account: '123456789012', region: 'eu-central-1' } });
const service = new ecs.CompliantModelService(stack, 'Scorer', {
  image: ImageReference.fromString('${IMAGE}'),
  model: { name: 'fraud-scorer', version: '1.4.2' },
  autoscaling: { maxCapacity: 4 },
});
new ecs.CompliantTrainingJob(stack, 'Retrain', {
  image: ImageReference.fromString('${ECR_IMAGE}'),
  model: { name: 'fraud-scorer', version: '1.5.0' },
  cluster: service.service.cluster,
});
app.synth();
`,
  },
};

function step<T>(what: string, f: () => T): T {
  const started = Date.now();
  const result = f();
  console.log(`package:test: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

function sh(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  try {
    return execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`\`${cmd} ${args.join(' ')}\` in ${cwd} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

const mtime = (f: string) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);

/** What the tarball is made from: when one is newer than the tarball, it is packed again. */
const INPUTS = ['.jsii', 'package.json', '.npmignore', 'README.md', 'API.md', 'LICENSE'];

/** The jsii tarball: compiled first when a source is newer than the assembly, packed when an input is newer than the tarball. */
function tarball(): string {
  const dir = path.join(ROOT, 'dist', 'js');
  const find = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.jsii.tgz')).map((f) => path.join(dir, f)) : []);
  const sources = fs.readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf-8' }).map((f) => path.join(ROOT, 'src', f));
  if (sources.some((f) => mtime(f) > mtime(path.join(ROOT, '.jsii')))) {
    step('compiled the library (npx projen compile)', () => sh('npx', ['projen', 'compile'], ROOT));
  }
  const [existing] = find();
  if (!existing || INPUTS.some((f) => mtime(existing) < mtime(path.join(ROOT, f)))) {
    step('packed the library (npx projen package)', () => sh('npx', ['projen', 'package'], ROOT));
  }
  const found = find();
  if (found.length !== 1) {
    throw new Error(`expected one *.jsii.tgz in dist/js, found ${found.length}: ${found.join(', ')}`);
  }
  return found[0];
}

function checkContents(tgz: string): void {
  const entries = sh('tar', ['-tzf', tgz], ROOT).split('\n').filter((e) => e && !e.endsWith('/'));
  // bundled runtime dependencies of the CLI (package.json bundledDependencies, with their own dependencies) ship in node_modules/
  const bundled = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).bundledDependencies ?? []) as string[];
  const shipped = (e: string) => /^package\/lib\/.+\.(js|d\.ts)$/.test(e) || /^package\/node_modules\//.test(e);
  const unexpected = entries.filter((e) => !TOP_LEVEL.includes(e) && !shipped(e));
  const missingBundles = bundled.filter((b) => !entries.includes(`package/node_modules/${b}/package.json`));
  if (missingBundles.length > 0) {
    throw new Error(`the tarball misses the bundled dependencies ${missingBundles.join(', ')}`);
  }
  const missing = [...TOP_LEVEL, 'package/lib/index.js', 'package/lib/index.d.ts'].filter((e) => !entries.includes(e));
  if (unexpected.length > 0 || missing.length > 0) {
    throw new Error(`the tarball ${path.relative(ROOT, tgz)} holds ${unexpected.length ? `unexpected files: ${unexpected.join(', ')}` : ''}`
      + `${missing.length ? ` misses: ${missing.join(', ')}` : ''}`);
  }
  console.log(`package:test: ${path.relative(ROOT, tgz)} holds ${entries.length} files: lib/ (js, d.ts), `
    + `${TOP_LEVEL.map((e) => e.slice(8)).join(', ')}, bundled node_modules/{${bundled.join(',')}}`);
}

function consumerProject(tgz: string, peers: string[] = PEERS, devDependencies: Record<string, string> = {}, apps = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-consumer-'));
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
  const dependencies: Record<string, string> = { 'cdk-compliant-ml': `file:${tgz}` };
  for (const p of peers) {
    dependencies[p] = ours.devDependencies[p];
  }
  fs.writeFileSync(path.join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies, devDependencies }, null, 2));
  // cdk8s-plus-27 has an optional dependency whose install script writes into $HOME (BUILD-NOTES G13).
  fs.writeFileSync(path.join(dir, '.npmrc'), 'ignore-scripts=true\nfund=false\naudit=false\n');
  for (const [name, app] of Object.entries(apps ? APPS : {})) {
    fs.writeFileSync(path.join(dir, `${name}-app.js`), `// A consumer's app in plain JavaScript.\n${app.cjs}\n${app.body}`);
    fs.writeFileSync(path.join(dir, `${name}-app.ts`), `// The same app in TypeScript, type-checked against the shipped .d.ts files.\n${app.esm}\n${app.body}`);
  }
  return dir;
}

/** Runs one app and checks what it wrote: the files, one workload per construct, and no violated control. */
function runApp(dir: string, script: string, envVar: string, filePattern: RegExp, workloads: string[]): void {
  const outdir = path.join(dir, `out-${script.replace(/\.js$/, '')}`);
  step(`node ${script}`, () => sh(process.execPath, [script], dir, { [envVar]: outdir }));
  const files = fs.readdirSync(outdir).sort();
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf-8'));
  const paths = report.workloads.map((w: { path: string }) => w.path);
  const problems = [
    ...(files.some((f) => filePattern.test(f)) ? [] : [`no file matching ${filePattern}`]),
    ...(files.includes('compliance-report.md') ? [] : ['no compliance-report.md']),
    ...(JSON.stringify(paths) === JSON.stringify(workloads) ? [] : [`workloads ${JSON.stringify(paths)}, expected ${JSON.stringify(workloads)}`]),
    ...(report.summary.violated === 0 ? [] : [`${report.summary.violated} violated control(s)`]),
  ];
  if (problems.length > 0) {
    throw new Error(`${script}: ${problems.join('; ')}`);
  }
  console.log(`package:test: ${script} wrote ${files.filter((f) => !f.startsWith('.')).join(', ')}; report: ${JSON.stringify(report.summary)}`);
}

/**
 * The installed `cdk-compliant-ml` bin (with its bundled dependencies) checks what the two apps wrote: the manifests and the
 * template, with `--enforce`, so a violation or a crash fails the test.
 */
function runCli(dir: string): void {
  const bin = path.join(dir, 'node_modules', '.bin', 'cdk-compliant-ml');
  const out = step('cdk-compliant-ml check --enforce (the installed bin)', () => sh(bin, [
    'check', '--enforce', '--format', 'json', '--no-report', path.join(dir, 'out-k8s-app'), path.join(dir, 'out-ecs-app', 'FraudServing.template.json'),
  ], dir));
  const report = JSON.parse(out);
  const kinds = report.workloads.map((w: { kind: string }) => w.kind).sort();
  // the manifests name Kubernetes kinds; the template metadata keeps the ECS constructs' kinds (and waivers)
  const expected = ['CompliantModelService', 'CompliantTrainingJob', 'CronJob', 'Deployment'];
  if (report.summary.violated !== 0 || JSON.stringify(kinds) !== JSON.stringify(expected)) {
    throw new Error(`cdk-compliant-ml check: ${report.summary.violated} violated control(s), workloads ${JSON.stringify(kinds)}`);
  }
  console.log(`package:test: the bin checked ${kinds.length} workloads (${kinds.join(', ')}): no violation`);
}

/** The README's TypeScript setup (Install section), exactly: the versions and the tsconfig.json. */
const TS_SETUP = { 'typescript': '~5.9', 'ts-node': '10.9.2', '@types/node': '20' };
const TS_CONFIG = { compilerOptions: { target: 'ES2022', module: 'node16', strict: true, skipLibCheck: true } };
/** The cdk8s CLI the README's `cdk8s synth` run uses (BUILD-NOTES G22: works on Node 20, `--no-check-upgrade` keeps it offline). */
const CDK8S_CLI = '2.207.60';

function npmInstall(dir: string): void {
  const offline = process.argv.includes('--online') ? [] : ['--prefer-offline'];
  step(`npm install ${offline.join(' ')} in ${dir}`, () => sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...offline], dir));
  // One copy of each framework: a nested copy inside the library would break the report hook (BUILD-NOTES G15).
  const nested = PEERS.filter((p) => fs.existsSync(path.join(dir, 'node_modules', 'cdk-compliant-ml', 'node_modules', p)));
  if (nested.length > 0) {
    throw new Error(`the library got its own copy of ${nested.join(', ')}`);
  }
  const megabytes = (dirs: string[]) => sh('du', ['-scm', ...dirs], dir).trim().split('\n').pop()!.split('\t')[0];
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf-8'));
  const typescript = Object.keys(manifest.devDependencies).length === 0 ? []
    : ['typescript', 'ts-node', '@types', '@cspotcode', '@tsconfig'].map((d) => path.join('node_modules', d)).filter((d) => fs.existsSync(path.join(dir, d)));
  const dependencies = Object.keys(manifest.dependencies).join(' ');
  console.log(`package:test: node_modules of ${dependencies}: ${megabytes(['node_modules'])} MB`
    + `${typescript.length ? ` (of which the TypeScript setup ${megabytes(typescript)} MB)` : ''}`);
}

/** The frameworks of the other backend are not installed: `require.resolve` fails for each, from the consumer's folder. */
function assertAbsent(dir: string, absent: string[]): void {
  const found = absent.filter((p) => {
    try {
      require.resolve(p, { paths: [dir] });
      return true;
    } catch {
      return false;
    }
  });
  if (found.length > 0) {
    throw new Error(`${dir}: ${found.join(', ')} got installed although it is an optional peer`);
  }
}

/** Apps that load one backend's entry point only. */
function singleBackendApp(backend: 'k8s' | 'ecs', typescript: boolean): string {
  const framework = backend === 'k8s' ? ['{ App, Chart }', 'cdk8s'] : ['{ App, Stack }', 'aws-cdk-lib'];
  const entry = `cdk-compliant-ml/${backend}`;
  // the entry point exports the backend's constructs at its top level (`k8s.CompliantModelService` in the shared body)
  const imports = typescript
    ? `import ${framework[0]} from '${framework[1]}';\nimport * as ${backend} from '${entry}';\nimport { ImageReference } from '${entry}';`
    : `const ${framework[0]} = require('${framework[1]}');\nconst ${backend} = require('${entry}');\nconst { ImageReference } = ${backend};`;
  return `${imports}\n${APPS[backend].body}`;
}

function cdk8sOnly(tgz: string): void {
  const dir = consumerProject(tgz, ['constructs', 'cdk8s', 'cdk8s-plus-27'], TS_SETUP, false);
  try {
    fs.writeFileSync(path.join(dir, 'k8s-app.js'), `// cdk8s only: no aws-cdk-lib installed.\n${singleBackendApp('k8s', false)}`);
    fs.writeFileSync(path.join(dir, 'k8s-app.ts'), `// cdk8s only, in TypeScript.\n${singleBackendApp('k8s', true)}`);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TS_CONFIG, null, 2));
    npmInstall(dir);
    assertAbsent(dir, ['aws-cdk-lib']);
    runApp(dir, 'k8s-app.js', 'CDK8S_OUTDIR', /\.k8s\.yaml$/, ['fraud/retrain', 'fraud/scorer']);
    step(`tsc -p . with the README's setup (typescript ${sh('npx', ['tsc', '--version'], dir).trim()})`, () => sh('npx', ['tsc', '-p', '.', '--noEmit'], dir));
    const outdir = path.join(dir, 'out-k8s-ts');
    step('npx ts-node k8s-app.ts', () => sh('npx', ['ts-node', 'k8s-app.ts'], dir, { CDK8S_OUTDIR: outdir }));
    if (!fs.existsSync(path.join(outdir, 'compliance-report.json'))) {
      throw new Error('ts-node k8s-app.ts wrote no compliance-report.json');
    }
  } finally {
    cleanUp(dir);
  }
}

function awsCdkOnly(tgz: string): void {
  const dir = consumerProject(tgz, ['constructs', 'aws-cdk-lib'], {}, false);
  try {
    fs.writeFileSync(path.join(dir, 'ecs-app.js'), `// aws-cdk only: no cdk8s installed.\n${singleBackendApp('ecs', false)}`);
    npmInstall(dir);
    assertAbsent(dir, ['cdk8s', 'cdk8s-plus-27']);
    runApp(dir, 'ecs-app.js', 'CDK_OUTDIR', /\.template\.json$/, ['FraudServing/Retrain', 'FraudServing/Scorer']);
  } finally {
    cleanUp(dir);
  }
}

/**
 * The README's smallest app per construct (the four `ts` blocks of "The smallest app per construct"), taken from the README
 * that ships in the tarball, exactly as a user copies them.
 */
function readmeApps(): Array<{ name: string; backend: 'k8s' | 'ecs'; code: string }> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const section = readme.slice(readme.indexOf('## The smallest app per construct'), readme.indexOf('## Reference architectures'));
  const blocks = [...section.matchAll(/^### (Kubernetes|Amazon ECS): `(k8s|ecs)\.(\w+)`\n[\s\S]*?```ts\n([\s\S]*?)```/gm)];
  if (blocks.length !== 4) {
    throw new Error(`README: expected 4 smallest apps, found ${blocks.length}`);
  }
  return blocks.map((m) => ({ name: `${m[2]}-${m[3]}`, backend: m[2] as 'k8s' | 'ecs', code: m[4] }));
}

/**
 * Every smallest app of the README, run the ways the README says to run them: `cdk8s synth` with a cdk8s.yaml and
 * `cdk synth` with a cdk.json (both through ts-node, as the examples' files do), `npx ts-node main.ts`, and plain `node` on
 * the JavaScript tsc emits. Each run must write the manifests or templates and the compliance report into the folder the
 * README names (dist/ or cdk.out/), with no AWS credentials and no network.
 */
function readmeRunModes(tgz: string): void {
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
  const dir = consumerProject(tgz, PEERS, { ...TS_SETUP, 'aws-cdk': ours.devDependencies['aws-cdk'], 'cdk8s-cli': CDK8S_CLI }, false);
  try {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TS_CONFIG, null, 2));
    npmInstall(dir);
    for (const app of readmeApps()) {
      const appDir = path.join(dir, app.name);
      fs.mkdirSync(appDir);
      fs.writeFileSync(path.join(appDir, 'main.ts'), app.code);
      const output = app.backend === 'k8s' ? 'dist' : 'cdk.out';
      const expectOutput = (mode: string) => {
        const report = path.join(appDir, output, 'compliance-report.json');
        const written = fs.existsSync(path.join(appDir, output)) ? fs.readdirSync(path.join(appDir, output)) : [];
        const workload = written.some((f) => (app.backend === 'k8s' ? /\.k8s\.yaml$/ : /\.template\.json$/).test(f));
        if (!fs.existsSync(report) || !workload) {
          throw new Error(`README ${app.name} (${mode}): ${output}/ holds ${JSON.stringify(written)}, no report or no ${app.backend === 'k8s' ? 'manifest' : 'template'}`);
        }
        if (JSON.parse(fs.readFileSync(report, 'utf-8')).summary.violated !== 0) {
          throw new Error(`README ${app.name} (${mode}): violated controls in the report`);
        }
        fs.rmSync(path.join(appDir, output), { recursive: true, force: true });
      };
      if (app.backend === 'k8s') {
        fs.writeFileSync(path.join(appDir, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node --transpile-only main.ts\n');
        step(`README ${app.name}: npx cdk8s synth`, () => sh('npx', ['cdk8s', 'synth', '--no-check-upgrade'], appDir, { CDK8S_CHECK_UPGRADE: 'false' }));
      } else {
        fs.writeFileSync(path.join(appDir, 'cdk.json'), JSON.stringify({
          app: 'npx ts-node --transpile-only main.ts', notices: false, versionReporting: false, context: { 'cli-telemetry': false },
        }, null, 2));
        step(`README ${app.name}: npx cdk synth`, () => sh('npx', ['cdk', 'synth', '--quiet', '--no-notices'], appDir, { CDK_DISABLE_CLI_TELEMETRY: 'true' }));
      }
      expectOutput(app.backend === 'k8s' ? 'cdk8s synth' : 'cdk synth');
      step(`README ${app.name}: npx ts-node main.ts`, () => sh('npx', ['ts-node', 'main.ts'], appDir));
      expectOutput('ts-node');
      step(`README ${app.name}: tsc main.ts, then node main.js`, () => {
        // the README's tsconfig settings, given on the command line (tsc ignores tsconfig.json when files are named)
        sh('npx', ['tsc', '--target', 'ES2022', '--module', 'node16', '--strict', '--skipLibCheck', 'main.ts'], appDir);
        return sh(process.execPath, ['main.js'], appDir);
      });
      expectOutput('node');
    }
  } finally {
    cleanUp(dir);
  }
}

function cleanUp(dir: string): void {
  if (process.argv.includes('--keep')) {
    console.log(`package:test: kept the consumer project in ${dir}`);
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const started = Date.now();
  const tgz = tarball();
  checkContents(tgz);
  const dir = consumerProject(tgz);
  try {
    npmInstall(dir);
    // The shipped typings work for a strict TypeScript consumer without our devDependencies (full check of the .d.ts files).
    step('tsc --strict --noEmit k8s-app.ts ecs-app.ts', () => sh(process.execPath, [
      require.resolve('typescript/bin/tsc'), '--strict', '--noEmit', '--module', 'node16', '--target', 'es2022', 'k8s-app.ts', 'ecs-app.ts',
    ], dir));
    runApp(dir, 'k8s-app.js', 'CDK8S_OUTDIR', /\.k8s\.yaml$/, ['fraud/retrain', 'fraud/scorer']);
    runApp(dir, 'ecs-app.js', 'CDK_OUTDIR', /\.template\.json$/, ['FraudServing/Retrain', 'FraudServing/Scorer']);
    runCli(dir);
  } finally {
    cleanUp(dir);
  }
  cdk8sOnly(tgz);
  awsCdkOnly(tgz);
  readmeRunModes(tgz);
  console.log(`package:test: passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  main();
} catch (e) {
  console.error(`package:test: FAILED: ${(e as Error).message}`);
  process.exitCode = 1;
}
