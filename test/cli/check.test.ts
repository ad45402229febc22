/* eslint-disable @typescript-eslint/no-explicit-any */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { App, Chart } from 'cdk8s';
import { FIXTURES, runCli, tmpdir } from './support';
import { ComplianceReport } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import * as ecs from '../../src/ecs';
import * as k8s from '../../src/k8s';

const fx = (name: string) => path.join(FIXTURES, name);
const HELM = fx('helm-release.yaml');

function violated(json: any, suffix: string): string[] {
  const w = json.workloads.find((x: any) => x.path.endsWith(suffix));
  if (!w) {
    throw new Error(`no workload ${suffix} in ${json.workloads.map((x: any) => x.path).join(', ')}`);
  }
  return w.controls.filter((c: any) => c.status === 'violated').map((c: any) => c.id);
}

describe('check on Kubernetes manifests', () => {
  test('a Helm-style multi-document release: the table, the report files, exit 0 (report mode) and 1 with --enforce', async () => {
    const out = tmpdir();
    const r = await runCli(['check', '--outdir', out, HELM]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^WORKLOAD +KIND +BACKEND +VIOLATED +WAIVED +MET +EXTERNAL\n/);
    expect(r.stdout).toMatch(new RegExp(`${HELM}#Deployment/legacy-web +Deployment +kubernetes +17 +0 `));
    expect(r.stdout).toMatch(new RegExp(`${HELM}#Deployment/release-scorer-\\w+ +Deployment +kubernetes +0 +0 `));
    expect(r.stdout).toContain(`${HELM}#Deployment/legacy-web: IMG-2 No \`:latest\` and no untagged references [medium] violated: `
      + 'Deployment legacy-web spec.template.spec.containers[0].image="nginx:latest" (tag latest)');
    expect(r.stderr).toContain('cdk-compliant-ml check: 2 workloads in 1 files (5 other objects skipped): 17 failing (violated or unverified) control results in 1 workloads (34 controls in the catalogue), 0 input problems');

    const json = JSON.parse(fs.readFileSync(path.join(out, 'compliance-report.json'), 'utf-8'));
    expect(json).toMatchObject({ schemaVersion: '1', generator: 'cdk-compliant-ml' });
    expect(violated(json, '#Deployment/legacy-web')).toEqual(expect.arrayContaining(['IMG-1', 'IMG-2', 'SEC-1', 'AVL-1', 'AVL-2', 'NET-1']));
    expect(violated(json, '#Deployment/release-scorer-a1332bb0')).toEqual([]);
    // the same shape as on synth: the files are exactly what ComplianceReport renders for these workloads
    const report = ComplianceReport.fromWorkloads(json.workloads);
    expect(fs.readFileSync(path.join(out, 'compliance-report.json'), 'utf-8')).toBe(report.toJsonString());
    expect(fs.readFileSync(path.join(out, 'compliance-report.md'), 'utf-8')).toBe(report.toMarkdown());

    const enforced = await runCli(['check', '--no-report', '--enforce', HELM]);
    expect(enforced.code).toBe(1);
  });

  test('--format json and markdown print the report files\' content; --quiet silences the progress', async () => {
    const out = tmpdir();
    const json = await runCli(['check', '-o', out, '--format', 'json', '--quiet', HELM]);
    expect(json.stdout).toBe(fs.readFileSync(path.join(out, 'compliance-report.json'), 'utf-8'));
    expect(json.stderr).toBe('');
    const md = await runCli(['check', `--outdir=${out}`, '--format=markdown', HELM]);
    expect(md.stdout).toBe(fs.readFileSync(path.join(out, 'compliance-report.md'), 'utf-8'));
    expect(md.stdout).toMatch(/^# Compliance report\n/);
  });

  test('a directory (kustomize-style, one resource per file): YAML, .yml and JSON List files, hidden directories skipped', async () => {
    const dir = fx('kustomize-build');
    const r = await runCli(['check', '--no-report', '--format', 'json', dir]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.workloads.map((w: any) => [w.path, w.kind])).toEqual([
      [path.join(dir, 'base', 'deployment.yaml#Deployment/batch-api'), 'Deployment'],
      [path.join(dir, 'job.json#Job/nightly-retrain'), 'Job'],
    ]);
    // the PodDisruptionBudget in another file counts
    expect(violated(json, '#Deployment/batch-api')).not.toContain('AVL-2');
    expect(violated(json, '#Deployment/batch-api')).toContain('IMG-1');
    expect(r.stderr).toContain('reading 3 files');
  });

  const withWaiverAnnotation = (value: string) => {
    const file = path.join(tmpdir(), 'waived.yaml');
    fs.writeFileSync(file, fs.readFileSync(HELM, 'utf-8').replace('  name: legacy-web\n  labels:',
      `  name: legacy-web\n  annotations:\n    compliance.cdk-compliant-ml.io/waivers: '${value}'\n  labels:`));
    return file;
  };

  test('waivers in the compliance.cdk-compliant-ml.io/waivers annotation (JSON, as the constructs write it) count as waived, with their source', async () => {
    const file = withWaiverAnnotation(JSON.stringify([
      { control: 'IMG-1', reason: 'pinned by the GitOps overlay', expires: '2999-01-01', approvedBy: 'platform' },
      { control: 'IMG-2', reason: 'pinned by the GitOps overlay' },
    ]));
    const r = await runCli(['check', '--no-report', '--format', 'json', file]);
    expect(r.code).toBe(0);
    const legacy = JSON.parse(r.stdout).workloads.find((w: any) => w.path.endsWith('legacy-web'));
    const waived = legacy.controls.filter((c: any) => c.status === 'waived');
    expect(waived.map((c: any) => c.id)).toEqual(['IMG-1', 'IMG-2']);
    expect(waived[0]).toMatchObject({
      waiver: { control: 'IMG-1', reason: 'pinned by the GitOps overlay', expires: '2999-01-01', approvedBy: 'platform' },
      waiverSource: expect.stringMatching(/^manifest annotation at .*waived\.yaml:\d+$/),
    });
  });

  test.each([
    ['a bare list of IDs', 'IMG-1,IMG-2', /are not JSON/],
    ['no reason', JSON.stringify([{ control: 'IMG-1' }]), /needs a reason/],
    ['an empty reason', JSON.stringify([{ control: 'IMG-1', reason: ' ' }]), /needs a reason/],
    ['an unknown control', JSON.stringify([{ control: 'IMG-9', reason: 'r' }]), /is not a control of the catalogue/],
    ['a control outside the kind\'s scope', JSON.stringify([{ control: 'JOB-1', reason: 'r' }]), /does not apply to this kind of workload/],
    ['an expired waiver', JSON.stringify([{ control: 'IMG-1', reason: 'r', expires: '2020-01-01' }]), /expired on 2020-01-01/],
    ['an invalid date', JSON.stringify([{ control: 'IMG-1', reason: 'r', expires: '2027-02-30' }]), /is not an ISO date/],
    ['a null entry', JSON.stringify([null]), /is not a waiver/],
    ['an unknown field', JSON.stringify([{ control: 'IMG-1', reason: 'r', expiry: '2027-01-01' }]), /unknown field "expiry"/],
    ['a control waived twice', JSON.stringify([{ control: 'IMG-1', reason: 'r' }, { control: 'IMG-1', reason: 's' }]), /waived twice/],
  ])('a waiver annotation with %s is an input error with its line (exit 3) and waives nothing', async (_what, value, message) => {
    const file = withWaiverAnnotation(value);
    const r = await runCli(['check', '--no-report', '--format', 'json', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`waived\\.yaml:\\d+: error: Deployment legacy-web: annotation compliance.cdk-compliant-ml.io/waivers: .*${message.source}`));
    const legacy = JSON.parse(r.stdout).workloads.find((w: any) => w.path.endsWith('legacy-web'));
    if (!/twice/.test(message.source)) {
      expect(legacy.controls.filter((c: any) => c.status === 'waived')).toEqual([]);
    }
  });

  test('reads standard input for the path -', async () => {
    const r = await runCli(['check', '--no-report', '--format', 'json', '-'], { stdin: fs.readFileSync(HELM, 'utf-8') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).workloads.map((w: any) => w.path)).toEqual(['<stdin>#Deployment/legacy-web', '<stdin>#Deployment/release-scorer-a1332bb0']);
  });
});

describe('check on CloudFormation templates', () => {
  test('a synthesized JSON template of this library: the task definition with its service, waivers and kind from the metadata', async () => {
    const r = await runCli(['check', '--no-report', '--format', 'json', fx('serving.template.json')]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.workloads.map((w: any) => [w.path, w.kind, w.backend])).toEqual([
      [`${fx('serving.template.json')}#ScorerService6A9F5877`, 'CompliantModelService', 'ecs'],
    ]);
    expect(json.summary.violated).toBe(0);
  });

  test('a hand-written YAML template with short-form intrinsics (!Ref, !GetAtt, !Sub, !Join, !Select, !Split, !ImportValue)', async () => {
    const file = fx('legacy-ecs.template.yaml');
    const r = await runCli(['check', '--no-report', '--format', 'json', '--enforce', file]);
    expect(r.code).toBe(1);
    const [w] = JSON.parse(r.stdout).workloads;
    expect([w.path, w.kind, w.images]).toEqual([`${file}#ScorerService`, 'Service', ['ghcr.io/acme/legacy-scorer:${ImageTag}']]);
    expect(violated({ workloads: [w] }, 'ScorerService')).toEqual(expect.arrayContaining(['SEC-9', 'AVL-1', 'LOG-2']));
    // a tag from a parameter may carry a digest: IMG-1 cannot be proven either way (ecs-verdicts: unverified, was violated)
    expect(w.controls.find((c: any) => c.id === 'IMG-1').status).toBe('unverified');
    // !Ref Logs resolved to the log group of the template
    expect(w.controls.find((c: any) => c.id === 'LOG-2').evidence).toEqual(['LogGroup Logs RetentionInDays=7']);
  });
});

describe('waivers in CloudFormation template metadata are validated like waivers in code', () => {
  const template = (waivers: unknown) => ({
    Resources: {
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Metadata: { 'cdk-compliant-ml': { kind: 'CompliantTrainingJob', waivers } },
        Properties: { ContainerDefinitions: [{ Name: 'main', Image: 'nginx:latest' }] },
      },
    },
  });
  const write = (waivers: unknown) => {
    const file = path.join(tmpdir(), 'waived.template.json');
    fs.writeFileSync(file, JSON.stringify(template(waivers), undefined, 1));
    return file;
  };

  test('a valid waiver is honoured and names the template metadata as its source', async () => {
    const r = await runCli(['check', '--no-report', '--format', 'json', write([{ control: 'IMG-2', reason: 'vendor image', expires: '2999-12-31' }])]);
    expect(r.code).toBe(0);
    const img2 = JSON.parse(r.stdout).workloads[0].controls.find((c: any) => c.id === 'IMG-2');
    expect(img2).toMatchObject({ status: 'waived', waiverSource: 'template metadata of Task' });
  });

  test.each([
    ['an expired waiver with an empty reason', [{ control: 'IMG-2', reason: '', expires: '2020-01-01' }], /needs a reason/],
    ['a null entry', [null], /is not a waiver/],
    ['a bare list of IDs', ['IMG-2'], /is not a waiver/],
    ['a service control on a job', [{ control: 'AVL-1', reason: 'r' }], /does not apply to this kind of workload/],
    ['a string instead of a list', 'IMG-2', /not a JSON array/],
  ])('%s is an input error (exit 3) and waives nothing', async (_what, waivers, message) => {
    const r = await runCli(['check', '--no-report', '--format', 'json', write(waivers)]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`waived\\.template\\.json:\\d+: error: resource Task: metadata cdk-compliant-ml: .*${message.source}`));
    expect(JSON.parse(r.stdout).workloads[0].controls.filter((c: any) => c.status === 'waived')).toEqual([]);
  });
});

