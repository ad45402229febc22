/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { App as CdkApp, Stack, Stage } from 'aws-cdk-lib';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import { runCli, tmpdir } from './support';
import { expandPaths, readInputs } from '../../src/cli/inputs';
import { unrenderedInput } from '../../src/cli/unrendered-inputs';

// What `check` reads: sources of manifests (Helm, Kustomize) are named and listed as not evaluated, a cloud assembly is read
// through its manifest, symbolic links are followed once.

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx:1.27 }]
`;

/** Writes files (relative path → text) into a fresh directory and returns it. */
function tree(files: Record<string, string>): string {
  const dir = tmpdir();
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

async function check(args: string[], stdin?: string): Promise<{ code: number; json: any; stderr: string }> {
  const r = await runCli(['check', '--no-report', '--format', 'json', ...args], { stdin });
  return { code: r.code, json: JSON.parse(r.stdout), stderr: r.stderr };
}

const errors = (stderr: string) => stderr.split('\n').filter((l) => l.includes(': error: '));

describe('Helm charts and Kustomizations are named with the command that renders them, never parsed as manifests', () => {
  const chart = () => tree({
    'chart/Chart.yaml': 'apiVersion: v2\nname: scorer\nversion: 0.1.0\n',
    'chart/values.yaml': 'replicaCount: 2\nimage: { repository: nginx, tag: latest }\n',
    'chart/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "scorer.fullname" . }}\n'
      + 'spec:\n  replicas: {{ .Values.replicaCount }}\n',
    'chart/templates/_helpers.tpl': '{{- define "scorer.fullname" -}}scorer{{- end }}\n',
    'chart/crds/model.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: models.acme.io }\n',
  });

  test('a chart directory: every template, the values and Chart.yaml are listed in notEvaluated with the helm template hint', async () => {
    const dir = chart();
    const r = await check(['--enforce', dir]);
    expect(errors(r.stderr)).toEqual([]);
    const chartDir = path.join(dir, 'chart');
    expect(r.json.notEvaluated).toEqual([
      { path: path.join(chartDir, 'Chart.yaml'), kind: 'HelmChart', reason: expect.stringContaining('the metadata of a Helm chart, not a manifest') },
      { path: path.join(chartDir, 'templates/deployment.yaml'), kind: 'HelmTemplate', reason: expect.stringContaining('{{ action on line 4') },
      { path: path.join(chartDir, 'values.yaml'), kind: 'HelmValues', reason: expect.stringContaining('the values of a Helm chart') },
    ]);
    for (const entry of r.json.notEvaluated) {
      expect(entry.reason).toContain(`render the chart first: helm template <release> ${chartDir} | cdk-compliant-ml check -`);
      expect(r.stderr).toContain(`${entry.path}: not evaluated: ${entry.kind}: ${entry.reason}\n`);
    }
  });

  test('a Helm template on standard input', async () => {
    const r = await check(['-'], DEPLOYMENT.replace('nginx:1.27', '{{ .Values.image }}'));
    expect(errors(r.stderr)).toEqual([]);
    expect(r.json.notEvaluated).toEqual([{ path: '<stdin>', kind: 'HelmTemplate', reason: expect.stringContaining('helm template <release> <chart>') }]);
  });

  test('kustomization.yaml, a Kustomization of another name and a Component are listed; the manifests beside them are evaluated', async () => {
    const dir = tree({
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': DEPLOYMENT,
      'overlay/prod.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\n',
      'overlay/component.yml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
    });
    const r = await check([dir]);
    expect(errors(r.stderr)).toEqual([]);
    expect(r.json.workloads.map((w: any) => w.path)).toEqual([`${path.join(dir, 'base/deployment.yaml')}#Deployment/web`]);
    expect(r.json.notEvaluated.map((e: any) => [path.relative(dir, e.path), e.kind])).toEqual([
      ['base/kustomization.yaml', 'Kustomization'], ['overlay/component.yml', 'Kustomization'], ['overlay/prod.yaml', 'Kustomization'],
    ]);
    expect(r.json.notEvaluated[2].reason).toBe(`a Kustomization, not a manifest; render it first: kustomize build ${path.join(dir, 'overlay')} | cdk-compliant-ml check -`);
  });

  test('fails (is not a template) when {{ is a CloudFormation dynamic reference: the template is evaluated', async () => {
    const dir = tree({
      'db.template.yaml': 'Resources:\n  Secret:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Value: "{{resolve:ssm:/acme/db}}"\n',
    });
    const read = readInputs(expandPaths([dir]).files, () => '');
    expect(read.notEvaluated).toEqual([]);
    expect(read.documents).toHaveLength(1);
  });
});

