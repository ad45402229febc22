/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ComplianceReport } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import { CompliantModelService } from '../../src/k8s';
import { byPath, controls, rawDeployment, SCORER_IMAGE, tmpdir, violatedIds } from '../support/k8s-report-app';

const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const POD_SPEC = { containers: [{ name: 'main', image: 'python:3.12' }] };
const TEMPLATE = { metadata: { labels: { app: 'x' } }, spec: POD_SPEC };

function appWithChart() {
  const app = new App({ outdir: tmpdir() });
  return { app, chart: new Chart(app, 'c') };
}
const report = (app: App) => byPath(ComplianceReport.of(app).toJson());

test('objects rendered by our constructs are not reported again as foreign workloads', () => {
  const { app, chart } = appWithChart();
  new CompliantModelService(chart, 'scorer', { image: ImageReference.fromString(SCORER_IMAGE), model: MODEL });
  expect(Object.keys(report(app))).toEqual(['c/scorer']);
});

test('every built-in pod-template kind is found; CRDs that reuse a kind name and kinds without pods are not', () => {
  const { app, chart } = appWithChart();
  const obj = (id: string, apiVersion: string, kind: string, spec: any) =>
    new ApiObject(chart, id, { apiVersion, kind, metadata: { name: id }, spec });
  obj('pod', 'v1', 'Pod', POD_SPEC);
  obj('rs', 'apps/v1', 'ReplicaSet', { selector: { matchLabels: { app: 'x' } }, template: TEMPLATE });
  obj('sts', 'apps/v1', 'StatefulSet', { serviceName: 's', selector: { matchLabels: { app: 'x' } }, template: TEMPLATE });
  obj('ds', 'apps/v1', 'DaemonSet', { selector: { matchLabels: { app: 'x' } }, template: TEMPLATE });
  obj('job', 'batch/v1', 'Job', { template: { spec: { ...POD_SPEC, restartPolicy: 'Never' } } });
  obj('volcano', 'batch.volcano.sh/v1alpha1', 'Job', { tasks: [] });
  obj('cm', 'v1', 'ConfigMap', undefined);
  new kplus.Job(chart, 'plusjob', { containers: [{ image: 'ghcr.io/acme/t:1' }], activeDeadline: Duration.hours(1) });
  const r = report(app);
  expect(Object.keys(r)).toEqual(['c/ds', 'c/job', 'c/plusjob/Resource', 'c/pod', 'c/rs', 'c/sts']);
  expect(Object.values(r).map((w: any) => w.kind)).toEqual(['DaemonSet', 'Job', 'Job', 'Pod', 'ReplicaSet', 'StatefulSet']);
  expect(controls(r['c/plusjob/Resource'])['JOB-2']).toMatchObject({ status: 'enforced' });
  expect(controls(r['c/plusjob/Resource'])['AVL-1']).toBeUndefined();
  // backoffLimit unset is the API default 6, within the bound; restartPolicy Never
  expect(controls(r['c/job'])['JOB-1']).toMatchObject({ status: 'enforced', evidence: expect.arrayContaining(['Job job spec.backoffLimit=6']) });
  expect(controls(r['c/job'])['JOB-2'].status).toBe('violated');
});

test('DaemonSet: replicas, PDB and spread are not applicable (with the reason); the rollout is checked', () => {
  const { app, chart } = appWithChart();
  const ds = (id: string, updateStrategy?: any) => new ApiObject(chart, id, {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: id }, spec: { selector: { matchLabels: { app: 'x' } }, template: TEMPLATE, updateStrategy },
  });
  ds('agent');
  ds('surge', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  const r = report(app);
  const agent = controls(r['c/agent']);
  expect(agent['AVL-1']).toMatchObject({ status: 'not-applicable', evidence: ['DaemonSet agent: runs one pod per eligible node; the node pool, not a replica count, sets its redundancy'] });
  expect(agent['AVL-2'].status).toBe('not-applicable');
  expect(agent['AVL-2'].evidence[0]).toMatch(/drain --ignore-daemonsets/);
  expect(agent['AVL-3'].status).toBe('not-applicable');
  expect(agent['AVL-4']).toMatchObject({
    status: 'violated', evidence: ['DaemonSet agent spec.updateStrategy.rollingUpdate={"maxUnavailable":1,"maxSurge":0} (needs maxUnavailable 0 and maxSurge > 0)'],
  });
  expect(controls(r['c/surge'])['AVL-4'].status).toBe('enforced');
  expect(violatedIds(r['c/agent'])).not.toContain('AVL-1');
});