describe('malformed inputs are reported per file and line, never as a crash; the rest is still checked', () => {
  test('every problem with its line, exit 3, and the valid documents of the same files evaluated', async () => {
    const files = ['broken.yaml', 'unknown-kind.yaml', 'missing-field.yaml', 'broken.template.json', 'incomplete.template.yaml', 'helm-release.yaml'];
    const r = await runCli(['check', '--no-report', '--format', 'json', ...files.map(fx)]);
    expect(r.code).toBe(3);
    const problems = r.stderr.split('\n').filter((l) => l.includes(': error: ')).map((l) => l.replace(`${FIXTURES}${path.sep}`, ''));
    expect(problems).toEqual([
      'broken.template.json:9: error: invalid JSON: Unexpected token \']\'',
      'broken.yaml:13: error: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }',
      'incomplete.template.yaml:3: error: resource NoType: missing field Type',
      'incomplete.template.yaml:8: error: resource EmptyTask: missing field Properties.ContainerDefinitions (a non-empty list) of an AWS::ECS::TaskDefinition',
      'missing-field.yaml:10: error: StatefulSet no-containers: missing field spec.template.spec.containers (a non-empty list)',
      'missing-field.yaml:13: error: missing field apiVersion: every Kubernetes object needs apiVersion and kind',
      'missing-field.yaml:29: error: CronJob no-image: missing field spec.jobTemplate.spec.template.spec.containers[0].image',
      'unknown-kind.yaml:2: error: unknown kind Deploymnet in the API group apps',
      'unknown-kind.yaml:13: error: unknown kind Deployment in the core API group (apiVersion v1) (Deployment is in the API group apps)',
    ]);
    const paths = JSON.parse(r.stdout).workloads.map((w: any) => w.path.replace(`${FIXTURES}${path.sep}`, ''));
    expect(paths).toEqual([
      'broken.yaml#Job/after-the-break',
      'helm-release.yaml#Deployment/legacy-web',
      'helm-release.yaml#Deployment/release-scorer-a1332bb0',
      'incomplete.template.yaml#GoodTask',
    ]);
    // input problems win over violations
    expect((await runCli(['check', '--no-report', '--enforce', fx('broken.yaml')])).code).toBe(3);
  });

  test('a missing path is an input problem; the other paths are checked', async () => {
    const r = await runCli(['check', '--no-report', fx('does-not-exist.yaml'), HELM]);
    expect(r.stderr).toContain(`${fx('does-not-exist.yaml')}: error: no such file or directory`);
    expect(r.stdout).toContain('#Deployment/legacy-web');
    expect(r.code).toBe(3);
  });

  test.each([
    [['check'], 'check needs at least one PATH'],
    [['check', '--format', 'html', HELM], 'unknown --format "html": use table, json, markdown'],
    [['check', '--outdir'], 'option --outdir needs a value'],
    [['check', '--no-report', '-o', 'x', HELM], '--outdir and --no-report exclude each other'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const r = await runCli(argv);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
  });
});

describe('help, version and exit codes', () => {
  test.each([
    [['--help'], 'Usage: cdk-compliant-ml <command> [options]'],
    [['help'], 'Usage: cdk-compliant-ml <command> [options]'],
    [['check', '--help'], 'Usage: cdk-compliant-ml check [options] PATH...'],
    [['help', 'check'], 'Usage: cdk-compliant-ml check [options] PATH...'],
    [['pin', '-h'], 'Usage: cdk-compliant-ml pin [options] [IMAGE:TAG...]'],
  ])('%j prints the usage with the exit codes', async (argv, first) => {
    const r = await runCli(argv);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(first)).toBe(true);
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 /);
  });

  test('no command or an unknown one is a usage error; --version prints the package version', async () => {
    expect((await runCli([])).code).toBe(2);
    const unknown = await runCli(['lint']);
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([2, 'cdk-compliant-ml: unknown command "lint"']);
    const version = await runCli(['--version']);
    expect(version.stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version}\n`);
  });

  test('the bin runs as a real process (compiled lib/cli/bin.js when present, else the TypeScript sources through ts-node)', () => {
    const root = path.join(__dirname, '..', '..');
    const compiled = path.join(root, 'lib', 'cli', 'bin.js');
    const args = fs.existsSync(compiled) ? [compiled] : ['-r', 'ts-node/register/transpile-only', path.join(root, 'src', 'cli', 'bin.ts')];
    const out = tmpdir();
    const res = spawnSync(process.execPath, [...args, 'check', '--enforce', '-o', out, HELM], {
      cwd: root, encoding: 'utf-8', timeout: 60_000,
    });
    expect(res.stderr).toContain('2 workloads in 1 files');
    expect(res.stdout).toContain('#Deployment/legacy-web');
    expect(res.status).toBe(1);
    expect(fs.existsSync(path.join(out, 'compliance-report.json'))).toBe(true);
  }, 60_000);
});

describe('check on the output directories of a synth', () => {
  test('a cloud assembly and a cdk8s dist directory: reports and assembly metadata are skipped, workloads are checked', async () => {
    const image = ImageReference.fromString(`ghcr.io/acme/scorer:1.0.0@sha256:${'d'.repeat(64)}`);
    const cdkOut = tmpdir();
    const cdkApp = new CdkApp({ outdir: cdkOut });
    new ecs.CompliantModelService(new Stack(cdkApp, 'Serving'), 'Api', { image, model: { name: 'scorer', version: '1.0.0' } });
    cdkApp.synth();
    const dist = tmpdir();
    const k8sApp = new App({ outdir: dist });
    new k8s.CompliantModelService(new Chart(k8sApp, 'serving'), 'api', { image, model: { name: 'scorer', version: '1.0.0' } });
    k8sApp.synth();
    expect(fs.readdirSync(cdkOut)).toEqual(expect.arrayContaining(['manifest.json', 'tree.json', 'compliance-report.json']));

    const r = await runCli(['check', '--no-report', '--enforce', '--format', 'json', cdkOut, dist]);
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.workloads.map((w: any) => w.kind).sort()).toEqual(['CompliantModelService', 'Deployment']);
    expect(json.summary.violated).toBe(0);
  });
});
