/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { ComplianceReport } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import * as k8s from '../../src/k8s';
import { runCli, tmpdir } from '../cli/support';
import { byPath, rawDeployment, SCORER_IMAGE } from '../support/k8s-report-app';

const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const IMAGE = ImageReference.fromString(SCORER_IMAGE);
const REASON = 'the vendor SDK reads its credentials from the environment only';

function appWithChart() {
  const app = new App({ outdir: tmpdir() });
  return { app, chart: new Chart(app, 'c', { namespace: 'ml' }) };
}

describe('checkov.io/skip annotations reach the report as acknowledged rules with their reasons', () => {
  test('on a foreign Deployment: listed at its path; an annotation without a reason acknowledges nothing', () => {
    const { app, chart } = appWithChart();
    const raw = rawDeployment(chart, 'legacy');
    raw.metadata.addAnnotation('checkov.io/skip1', `CKV_K8S_35=${REASON}`);
    raw.metadata.addAnnotation('checkov.io/skip2', 'CKV_K8S_43');
    expect(byPath(ComplianceReport.of(app).toJson())['c/legacy'].acknowledgedRules).toEqual([
      { rule: 'checkov:CKV_K8S_35', reason: REASON, path: 'c/legacy' },
    ]);
  });

  test('on the Deployment of a CompliantModelService (an escape hatch): listed in the construct\'s entry', () => {
    const { app, chart } = appWithChart();
    const svc = new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL });
    ApiObject.of(svc.deployment).metadata.addAnnotation('checkov.io/skip1', `CKV_K8S_35=${REASON}`);
    const entry = byPath(ComplianceReport.of(app).toJson())['c/scorer'];
    expect(entry.acknowledgedRules).toEqual([{ rule: 'checkov:CKV_K8S_35', reason: REASON, path: 'c/scorer' }]);
  });

  test('fails when nothing acknowledges: the default output carries no suppression and the report no acknowledgedRules', () => {
    const { app, chart } = appWithChart();
    new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL });
    new k8s.CompliantTrainingJob(chart, 'retrain', { image: IMAGE, model: MODEL });
    for (const obj of Testing.synth(chart)) {
      expect(Object.keys(obj.metadata?.annotations ?? {}).filter((k) => k.includes('skip'))).toEqual([]);
    }
    const report = ComplianceReport.of(app).toJson() as any;
    expect(report.workloads.map((w: any) => w.acknowledgedRules)).toEqual([undefined, undefined]);
  });

  test('in a manifest given to `cdk-compliant-ml check`: listed at <file>#<kind>/<name>', async () => {
    const dir = tmpdir();
    const file = path.join(dir, 'legacy.yaml');
    const { chart } = appWithChart();
    const raw = rawDeployment(chart, 'legacy');
    raw.metadata.addAnnotation('checkov.io/skip1', `CKV_K8S_35=${REASON}`);
    fs.writeFileSync(file, stringify(raw.toJson()));
    const r = await runCli(['check', '--no-report', '--format', 'json', file]);
    const entry = JSON.parse(r.stdout).workloads[0];
    expect(entry.acknowledgedRules).toEqual([{ rule: 'checkov:CKV_K8S_35', reason: REASON, path: `${file}#Deployment/legacy` }]);
  });
});

describe('SEC-9: secretMounts give Secrets to the main container as read-only files (the fix of checkov CKV_K8S_35)', () => {
  const mounts = [{ secretName: 'model-store-reader', mountPath: '/var/run/secrets/model-store' }];

  test.each([
    ['CompliantModelService', (chart: Chart) => new k8s.CompliantModelService(chart, 'w', { image: IMAGE, model: MODEL, secretMounts: mounts })],
    ['CompliantTrainingJob', (chart: Chart) => new k8s.CompliantTrainingJob(chart, 'w', { image: IMAGE, secretMounts: mounts })],
  ])('%s: a secret volume readable by the group only, mounted read-only, and no secret in the environment', (_kind, make) => {
    const { chart } = appWithChart();
    make(chart);
    const workload = Testing.synth(chart).find((o) => ['Deployment', 'Job'].includes(o.kind));
    const pod = workload.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'secret-0', secret: { secretName: 'model-store-reader', defaultMode: 0o440 } });
    const main = pod.containers.find((c: any) => c.name === 'main');
    expect(main.volumeMounts).toContainEqual({ name: 'secret-0', mountPath: '/var/run/secrets/model-store', readOnly: true });
    expect((main.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef)).toEqual([]);
  });

  test('fails when the Secret name is not a DNS-1123 subdomain', () => {
    const { chart } = appWithChart();
    expect(() => new k8s.CompliantModelService(chart, 'w', { image: IMAGE, model: MODEL, secretMounts: [{ secretName: 'Model_Store', mountPath: '/s' }] }))
      .toThrow(/secretMounts\[0\]\.secretName/);
  });

  test('fails when the mount path is relative or collides with a mount of the construct', () => {
    const { chart } = appWithChart();
    expect(() => new k8s.CompliantModelService(chart, 'a', { image: IMAGE, model: MODEL, secretMounts: [{ secretName: 's', mountPath: 'secrets' }] }))
      .toThrow(/secretMounts\[0\]\.mountPath/);
    expect(() => new k8s.CompliantModelService(chart, 'b', { image: IMAGE, model: MODEL, secretMounts: [{ secretName: 's', mountPath: '/tmp' }] }))
      .toThrow(/secretMounts\[0\]\.mountPath/);
  });
});
