/* eslint-disable @typescript-eslint/no-explicit-any */
import { Duration, JsonPatch } from 'cdk8s';
import { expectFailure, judge, nginxDeployment, ourService, patchedService, POD, withPod } from './support';
import { ControlStatus } from '../../../src';

const MAIN = `${POD}/containers/0`;
const LOAD = 'compliance.cdk-compliant-ml.io/model-load-timeout-seconds';

describe('PRB-1: startup budget covers the model load; liveness and readiness differ; OIP paths for model servers', () => {
  test('compliant: our service shows its budget against its declared modelLoadTimeout', () => {
    const { service } = ourService({ modelLoadTimeout: Duration.minutes(15) });
    const result = service.complianceEntry().controls.find((c) => c.id === 'PRB-1')!;
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence).toContainEqual(expect.stringMatching(
      new RegExp(`startupProbe=httpGet /v2/health/live port "http" budget=900s \\(0 \\+ 90 × 10\\) covers metadata.annotations\\["${LOAD}"\\]=900s`)));
    expect(result.evidence).toContainEqual(expect.stringMatching(/readinessProbe=httpGet \/v2\/health\/ready port "http"$/));
  });

  test('fails without a startup probe on a model server', () => {
    expectFailure(patchedService('PRB-1', JsonPatch.remove(`${MAIN}/startupProbe`)), ControlStatus.VIOLATED, /containers\[0\]\.startupProbe=not set \(a model server needs/);
  });

  test('fails when the startup budget is shorter than the declared model load', () => {
    expectFailure(patchedService('PRB-1', JsonPatch.replace(`${MAIN}/startupProbe/failureThreshold`, 6)), ControlStatus.VIOLATED,
      /budget=60s \(0 \+ 6 × 10\) is below metadata.annotations\[".*model-load-timeout-seconds"\]=600s/);
  });

  test('unverified when a foreign model server declares no model load time', () => {
    const deployment = withPod(() => undefined);
    delete deployment.metadata.annotations[LOAD];
    expectFailure(judge(deployment, 'PRB-1'), ControlStatus.UNVERIFIED, /no metadata.annotations\[".*"\] declares the worst-case model load/);
  });

  test('fails when liveness and readiness call the same handler', () => {
    expectFailure(patchedService('PRB-1', JsonPatch.replace(`${MAIN}/readinessProbe/httpGet/path`, '/v2/health/live')), ControlStatus.VIOLATED,
      /call the same handler/);
  });

  test('fails when the readiness probe is removed', () => {
    expectFailure(patchedService('PRB-1', JsonPatch.remove(`${MAIN}/readinessProbe`)), ControlStatus.VIOLATED, /containers\[0\]\.readinessProbe=not set/);
  });

  test('fails when a model server probes a path other than the OIP ones', () => {
    expectFailure(patchedService('PRB-1', JsonPatch.replace(`${MAIN}/livenessProbe/httpGet/path`, '/healthz')), ControlStatus.VIOLATED,
      /livenessProbe\.httpGet\.path="\/healthz" \(the Open Inference Protocol path is \/v2\/health\/live\)/);
  });

  test('an exec probe is printed as exec, and the OIP paths do not apply to it', () => {
    const result = judge(withPod((pod) => { pod.containers[0].readinessProbe = { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 5 }; }), 'PRB-1');
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence).toContainEqual(expect.stringMatching(/readinessProbe=exec \["cat","\/tmp\/ready"\]$/));
  });

  test('tcpSocket and grpc probes are printed as what they are', () => {
    const result = judge(withPod((pod) => {
      pod.containers[0].livenessProbe = { tcpSocket: { port: 8080 } };
      pod.containers[0].readinessProbe = { grpc: { port: 9000, service: 'ready' } };
    }), 'PRB-1');
    expect(result.evidence).toEqual(expect.arrayContaining([expect.stringMatching(/livenessProbe=tcpSocket port 8080$/), expect.stringMatching(/readinessProbe=grpc port 9000 service ready$/)]));
  });

  test('a generic service needs liveness and readiness only: no startup probe, no OIP paths', () => {
    const result = judge(nginxDeployment(), 'PRB-1');
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence).toContainEqual(expect.stringMatching(/profile generic\), so the startup budget and the Open Inference Protocol paths are not applicable/));
  });

  test('fails when a generic service has no liveness probe', () => {
    const nginx = nginxDeployment();
    delete nginx.spec.template.spec.containers[0].livenessProbe;
    expectFailure(judge(nginx, 'PRB-1'), ControlStatus.VIOLATED, /containers\[0\]\.livenessProbe=not set/);
  });
});
