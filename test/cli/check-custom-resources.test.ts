/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { runCli, tmpdir } from './support';

const IMAGE = `ghcr.io/acme/model@sha256:${'a'.repeat(64)}`;

function write(dir: string, name: string, docs: any[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, docs.map((d) => JSON.stringify(d)).join('\n---\n'));
  return file;
}

const STORAGE_URI_ISVC = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'iris', namespace: 'ml' },
  spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://models/iris' } } },
};
const RAY = {
  apiVersion: 'ray.io/v1',
  kind: 'RayCluster',
  metadata: { name: 'rc', namespace: 'ml' },
  spec: { headGroupSpec: { template: { spec: { containers: [{ name: 'ray-head', image: IMAGE }] } } }, workerGroupSpecs: [] },
};

describe('check --enforce with objects that were not evaluated', () => {
  test('a file of pod specs inside custom resources is evaluated, never "No workloads found" with exit 0', async () => {
    const dir = tmpdir();
    const file = write(dir, 'ray.yaml', [RAY]);
    const r = await runCli(['check', '--no-report', '--format', 'json', '--enforce', file]);
    const json = JSON.parse(r.stdout);
    expect(json.workloads.map((w: any) => [w.path, w.kind])).toEqual([[`${file}#RayCluster/rc/headGroupSpec`, 'RayCluster']]);
    expect(r.code).toBe(1);
  });

  test('a not-evaluated object is printed on stderr, listed in the report, and fails --enforce', async () => {
    const dir = tmpdir();
    const file = write(dir, 'isvc.yaml', [STORAGE_URI_ISVC]);
    const r = await runCli(['check', '-o', dir, '--enforce', file]);
    expect(r.stderr).toContain(`${file}#InferenceService/iris/predictor: not evaluated: InferenceService: the pod is built by the KServe controller`);
    expect(r.stdout).toMatch(/^No workloads evaluated: 1 object that may hold workloads could not be evaluated/);
    expect(r.code).toBe(1);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'compliance-report.json'), 'utf-8'));
    expect(report.notEvaluated).toEqual([{ path: `${file}#InferenceService/iris/predictor`, kind: 'InferenceService', reason: expect.stringMatching(/KServe controller/) }]);
  });

  test('--allow-unevaluated lets not-evaluated objects pass --enforce (still listed); without --enforce it is a usage error', async () => {
    const dir = tmpdir();
    const file = write(dir, 'isvc.yaml', [STORAGE_URI_ISVC]);
    const allowed = await runCli(['check', '--no-report', '--enforce', '--allow-unevaluated', file]);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('not evaluated: InferenceService');
    const report = await runCli(['check', '--no-report', file]);
    expect(report.code).toBe(0);
    const usage = await runCli(['check', '--no-report', '--allow-unevaluated', file]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--allow-unevaluated only applies with --enforce/);
  });

  test('a List inside a List is flattened, and its objects are evaluated with each other', async () => {
    const dir = tmpdir();
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: IMAGE }] } } },
    };
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } };
    const file = write(dir, 'list.yaml', [{ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'List', items: [deployment] }, pdb] }]);
    const r = await runCli(['check', '--no-report', '--format', 'json', file]);
    const json = JSON.parse(r.stdout);
    expect(json.workloads.map((w: any) => w.path)).toEqual([`${file}#Deployment/web`]);
    expect(json.workloads[0].controls.find((c: any) => c.id === 'AVL-2').status).toBe('enforced');
  });

  test('--help documents the custom resources and --allow-unevaluated', async () => {
    const r = await runCli(['check', '--help']);
    expect(r.stdout).toContain('--allow-unevaluated');
    expect(r.stdout).toContain('not evaluated: REASON');
  });
});