test('bare Pods: long-running ones are services (no controller: AVL-1 violated), run-to-completion ones are jobs', () => {
  const { app, chart } = appWithChart();
  new ApiObject(chart, 'web', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: POD_SPEC });
  new ApiObject(chart, 'once', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'once' }, spec: { ...POD_SPEC, restartPolicy: 'Never', activeDeadlineSeconds: 60 } });
  const r = report(app);
  expect(controls(r['c/web'])['AVL-1']).toMatchObject({ status: 'violated', evidence: [expect.stringMatching(/^Pod web: a bare Pod has no controller/)] });
  expect(controls(r['c/web'])['JOB-1']).toBeUndefined();
  expect(controls(r['c/once'])['AVL-1']).toBeUndefined();
  expect(controls(r['c/once'])['JOB-2']).toMatchObject({ status: 'enforced', evidence: ['Pod once spec.activeDeadlineSeconds=60'] });
});

test('images: main containers first, then init containers, without duplicates', () => {
  const { app, chart } = appWithChart();
  new ApiObject(chart, 'p', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { initContainers: [{ name: 'init', image: 'busybox:1' }], containers: [{ name: 'a', image: 'app:1' }, { name: 'b', image: 'app:1' }] },
  });
  expect(report(app)['c/p'].images).toEqual(['app:1', 'busybox:1']);
});

test('scales linearly: each object of the app is rendered once per collection', () => {
  const app = new App({ outdir: tmpdir() });
  let objects = 0;
  for (let c = 0; c < 10; c++) {
    const chart = new Chart(app, `team${c}`);
    for (let i = 0; i < 30; i++) {
      rawDeployment(chart, `svc${i}`);
      new ApiObject(chart, `svc${i}-svc`, { apiVersion: 'v1', kind: 'Service', metadata: { name: `svc${i}` }, spec: { ports: [{ port: 80 }] } });
      objects += 2;
    }
  }
  // a chart without workloads is rendered too: its objects (a NetworkPolicy, a PDB) may select the workloads of other charts
  new ApiObject(new Chart(app, 'no-workloads'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
  objects += 1;
  const spy = jest.spyOn(ApiObject.prototype, 'toJson');
  try {
    const start = Date.now();
    const json = ComplianceReport.of(app).toJson();
    expect(json.workloads.length).toBe(300);
    expect(spy).toHaveBeenCalledTimes(objects);
    expect(Date.now() - start).toBeLessThan(5000);
  } finally {
    spy.mockRestore();
  }
});

describe('rendering shared between the report and the manifests', () => {
  test('outside a synth every toJson() renders afresh, so later changes show', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const svc = new CompliantModelService(chart, 'scorer', {
      image: ImageReference.fromString(`ghcr.io/acme/s:1@sha256:${'a'.repeat(64)}`), model: { name: 's', version: '1' },
    });
    expect(svc.deployment.toJson().metadata.labels.team).toBeUndefined();
    svc.deployment.metadata.addLabel('team', 'risk');
    expect(svc.deployment.toJson().metadata.labels.team).toBe('risk');
  });

  test('app.synth() writes the same manifests as synthYaml()', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new CompliantModelService(chart, 'scorer', {
      image: ImageReference.fromString(`ghcr.io/acme/s:1@sha256:${'a'.repeat(64)}`), model: { name: 's', version: '1' },
    });
    const yaml = app.synthYaml();
    app.synth();
    expect(fs.readFileSync(path.join(app.outdir, 'c.k8s.yaml'), 'utf-8')).toBe(yaml);
  });
});
