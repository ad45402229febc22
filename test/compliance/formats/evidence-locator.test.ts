/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { inputLocator } from '../../../src/cli/input-locator';
import { parseInput } from '../../../src/cli/inputs';
import { EvidenceLocator, parseEvidence, parseFieldPath } from '../../../src/compliance/formats/evidence-locator';
import { synthLocator, writtenSourceFiles } from '../../../src/compliance/formats/synth-locator';
import { Backend, WorkloadReport } from '../../../src/compliance/report-model';
import { runCli } from '../../cli/support';

// locate(): the file and line of the field an evidence string names, for check's inputs and for synthesized files.

const workload = (p: string, evidence: string[] = []): WorkloadReport => ({
  path: p,
  kind: 'Deployment',
  backend: Backend.KUBERNETES,
  images: [],
  controls: [{ id: 'SEC-1', status: 'violated' as any, articles: [], evidence }],
});

/** A locator over one input file, parsed as `check` parses it. */
function locatorOf(file: string, text: string): EvidenceLocator {
  const parsed = parseInput(file, text);
  expect(parsed.problems).toEqual([]);
  return inputLocator(parsed.documents, []);
}

/** The 1-based line of the first line of `text` matching `pattern` at or after line `from`. */
function lineOf(text: string, pattern: RegExp, from = 1): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l, n) => n >= from - 1 && pattern.test(l));
  expect(i).toBeGreaterThanOrEqual(0);
  return i + 1;
}

describe('parseFieldPath: evidence field paths', () => {
  test('dots, indices, quoted and bare bracket keys', () => {
    expect(parseFieldPath('spec.template.spec.containers[0].securityContext.runAsNonRoot'))
      .toEqual(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot']);
    expect(parseFieldPath('ContainerDefinitions[0].DockerLabels["org.opencontainers.image.source"]'))
      .toEqual(['ContainerDefinitions', 0, 'DockerLabels', 'org.opencontainers.image.source']);
    expect(parseFieldPath('Environment[DB_PASSWORD]')).toEqual(['Environment', 'DB_PASSWORD']);
    expect(parseFieldPath('metadata.labels["a\\"b"]')).toEqual(['metadata', 'labels', 'a"b']);
  });

  test('round trip of any path written the way the checkers write it', () => {
    const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/);
    const segment = fc.oneof(
      identifier,
      fc.nat({ max: 99 }),
      fc.stringMatching(/^[a-z0-9./-]{1,12}$/).map((key) => ({ key })),
    );
    fc.assert(fc.property(identifier, fc.array(segment, { maxLength: 6 }), (first, rest) => {
      const text = first + rest.map((s) => (typeof s === 'number' ? `[${s}]` : typeof s === 'string' ? `.${s}` : `[${JSON.stringify(s.key)}]`)).join('');
      const expected = [first, ...rest.map((s) => (typeof s === 'object' ? s.key : s))];
      expect(parseFieldPath(text)).toEqual(expected);
    }));
  });
});

describe('parseEvidence', () => {
  test('object, field and value; a colon after the name; a Dockerfile line', () => {
    expect(parseEvidence('Deployment web spec.replicas=1')).toEqual({ kind: 'Deployment', name: 'web', field: ['spec', 'replicas'] });
    expect(parseEvidence('TaskDefinition ScorerTask: ContainerDefinitions[0].Environment[DB_PASSWORD] holds a plaintext secret'))
      .toEqual({ kind: 'TaskDefinition', name: 'ScorerTask', field: ['ContainerDefinitions', 0, 'Environment', 'DB_PASSWORD'] });
    expect(parseEvidence('Service S DeploymentConfiguration.DeploymentCircuitBreaker.Enable is not set'))
      .toEqual({ kind: 'Service', name: 'S', field: ['DeploymentConfiguration', 'DeploymentCircuitBreaker', 'Enable'] });
    expect(parseEvidence('Dockerfile:10 USER root: the user is root')).toEqual({ fileName: 'Dockerfile', line: 10 });
    expect(parseEvidence('named-user.Dockerfile:7 USER app')).toEqual({ fileName: 'named-user.Dockerfile', line: 7 });
    expect(parseEvidence('retention is set by the log backend')).toBeUndefined();
  });
});

