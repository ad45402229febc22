// Running an example's own CLI in its folder (README "Reference architectures": `cd examples/ecs-model-api && npx cdk synth`,
// `cd examples/k8s-llm-inference && npx --yes -p cdk8s-cli cdk8s synth --no-check-upgrade`) must leave the work tree clean:
// `.ci/run` fails on any untracked file (`git status --porcelain`). examples/.gitignore holds the rule (projen's `gitignore`
// entries are root-level only).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const REPO = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(REPO, 'examples');

/** Whether git ignores `relativePath` (it need not exist): `git check-ignore -q` exits 0 when ignored, 1 when not. */
function isIgnored(relativePath: string): boolean {
  const result = spawnSync('git', ['check-ignore', '-q', '--no-index', relativePath], { cwd: REPO, encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`git check-ignore ${relativePath} exited ${result.status}: ${result.stderr}`);
  }
  return result.status === 0;
}

/** The folder an example's CLI writes to: cdk.json `output` (default cdk.out) or cdk8s.yaml `output` (default dist). */
function cliOutputDirectory(exampleDir: string): string {
  const cdkJson = path.join(exampleDir, 'cdk.json');
  if (fs.existsSync(cdkJson)) return JSON.parse(fs.readFileSync(cdkJson, 'utf8')).output ?? 'cdk.out';
  return parse(fs.readFileSync(path.join(exampleDir, 'cdk8s.yaml'), 'utf8')).output ?? 'dist';
}

const exampleNames = fs
  .readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

test('the examples are the four reference architectures, each with a cdk.json or a cdk8s.yaml', () => {
  expect(exampleNames).toEqual(['ecs-gpu-training', 'ecs-model-api', 'k8s-llm-inference', 'k8s-retraining']);
  for (const name of exampleNames) {
    const dir = path.join(EXAMPLES, name);
    expect([fs.existsSync(path.join(dir, 'cdk.json')), fs.existsSync(path.join(dir, 'cdk8s.yaml'))]).toContainEqual(true);
  }
});

describe.each(exampleNames)('examples/%s', (name) => {
  test('ignores cdk.out/ and dist/ (what `cdk synth` and `cdk8s synth` write there)', () => {
    expect(isIgnored(`examples/${name}/cdk.out/x`)).toBe(true);
    expect(isIgnored(`examples/${name}/dist/x`)).toBe(true);
    expect(isIgnored(`examples/${name}/cdk.out/nested/ModelApi.template.json`)).toBe(true);
  });

  test('ignores the output folder its own CLI configuration names', () => {
    expect(isIgnored(`examples/${name}/${cliOutputDirectory(path.join(EXAMPLES, name))}/x`)).toBe(true);
  });

  test('fails when the ignore rules would hide its sources (app.ts, main.ts, the CLI configuration)', () => {
    for (const file of fs.readdirSync(path.join(EXAMPLES, name))) {
      expect([file, isIgnored(`examples/${name}/${file}`)]).toEqual([file, false]);
    }
  });
});
