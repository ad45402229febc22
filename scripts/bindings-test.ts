// `npx projen bindings:test` (issue #20): the jsii bindings as Python, Java and Go users get them, each proven to synthesize
// the same bytes as TypeScript.
//  1. Packages dist/python, dist/java, dist/go (`npx projen package:<language>`, jsii-pacmak) unless they are newer than .jsii,
//     so CI builds each binding once.
//  2. Runs the TypeScript twin (test-bindings/typescript/app.ts) into test-bindings/out/typescript, and every README
//     TypeScript block that a Python block follows into test-bindings/out/readme/<n> (pairs.json names the lines).
//  3. Python: a fresh venv in the OS temp dir, the built wheel plus aws-cdk-lib, cdk8s, cdk8s-plus-27 and constructs from PyPI
//     at the versions of package.json's devDependencies, and pytest on test-bindings/python (the twin app and the README's
//     Python blocks, each compared with its TypeScript output).
//  4. Java: test-bindings/java with Maven (dist/java as a file repository), compared with the TypeScript output.
//  5. Go: test-bindings/go with `go run .` (dist/go through replace directives), compared with the TypeScript output.
// Every file must be byte-identical, except *.metadata.json, whose `trace` and `aws:cdk:creationStack` entries are the creating
// program's stacks (its language's frames and file names) and are dropped before comparing. Caches stay in the default places (~/.cache/pip, ~/.m2,
// $GOMODCACHE/$GOCACHE), so a second run downloads nothing. Prints each step's time.
// Options: --only=python,java,go (a subset), --skip-package (use dist/ as it is).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const BINDINGS = path.join(ROOT, 'test-bindings');
const OUT = path.join(BINDINGS, 'out');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
/** The peers installed beside the wheel, at the versions the TypeScript build uses. */
const PYTHON_PEERS = ['aws-cdk-lib', 'cdk8s', 'cdk8s-plus-27', 'constructs'];
const PYTEST = 'pytest==9.2.0';
const LANGUAGES = ['python', 'java', 'go'] as const;
type Language = typeof LANGUAGES[number];

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? [...LANGUAGES];
const skipPackage = args.includes('--skip-package');
const timings: Array<[string, number]> = [];

function fail(message: string): never {
  console.error(`bindings:test: FAILED: ${message}`);
  process.exit(1);
}

function run(what: string, cmd: string, cmdArgs: string[], options: { cwd?: string; env?: Record<string, string> } = {}): void {
  const started = Date.now();
  console.log(`bindings:test: ${what}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', ...options.env },
    stdio: 'inherit',
  });
  const seconds = (Date.now() - started) / 1000;
  timings.push([what, seconds]);
  if (r.status !== 0) fail(`${what} exited with ${r.status ?? r.signal} after ${seconds.toFixed(1)} s`);
  console.log(`bindings:test: ${what} (${seconds.toFixed(1)} s)`);
}

function requireTool(cmd: string, cmdArgs: string[], hint: string): void {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'ignore' });
  if (r.status !== 0) fail(`\`${cmd} ${cmdArgs.join(' ')}\` does not work here: ${hint} (.ci/run installs it)`);
}

// ---- 1. packaging -------------------------------------------------------------------------------------------------------

/** The file whose age tells whether a language's binding is up to date. */
function artifactOf(language: Language): string | undefined {
  const dir = {
    python: path.join(ROOT, 'dist', 'python'),
    java: path.join(ROOT, 'dist', 'java', 'io', 'github', 'cdk-compliant-ml', 'cdk-compliant-ml', PKG.version),
    go: path.join(ROOT, 'dist', 'go', 'cdkcompliantml'),
  }[language];
  const wanted = { python: /\.whl$/, java: new RegExp(`^cdk-compliant-ml-${PKG.version}\\.jar$`), go: /^go\.mod$/ }[language];
  const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => wanted.test(f)) : undefined;
  return file && path.join(dir, file);
}

function packageBindings(languages: Language[]): void {
  const assembly = path.join(ROOT, '.jsii');
  if (!fs.existsSync(assembly)) fail('no .jsii: compile first (`npx projen compile`)');
  for (const language of languages) {
    const artifact = artifactOf(language);
    if (skipPackage || (artifact && fs.statSync(artifact).mtimeMs > fs.statSync(assembly).mtimeMs)) {
      if (!artifact) fail(`--skip-package, but dist/ has no ${language} binding`);
      console.log(`bindings:test: ${path.relative(ROOT, artifact)} is newer than .jsii: reused`);
      continue;
    }
    run(`package:${language}`, 'npx', ['projen', `package:${language}`]);
    if (!artifactOf(language)) fail(`package:${language} left no ${language} binding in dist/`);
  }
}

