/* eslint-disable @typescript-eslint/no-explicit-any */
import { JsonPatch } from 'cdk8s';
import { expectFailure, judge, nginxDeployment, ourJob, patchedService, withPod } from './support';
import { ControlStatus } from '../../../src';

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
