// Every ```ts block of README.md compiles and runs: each block is a self-contained module that imports the library as users do
// ('cdk-compliant-ml', mapped here to src/). The blocks are type-checked together with the TypeScript compiler API (strict,
// the project's compiler options) as in-memory files, then transpiled and run with their synth output in temporary directories.
// The README's control table and relative links are checked too.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { README, withControlTable } from '../../scripts/readme-controls';
import { CapturedOutput, captureOutput, policyValidationReports } from '../support/captured-output';

const ROOT = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(README, 'utf-8');

interface Block {
  /** The line of README.md where the code starts. */
  readonly line: number;
  readonly code: string;
}

function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const re = /^```ts\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, m.index).split('\n').length + 1, code: m[1] });
  }
  return blocks;
}

const blocks = tsBlocks(readme);
/** In-memory file of a block, in this folder so that imports resolve from the project's node_modules. */
const fileOf = (b: Block) => path.join(__dirname, `readme-line-${b.line}.ts`);
/** The block as a module importing the library from src/ (`export {}` keeps blocks without imports out of the global scope). */
const moduleOf = (b: Block) => `${b.code.replace(/from 'cdk-compliant-ml'/g, "from '../../src'")}\nexport {};\n`;

describe('README.md', () => {
  test('has a TypeScript block for each construct of each backend, each importing the package', () => {
    for (const c of ['k8s.CompliantModelService', 'k8s.CompliantTrainingJob', 'ecs.CompliantModelService', 'ecs.CompliantTrainingJob']) {
      expect(blocks.some((b) => b.code.includes(`new ${c}(`))).toBe(true);
    }
    for (const b of blocks) {
      expect(b.code).toMatch(/from 'cdk-compliant-ml';/);
    }
  });

  test('every TypeScript block type-checks', () => {
    const config = ts.readConfigFile(path.join(ROOT, 'test', 'tsconfig.json'), ts.sys.readFile);
    expect(config.error).toBeUndefined();
    const { options, errors } = ts.parseJsonConfigFileContent(config.config, ts.sys, path.join(ROOT, 'test'));
    expect(errors).toEqual([]);
    expect(options.strict).toBe(true);
    const compilerOptions: ts.CompilerOptions = { ...options, noEmit: true, noUnusedLocals: false, isolatedModules: false, skipLibCheck: true };
    const files = new Map(blocks.map((b) => [fileOf(b), moduleOf(b)]));
    const host = ts.createCompilerHost(compilerOptions);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
    host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
    host.getSourceFile = (f, lang, ...rest) => (files.has(f)
      ? ts.createSourceFile(f, files.get(f)!, lang, true)
      : getSourceFile.call(host, f, lang, ...rest));
    const program = ts.createProgram([...files.keys()], compilerOptions, host);
    // Only the blocks' own diagnostics: the library's sources are checked by the compile and by `tsc -p test`.
    const problems = [...files.keys()].map((f) => program.getSourceFile(f)!)
      .flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const block = blocks.find((b) => fileOf(b) === d.file!.fileName)!;
        return `README.md:${block.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  }, 120_000);

  describe('every TypeScript block runs', () => {
    const saved = { ...process.env };
    let output: CapturedOutput;
    let tmp: string;
    beforeEach(() => {
      // The waiver example expires on 2027-03-31; run the blocks on a fixed date so that it keeps working.
      jest.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-readme-'));
      process.env.CDK8S_OUTDIR = path.join(tmp, 'dist');
      process.env.CDK_OUTDIR = path.join(tmp, 'cdk.out');
      output = captureOutput(); // report-mode warnings (stderr) and aws-cdk's policy-validation report (console.error)
    });
    afterEach(() => {
      output.restore();
      jest.useRealTimers();
      process.env = { ...saved };
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    test.each(blocks.map((b) => [b.line, b]))('the block at README.md:%d', (_line, block) => {
      const js = ts.transpileModule(moduleOf(block as Block), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
      }).outputText;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const load = (m: string) => require(m.startsWith('.') ? path.join(__dirname, m) : m);
      const mod = { exports: {} };
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      new Function('require', 'module', 'exports', js)(load, mod, mod.exports);
      for (const dir of [process.env.CDK8S_OUTDIR!, process.env.CDK_OUTDIR!].filter((d) => fs.existsSync(d))) {
        expect(fs.readdirSync(dir)).toContain('compliance-report.json');
      }
      // a block that registers ecs.CompliancePolicyPlugin gets aws-cdk's printed report, and it passes; no other prints errors
      const printedReports = policyValidationReports(output.consoleErrors());
      if ((block as Block).code.includes('CompliancePolicyPlugin()')) {
        // one per synthesis (ComplianceReport.of(app) synthesizes too), each a success
        expect(printedReports.length).toBeGreaterThan(0);
        expect(printedReports.filter((text) => !/cdk-compliant-ml │ success/.test(text))).toEqual([]);
      } else {
        expect(output.consoleErrors()).toEqual([]);
      }
    }, 60_000);
  });

  test('the control table is the one the catalogue renders (`npx projen docs:controls` updates it)', () => {
    expect(readme).toBe(withControlTable(readme));
  });

  test('relative links point at files of the project', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((l) => !fs.existsSync(path.join(ROOT, l)))).toEqual([]);
  });
});