// ---- 2. the TypeScript outputs ------------------------------------------------------------------------------------------

interface Block { readonly line: number; readonly lang: string; readonly code: string }

function readmeBlocks(): Block[] {
  const markdown = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const blocks: Block[] = [];
  const re = /^```(ts|python)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, m.index).split('\n').length + 1, lang: m[1], code: m[2] });
  }
  return blocks;
}

/** Each README Python block with the TypeScript block right before it (the same app): its output is the expected one. */
function synthReadmeTypeScript(): void {
  const blocks = readmeBlocks();
  const pairs: Array<{ index: number; pythonLine: number; typescriptLine: number }> = [];
  blocks.forEach((block, i) => {
    if (block.lang !== 'python') return;
    const twin = blocks[i - 1];
    if (!twin || twin.lang !== 'ts') fail(`the Python block at README.md:${block.line} does not follow a TypeScript block`);
    pairs.push({ index: pairs.length, pythonLine: block.line, typescriptLine: twin.line });
  });
  if (pairs.length === 0) fail('README.md has no Python block');
  const lib = path.join(ROOT, 'lib', 'index.js');
  for (const pair of pairs) {
    const dir = path.join(OUT, 'readme', String(pair.index));
    const program = path.join(OUT, 'readme', `${pair.index}.js`);
    const code = blocks.find((b) => b.line === pair.typescriptLine)!.code.replace(/from 'cdk-compliant-ml'/g, `from ${JSON.stringify(lib)}`);
    fs.writeFileSync(program, ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    }).outputText);
    fs.mkdirSync(dir, { recursive: true });
    run(`README.md:${pair.typescriptLine} (TypeScript)`, 'node', [program], {
      cwd: dir, env: { CDK8S_OUTDIR: path.join(dir, 'dist'), CDK_OUTDIR: path.join(dir, 'cdk.out') },
    });
  }
  fs.writeFileSync(path.join(OUT, 'readme', 'pairs.json'), JSON.stringify(pairs, undefined, 2) + '\n');
}

// ---- comparison ---------------------------------------------------------------------------------------------------------

function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The metadata without the stacks of the creating program (`trace`, `aws:cdk:creationStack` entries). */
function withoutTraces(value: unknown): unknown {
  const isStack = (v: unknown) => typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'aws:cdk:creationStack';
  if (Array.isArray(value)) return value.filter((v) => !isStack(v)).map(withoutTraces);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'trace').map(([k, v]) => [k, withoutTraces(v)]));
  }
  return value;
}

/** What the comparison reads of a file: its bytes, or for *.metadata.json the JSON without stack traces. */
function comparable(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  return file.endsWith('.metadata.json') ? Buffer.from(JSON.stringify(withoutTraces(JSON.parse(bytes.toString('utf-8'))))) : bytes;
}

function compareTrees(language: string, expected: string, actual: string): number {
  const want = filesUnder(expected);
  const got = filesUnder(actual);
  const problems: string[] = [];
  for (const f of want.filter((x) => !got.includes(x))) problems.push(`missing ${f}`);
  for (const f of got.filter((x) => !want.includes(x))) problems.push(`extra ${f}`);
  for (const f of want.filter((x) => got.includes(x))) {
    if (!comparable(path.join(expected, f)).equals(comparable(path.join(actual, f)))) {
      problems.push(`differs: ${f} (diff ${path.relative(ROOT, path.join(expected, f))} ${path.relative(ROOT, path.join(actual, f))})`);
    }
  }
  if (problems.length > 0) fail(`${language} output is not the TypeScript output:\n  ${problems.join('\n  ')}`);
  console.log(`bindings:test: ${language}: ${want.length} files byte-identical with TypeScript`);
  return want.length;
}

// ---- 3.-5. the languages ------------------------------------------------------------------------------------------------

function testPython(): void {
  const venv = fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-venv-'));
  try {
    run('python: fresh venv', 'python3', ['-m', 'venv', venv]);
    const pip = path.join(venv, 'bin', 'pip');
    const wheel = artifactOf('python')!;
    const peers = PYTHON_PEERS.map((p) => `${p}==${PKG.devDependencies[p]}`);
    run('python: pip install', pip, ['install', '--disable-pip-version-check', '-q', wheel, ...peers, PYTEST]);
    run('python: pytest', path.join(venv, 'bin', 'python'), ['-m', 'pytest', '-p', 'no:cacheprovider', '-q', path.join(BINDINGS, 'python')], {
      env: { BINDINGS_OUT: OUT },
    });
  } finally {
    fs.rmSync(venv, { recursive: true, force: true });
  }
}

/** The versions test-bindings/java/pom.xml pins must be the ones npm installed, or the kernel runs other JavaScript. */
function checkPomVersions(): void {
  const pom = fs.readFileSync(path.join(BINDINGS, 'java', 'pom.xml'), 'utf-8');
  const npmVersion = (name: string) => JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [ROOT] }), 'utf-8')).version;
  const expected: Record<string, string> = {
    'aws-cdk-lib': PKG.devDependencies['aws-cdk-lib'],
    'cdk8s': PKG.devDependencies.cdk8s,
    'cdk8s-plus-27': PKG.devDependencies['cdk8s-plus-27'],
    'constructs': PKG.devDependencies.constructs,
    'cdk-cloud-assembly-schema': npmVersion('@aws-cdk/cloud-assembly-schema'),
    'cdk-asset-awscli-v1': npmVersion('@aws-cdk/asset-awscli-v1'),
    'cdk-asset-node-proxy-agent-v6': npmVersion('@aws-cdk/asset-node-proxy-agent-v6'),
  };
  for (const [artifact, version] of Object.entries(expected)) {
    if (!pom.includes(`<artifactId>${artifact}</artifactId>\n      <version>${version}</version>`)
      && !pom.includes(`<artifactId>${artifact}</artifactId>\n        <version>${version}</version>`)) {
      fail(`test-bindings/java/pom.xml must pin ${artifact} ${version} (the npm version)`);
    }
  }
}

function testJava(): void {
  checkPomVersions();
  // Maven never downloads a release version twice: drop our artifact from the local repository (only ours), so that the app
  // gets the jar package:java just built into dist/java, not one cached by an earlier run.
  fs.rmSync(path.join(os.homedir(), '.m2', 'repository', 'io', 'github', 'cdk-compliant-ml'), { recursive: true, force: true });
  const out = path.join(OUT, 'java');
  run('java: mvn compile exec:java', 'mvn', ['-B', '-q', 'compile', 'exec:java', `-Dexec.args=${out}`], { cwd: path.join(BINDINGS, 'java') });
  compareTrees('java', path.join(OUT, 'typescript'), out);
}

function testGo(): void {
  const out = path.join(OUT, 'go');
  run('go: go run', 'go', ['run', '.', out], { cwd: path.join(BINDINGS, 'go') });
  compareTrees('go', path.join(OUT, 'typescript'), out);
}

function main(): void {
  const languages = LANGUAGES.filter((l) => only.includes(l));
  requireTool('node', ['--version'], 'Node.js');
  if (languages.includes('python')) requireTool('python3', ['-m', 'venv', '--help'], 'python3 with the venv module (Debian: python3-venv)');
  if (languages.includes('java')) requireTool('mvn', ['-v'], 'Maven 3 and a JDK 17');
  if (languages.includes('go')) requireTool('go', ['version'], 'Go 1.25 or newer');
  const started = Date.now();
  packageBindings(languages);
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(path.join(OUT, 'readme'), { recursive: true });
  run('typescript: twin app', 'npx', ['ts-node', '--transpile-only', path.join(BINDINGS, 'typescript', 'app.ts'), path.join(OUT, 'typescript')]);
  let passed = 0;
  if (languages.includes('python')) {
    synthReadmeTypeScript();
    testPython();
    passed++;
  }
  if (languages.includes('java')) {
    testJava();
    passed++;
  }
  if (languages.includes('go')) {
    testGo();
    passed++;
  }
  console.log('bindings:test: times (s):');
  for (const [what, seconds] of timings) console.log(`  ${seconds.toFixed(1).padStart(7)}  ${what}`);
  console.log(`bindings:test: ${languages.join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`bindings: ${passed} passed, 0 failed`);
}

main();