describe('locate() in the inputs of check', () => {
  const yaml = [
    '# first document: a Service',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  replicas: 1',
    '  template:',
    '    spec:',
    '      securityContext: {}',
    '      containers:',
    '        - name: main',
    '          image: nginx:1.27',
    '          securityContext:',
    '            runAsNonRoot: false',
    '',
  ].join('\n');
  const file = 'k8s/web.yaml';
  const w = workload(`${file}#Deployment/web`);

  test('multi-document YAML: the line of the named field of the named object (not of the Service of the same name)', () => {
    const locator = locatorOf(file, yaml);
    expect(locator.locate(w, 'Deployment web spec.replicas=1')).toEqual({ file, line: lineOf(yaml, /^ {2}replicas: 1$/) });
    expect(locator.locate(w, 'Deployment web spec.template.spec.containers[0].securityContext.runAsNonRoot=false'))
      .toEqual({ file, line: lineOf(yaml, /runAsNonRoot: false/) });
    expect(locator.locate(w, 'Deployment web spec.template.spec.containers[0].image="nginx:1.27"')).toEqual({ file, line: lineOf(yaml, /image: nginx/) });
  });

  test('a missing field (the common violation): the closest existing parent', () => {
    const locator = locatorOf(file, yaml);
    expect(locator.locate(w, 'Deployment web spec.template.spec.securityContext.seccompProfile.type=not set'))
      .toEqual({ file, line: lineOf(yaml, /^ {6}securityContext: \{\}$/) });
    expect(locator.locate(w, 'Deployment web spec.template.spec.containers[0].resources.limits.cpu=not set'))
      .toEqual({ file, line: lineOf(yaml, /- name: main/) });
  });

  test('evidence without a field or naming an unknown object: the workload object; then line 1 of its file', () => {
    const locator = locatorOf(file, yaml);
    const deploymentLine = lineOf(yaml, /^apiVersion: apps\/v1$/);
    expect(locator.locate(w, 'Deployment web: no NetworkPolicy selects its pods')).toEqual({ file, line: deploymentLine });
    expect(locator.locate(w, 'PodDisruptionBudget missing spec.minAvailable=1')).toEqual({ file, line: deploymentLine });
    expect(locator.locate(w, 'free text')).toEqual({ file, line: deploymentLine });
    expect(locatorOf(file, yaml).locate(workload(`${file}#Job/gone`), 'free text')).toEqual({ file, line: 1 });
    expect(locatorOf(file, yaml).locate(workload('elsewhere.yaml#Job/gone'), 'free text')).toBeUndefined();
  });

  test('JSON, and the items of a kubectl List', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { hostNetwork: true } }] }, undefined, 2);
    const locator = locatorOf('pods.json', json);
    expect(locator.locate(workload('pods.json#Pod/p'), 'Pod p spec.hostNetwork=true')).toEqual({ file: 'pods.json', line: lineOf(json, /"hostNetwork": true/) });
  });

  test('CloudFormation YAML with short-form intrinsics and JSON: field paths below Properties', () => {
    const cfnFile = path.join(__dirname, '..', '..', 'fixtures', 'cli', 'legacy-ecs.template.yaml');
    const text = fs.readFileSync(cfnFile, 'utf-8');
    const locator = locatorOf('legacy.template.yaml', text);
    const service = workload('legacy.template.yaml#ScorerService');
    const taskLine = lineOf(text, /^ {2}ScorerTask:$/);
    expect(locator.locate(service, 'TaskDefinition ScorerTask ContainerDefinitions[0].Image=ghcr.io/acme/legacy-scorer:${ImageTag}'))
      .toEqual({ file: 'legacy.template.yaml', line: lineOf(text, /^ {10}Image: !Join/, taskLine) });
    expect(locator.locate(service, 'TaskDefinition ScorerTask: ContainerDefinitions[0].Environment[DB_PASSWORD] holds a plaintext secret'))
      .toEqual({ file: 'legacy.template.yaml', line: lineOf(text, /^ {10}Environment:$/, taskLine) });
    expect(locator.locate(service, 'LogGroup Logs RetentionInDays=7')).toEqual({ file: 'legacy.template.yaml', line: lineOf(text, /RetentionInDays: 7/) });
    // a missing property: the resource's Properties
    expect(locator.locate(service, 'LogGroup Logs KmsKeyId is not set')).toEqual({ file: 'legacy.template.yaml', line: lineOf(text, /^ {4}Properties:$/) });
    const json = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'cli', 'serving.template.json'), 'utf-8');
    const jsonLocator = locatorOf('serving.template.json', json);
    expect(jsonLocator.locate(workload('serving.template.json#ScorerTaskRoleCD103802'), 'Role ScorerTaskRoleCD103802 Description="x"'))
      .toEqual({ file: 'serving.template.json', line: lineOf(json, /"Description": "Task role/) });
  });

  test('Dockerfiles: the line the evidence names, line 1 when it names none', () => {
    const locator = inputLocator([], [{ file: 'images/Dockerfile', text: 'FROM x\n' }]);
    const dockerfile = workload('images/Dockerfile');
    expect(locator.locate(dockerfile, 'Dockerfile:5 FROM nginx:latest has no digest')).toEqual({ file: 'images/Dockerfile', line: 5 });
    expect(locator.locate(dockerfile, 'Dockerfile: no LABEL org.opencontainers.image.revision')).toEqual({ file: 'images/Dockerfile', line: 1 });
  });

  test('linear: 3,000 objects with 10 evidence strings each are located in one pass over the index', () => {
    const docs = Array.from({ length: 3000 }, (_, i) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\nspec:\n  replicas: 1\n`);
    const text = docs.join('---\n');
    const locator = locatorOf('many.yaml', text);
    const workloads = Array.from({ length: 3000 }, (_, i) => workload(`many.yaml#Deployment/d${i}`));
    const lines: number[] = [];
    const started = Date.now();
    workloads.forEach((entry, i) => {
      for (let e = 0; e < 10; e++) {
        lines.push(locator.locate(entry, `Deployment d${i} spec.replicas=1`)!.line);
      }
    });
    const elapsed = Date.now() - started; // about 0.4 s here; a look-up that scanned the documents would take minutes
    expect(lines).toEqual(workloads.flatMap((_, i) => Array(10).fill(i * 7 + 6)));
    expect(elapsed).toBeLessThan(5000);
  });
});

