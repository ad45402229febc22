/* eslint-disable @typescript-eslint/no-explicit-any */
import { JsonPatch } from 'cdk8s';
import { expectFailure, judge, nginxDeployment, ourJob, ourService, patchedService, withPod } from './support';
import { ControlStatus } from '../../../src';

const OCI = 'oci.compliance.cdk-compliant-ml.io';
const MODEL = 'model.compliance.cdk-compliant-ml.io';
const PROVENANCE = { source: 'https://github.com/acme/scorer', revision: 'abcdef1', version: '1.4.2', created: '2026-11-02T10:00:00Z' };
const annotation = (key: string) => `/metadata/annotations/${key.replace(/\//g, '~1')}`;

function withProvenance(...patches: JsonPatch[]) {
  const { service } = ourService({ imageProvenance: PROVENANCE });
  if (patches.length > 0) {
    service.deployment.addJsonPatch(...patches);
  }
  return service.complianceEntry().controls.find((c) => c.id === 'IMG-4')!;
}

describe('IMG-4: the four OCI keys mirrored into the workload', () => {
  test('compliant: our service with full imageProvenance lists all four keys', () => {
    const result = withProvenance();
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence).toEqual(['source', 'revision', 'version', 'created'].map((key) => expect.stringContaining(`metadata.annotations["${OCI}/${key}"]=`)));
  });

  test('external without imageProvenance, naming the missing keys', () => {
    const result = patchedService('IMG-4');
    expect(result.status).toBe(ControlStatus.EXTERNAL);
    expect(result.evidence).toContainEqual(expect.stringMatching(/source, revision, version, created not mirrored/));
  });

  test('external when an escape hatch removes the created key, naming it', () => {
    expectFailure(withProvenance(JsonPatch.remove(annotation(`${OCI}/created`))), ControlStatus.EXTERNAL, /created"\]=not set/, /: created not mirrored/);
  });

  test('fails when the revision is not a commit id', () => {
    expectFailure(withProvenance(JsonPatch.replace(annotation(`${OCI}/revision`), 'main')), ControlStatus.VIOLATED, /revision"\]="main" \(not a 7 to 64/);
  });

  test('fails when created is not RFC 3339', () => {
    expectFailure(withProvenance(JsonPatch.replace(annotation(`${OCI}/created`), 'yesterday')), ControlStatus.VIOLATED, /created"\]="yesterday"/);
  });

  test('fails when the source is not a URL', () => {
    expectFailure(withProvenance(JsonPatch.replace(annotation(`${OCI}/source`), 'acme scorer')), ControlStatus.VIOLATED, /source"\]="acme scorer" \(not a URL\)/);
  });

  test('fails when the version is empty (and the other keys stay valid)', () => {
    const deployment = withPod(() => undefined);
    Object.assign(deployment.metadata.annotations, { [`${OCI}/source`]: PROVENANCE.source, [`${OCI}/revision`]: 'abcdef1', [`${OCI}/version`]: ' ', [`${OCI}/created`]: PROVENANCE.created });
    expectFailure(judge(deployment, 'IMG-4'), ControlStatus.VIOLATED, /version"\]=" " \(not a non-empty version\)/);
  });
});

describe('META-2: model provenance for model servers and training jobs', () => {
  test('compliant: our service and our training job (run id without a model)', () => {
    expect(patchedService('META-2').status).toBe(ControlStatus.ENFORCED);
    const result = ourJob().job.complianceEntry().controls.find((c) => c.id === 'META-2')!;
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence[0]).toMatch(/run.compliance.cdk-compliant-ml.io\/id/);
  });

  test('not applicable to a foreign nginx Deployment, while SEC-* are still judged', () => {
    const nginx = nginxDeployment();
    const result = judge(nginx, 'META-2');
    expect(result.status).toBe(ControlStatus.NOT_APPLICABLE);
    expect(result.evidence[0]).toMatch(/Deployment nginx: not a model server or training job \(profile generic/);
    for (const id of ['SEC-1', 'SEC-2', 'SEC-3', 'SEC-4', 'SEC-5', 'SEC-8']) {
      expect(judge(nginx, id).status).toBe(ControlStatus.VIOLATED);
    }
    expect(judge(nginx, 'META-1').status).toBe(ControlStatus.VIOLATED);
  });

  test('fails when an escape hatch sets the model version to latest', () => {
    expectFailure(patchedService('META-2', JsonPatch.replace(annotation(`${MODEL}/version`), 'latest')), ControlStatus.VIOLATED, /version"\]="latest" \(latest identifies no version\)/);
  });

  test('fails when the model name is removed', () => {
    expectFailure(patchedService('META-2', JsonPatch.remove(annotation(`${MODEL}/name`))), ControlStatus.VIOLATED, /name"\]=not set/);
  });

  test('fails when the model version is empty', () => {
    expectFailure(patchedService('META-2', JsonPatch.replace(annotation(`${MODEL}/version`), '')), ControlStatus.VIOLATED, /version"\]=""/);
  });

  test('fails when the model digest is malformed', () => {
    expectFailure(patchedService('META-2', JsonPatch.add(annotation(`${MODEL}/digest`), 'sha256:xyz')), ControlStatus.VIOLATED, /digest"\]="sha256:xyz"/);
  });

  test('fails when a foreign KServe predictor declares no model', () => {
    const deployment = { ...nginxDeployment(), metadata: { name: 'predictor', labels: { 'app.kubernetes.io/component': 'model-server' } } };
    expectFailure(judge(deployment, 'META-2'), ControlStatus.VIOLATED, /model.compliance.cdk-compliant-ml.io\/name"\]=not set/);
  });

  test('fails when a training job has neither model nor run id', () => {
    const { job } = ourJob();
    job.job!.addJsonPatch(JsonPatch.remove(annotation('run.compliance.cdk-compliant-ml.io/id')));
    expectFailure(job.complianceEntry().controls.find((c) => c.id === 'META-2')!, ControlStatus.VIOLATED, /name"\]=not set/);
  });
});

const label = (key: string) => `/metadata/labels/${key.replace(/\//g, '~1')}`;

describe('META-1: recommended labels on the workload and its pods', () => {
  test('compliant: our service and our training job', () => {
    const result = patchedService('META-1');
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence.map((line) => line.split(' ')[2].replace(/=.*/, ''))).toEqual(['metadata.labels', 'spec.template.metadata.labels']);
    expect(ourJob().job.complianceEntry().controls.find((c) => c.id === 'META-1')!.status).toBe(ControlStatus.ENFORCED);
  });

  test('fails when an escape hatch removes part-of from the Deployment', () => {
    expectFailure(patchedService('META-1', JsonPatch.remove(label('app.kubernetes.io/part-of'))), ControlStatus.VIOLATED, /^\S+ \S+ metadata\.labels=.*\(missing app\.kubernetes\.io\/part-of\)/);
  });

  test('fails when the pod template lacks the labels', () => {
    const deployment = withPod(() => undefined);
    delete deployment.spec.template.metadata.labels['app.kubernetes.io/version'];
    expectFailure(judge(deployment, 'META-1'), ControlStatus.VIOLATED, /spec\.template\.metadata\.labels=.*\(missing app\.kubernetes\.io\/version\)/);
  });

  test('fails when instance differs from the object name', () => {
    expectFailure(patchedService('META-1', JsonPatch.replace(label('app.kubernetes.io/instance'), 'other')), ControlStatus.VIOLATED, /instance"\]="other" \(differs from metadata.name/);
  });

  test('fails when a label value is not a valid label value', () => {
    const deployment = withPod(() => undefined);
    deployment.metadata.labels['app.kubernetes.io/version'] = `sha256:${'a'.repeat(64)}`;
    expectFailure(judge(deployment, 'META-1'), ControlStatus.VIOLATED, /not a valid label value: app\.kubernetes\.io\/version/);
  });

  test('fails when a label is empty', () => {
    const deployment = withPod(() => undefined);
    deployment.metadata.labels['app.kubernetes.io/managed-by'] = '';
    expectFailure(judge(deployment, 'META-1'), ControlStatus.VIOLATED, /missing app\.kubernetes\.io\/managed-by/);
  });

  test('applies to foreign generic workloads too', () => {
    expectFailure(judge(nginxDeployment(), 'META-1'), ControlStatus.VIOLATED, /missing app\.kubernetes\.io\/name/);
  });
});