describe('a cloud assembly is read through its manifest.json: only stack templates are inputs', () => {
  /** Synthesizes an app with a stack, a stage (a nested assembly) and a task definition into a fresh outdir, plus junk. */
  function assembly(): string {
    const outdir = path.join(tmpdir(), 'cdk.out');
    const app = new CdkApp({ outdir });
    const stack = new Stack(app, 'Serving');
    new awsecs.FargateTaskDefinition(stack, 'Task').addContainer('app', { image: awsecs.ContainerImage.fromRegistry('nginx:1.27') });
    const stage = new Stage(app, 'Prod');
    new awsecs.FargateTaskDefinition(new Stack(stage, 'Api'), 'Task')
      .addContainer('app', { image: awsecs.ContainerImage.fromRegistry('nginx:1.27') });
    app.synth();
    // what the cdk CLI and other tools add beside the assembly, and an asset directory holding arbitrary files
    fs.writeFileSync(path.join(outdir, 'validation-report.json'), '{"title":"Validation Report","pluginReports":[]}');
    fs.writeFileSync(path.join(outdir, 'performance-counters.json'), '{"counters":{}}');
    fs.mkdirSync(path.join(outdir, 'asset.0123abcd'));
    fs.writeFileSync(path.join(outdir, 'asset.0123abcd', 'config.yaml'), 'not: [a, manifest');
    fs.writeFileSync(path.join(outdir, 'asset.0123abcd', 'package.json'), '{"name":"handler"}');
    return outdir;
  }

  test('the stack templates of the assembly and its nested assembly, nothing else; no input problems', async () => {
    const outdir = assembly();
    expect(expandPaths([outdir]).files.map((f) => path.relative(outdir, f))).toEqual([
      expect.stringMatching(/^assembly-Prod\/ProdApi[0-9A-F]{8}\.template\.json$/), 'Serving.template.json', // manifest order
    ]);
    const r = await check([outdir]);
    expect(errors(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('reading 2 files');
    expect(r.json.workloads.map((w: any) => path.relative(outdir, w.path))).toEqual([
      expect.stringMatching(/^Serving\.template\.json#Task[0-9A-F]{8}$/),
      expect.stringMatching(/^assembly-Prod\/ProdApi[0-9A-F]{8}\.template\.json#Task[0-9A-F]{8}$/),
    ]);
  });

  test('a directory above the assembly, and the manifest named explicitly, give the same templates', () => {
    const outdir = assembly();
    const parent = path.dirname(outdir);
    fs.writeFileSync(path.join(parent, 'web.yaml'), DEPLOYMENT);
    expect(expandPaths([parent]).files).toEqual([...expandPaths([outdir]).files, path.join(parent, 'web.yaml')]);
    expect(expandPaths([path.join(outdir, 'manifest.json')]).files).toEqual(expandPaths([outdir]).files);
  });

  test('fails when the manifest names a template that is missing', () => {
    const outdir = assembly();
    fs.rmSync(path.join(outdir, 'Serving.template.json'));
    const r = expandPaths([outdir]);
    expect(r.problems).toEqual([{
      file: path.join(outdir, 'manifest.json'),
      message: 'the artifact Serving (aws:cloudformation:stack) names templateFile Serving.template.json, which does not exist',
    }]);
  });
});

describe('symbolic links are followed once: no cycles, no duplicates', () => {
  test('a linked directory, a link back to an ancestor and a linked file are read once each', async () => {
    const dir = tree({ 'real/web.yaml': DEPLOYMENT, 'real/sub/job.yaml': DEPLOYMENT.replace(/web/g, 'job') });
    fs.mkdirSync(path.join(dir, 'links'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'links', 'linked-dir'));
    fs.symlinkSync(dir, path.join(dir, 'real', 'sub', 'loop'));
    fs.symlinkSync(path.join(dir, 'real', 'web.yaml'), path.join(dir, 'links', 'web-link.yaml'));
    fs.symlinkSync(path.join(dir, 'nowhere.yaml'), path.join(dir, 'links', 'broken.yaml'));
    const expanded = expandPaths([path.join(dir, 'links'), dir]);
    expect(expanded.files.map((f) => path.relative(dir, f))).toEqual([
      path.join('links', 'linked-dir', 'sub', 'job.yaml'), path.join('links', 'linked-dir', 'web.yaml'),
    ]);
    expect(expanded.problems).toEqual([{ file: path.join(dir, 'links', 'broken.yaml'), message: 'a broken symbolic link' }]);
    const r = await check([path.join(dir, 'real'), dir]);
    expect(r.json.workloads).toHaveLength(2);
    expect(r.stderr).toContain('reading 2 files');
  });
});

describe('which {{ }} makes a Helm template', () => {
  test.each([
    ['args: ["{{inputs.parameters.message}}"]', false],
    ['args: ["--model_name={{.Name}}"]', false],
    ['name: "{{workflow.name}}-x"', false],
    ['{{- if .Values.enabled }}\nkind: Job', true],
    ['name: {{ .Release.Name }}-web', true],
    ['labels:\n  {{- include "chart.labels" . | nindent 4 }}', true],
    ['image: {{ $.Values.image }}', true],
  ])('%j → Helm template: %s', (text, helm) => {
    expect(unrenderedInput('manifests/x.yaml', text)?.kind === 'HelmTemplate').toBe(helm);
  });
});