describe('locate() in synthesized files', () => {
  test('reads every manifest and template below the output directory (not the report files, not asset directories)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cml-locate-'));
    fs.writeFileSync(path.join(outdir, 'fraud.k8s.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n');
    fs.mkdirSync(path.join(outdir, 'asset.abc'));
    fs.writeFileSync(path.join(outdir, 'asset.abc', 'x.yaml'), 'kind: Deployment\nmetadata: {name: web}\n');
    fs.writeFileSync(path.join(outdir, 'compliance-report.openreports.yaml'), 'kind: Report\nmetadata: {name: web}\n');
    fs.mkdirSync(path.join(outdir, 'assembly-Stage'));
    fs.writeFileSync(path.join(outdir, 'assembly-Stage', 'Stack.template.json'), JSON.stringify({ Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: '1' } } } }, undefined, 1));
    expect(writtenSourceFiles(outdir).map((f) => path.relative(outdir, f))).toEqual(['assembly-Stage/Stack.template.json', 'fraud.k8s.yaml']);
    const locator = synthLocator(outdir);
    expect(locator.locate(workload('fraud/web'), 'Deployment web spec.replicas=1')).toEqual({ file: path.join(outdir, 'fraud.k8s.yaml'), line: 6 });
    expect(locator.locate(workload('Stage/Stack/Task'), 'TaskDefinition Task Cpu="1"')).toEqual({ file: path.join(outdir, 'assembly-Stage', 'Stack.template.json'), line: 6 });
    // evidence that names no object: the object the workload's other evidence names (a construct path names no file)
    expect(locator.locate(workload('fraud/web', ['Deployment web spec.replicas=1']), 'free text')).toEqual({ file: path.join(outdir, 'fraud.k8s.yaml'), line: 1 });
    expect(locator.locate(workload('fraud/other'), 'free text')).toBeUndefined();
  });

  test('a file below the current directory is named relative to it (the repository root of code scanning)', () => {
    const cwd = process.cwd();
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cml-locate-'));
    fs.writeFileSync(path.join(outdir, 'c.k8s.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n');
    process.chdir(path.dirname(outdir));
    try {
      expect(synthLocator(path.basename(outdir)).locate(workload('c/p'), 'Pod p spec')).toEqual({ file: `${path.basename(outdir)}/c.k8s.yaml`, line: 1 });
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('locate() in a cloud assembly given to check', () => {
  test('an override in a synthesized stack: the line of the field in cdk.out/<stack>.template.json', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cml-locate-cdkout-'));
    const app = new CdkApp({ outdir });
    const stack = new Stack(app, 'Legacy');
    const task = new awsecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('web', { image: awsecs.ContainerImage.fromRegistry('nginx:latest'), readonlyRootFilesystem: false });
    app.synth();
    const r = await runCli(['check', '--no-report', '--quiet', '--format', 'sarif', outdir]);
    const results = JSON.parse(r.stdout).runs[0].results;
    const sec5 = results.find((x: any) => x.ruleId === 'SEC-5');
    const at = sec5.locations[0].physicalLocation;
    expect(at.artifactLocation.uri).toBe(`file://${path.join(outdir, 'Legacy.template.json')}`);
    const line = fs.readFileSync(path.join(outdir, 'Legacy.template.json'), 'utf-8').split('\n')[at.region.startLine - 1];
    expect(line).toMatch(/^\s+"ReadonlyRootFilesystem": false,?$/);
  });
});
