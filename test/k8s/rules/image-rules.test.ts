/* eslint-disable @typescript-eslint/no-explicit-any */
import { JsonPatch } from 'cdk8s';
import { expectFailure, judge, patchedService, POD, SCORER_IMAGE, withPod } from './support';
import { ControlStatus } from '../../../src';

const DEBUG = { name: 'debug', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' };

describe('IMG-1: every image is pinned by digest', () => {
  test('compliant: our service pins main and sidecar images', () => {
    const result = patchedService('IMG-1');
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence).toContain(`Deployment ${result.evidence[0].split(' ')[1]} spec.template.spec.containers[0].image="${SCORER_IMAGE}"`);
  });

  test('fails when an escape hatch replaces the main image with a tag', () => {
    expectFailure(patchedService('IMG-1', JsonPatch.replace(`${POD}/containers/0/image`, 'ghcr.io/acme/fraud-scorer:1.4.2')),
      ControlStatus.VIOLATED, /containers\[0\]\.image="ghcr.io\/acme\/fraud-scorer:1.4.2" \(no sha256\/sha512 digest\)/);
  });

  test('fails when the sidecar image is replaced by a tag', () => {
    expectFailure(patchedService('IMG-1', JsonPatch.replace(`${POD}/initContainers/0/image`, 'fluent/fluent-bit:3.2')),
      ControlStatus.VIOLATED, /initContainers\[0\]\.image="fluent\/fluent-bit:3.2"/);
  });

  test('fails when an ephemeral container runs an unpinned image', () => {
    expectFailure(judge(withPod((pod) => { pod.ephemeralContainers = [DEBUG]; }), 'IMG-1'),
      ControlStatus.VIOLATED, /ephemeralContainers\[0\]\.image="busybox:1.36"/);
  });

  test('fails when the image is empty or missing', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].image = ''; }), 'IMG-1'), ControlStatus.VIOLATED, /containers\[0\]\.image="" \(no image\)/);
    expectFailure(judge(withPod((pod) => { delete pod.containers[0].image; }), 'IMG-1'), ControlStatus.VIOLATED, /containers\[0\]\.image=not set/);
  });

  test('a Helm or envsubst placeholder is unverified, not enforced', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].image = '{{ .Values.image }}'; }), 'IMG-1'), ControlStatus.UNVERIFIED, /placeholder/);
    expectFailure(judge(withPod((pod) => { pod.containers[0].image = 'ghcr.io/acme/x@${DIGEST}'; }), 'IMG-1'), ControlStatus.UNVERIFIED, /placeholder/);
  });

  test('fails when a digest is malformed (short hex)', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].image = 'ghcr.io/acme/x@sha256:abc'; }), 'IMG-1'), ControlStatus.VIOLATED, /sha256:abc/);
  });
});

describe('IMG-2: no latest and no untagged reference', () => {
  test('compliant: our service', () => {
    expect(patchedService('IMG-2').status).toBe(ControlStatus.ENFORCED);
  });

  test('fails when an escape hatch sets :latest', () => {
    expectFailure(patchedService('IMG-2', JsonPatch.replace(`${POD}/containers/0/image`, 'ghcr.io/acme/fraud-scorer:latest')),
      ControlStatus.VIOLATED, /image="ghcr.io\/acme\/fraud-scorer:latest"/);
  });

  test('fails when the reference has neither tag nor digest', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].image = 'registry:5000/acme/scorer'; }), 'IMG-2'), ControlStatus.VIOLATED, /registry:5000/);
  });

  test('fails when an init or ephemeral container uses latest', () => {
    expectFailure(judge(withPod((pod) => { pod.initContainers[0].image = 'fluent/fluent-bit:latest'; }), 'IMG-2'), ControlStatus.VIOLATED, /initContainers\[0\]/);
    expectFailure(judge(withPod((pod) => { pod.ephemeralContainers = [{ ...DEBUG, image: 'busybox:latest' }]; }), 'IMG-2'),
      ControlStatus.VIOLATED, /ephemeralContainers\[0\]/);
  });

  test('fails when the image is missing; a placeholder is unverified', () => {
    expectFailure(judge(withPod((pod) => { delete pod.containers[0].image; }), 'IMG-2'), ControlStatus.VIOLATED, /image=not set/);
    expectFailure(judge(withPod((pod) => { pod.containers[0].image = 'acme/x:{{ .Values.tag }}'; }), 'IMG-2'), ControlStatus.UNVERIFIED, /placeholder/);
  });

  test('a digest-only reference is allowed', () => {
    expect(judge(withPod((pod) => { pod.containers[0].image = `ghcr.io/acme/x@sha256:${'c'.repeat(64)}`; }), 'IMG-2').status).toBe(ControlStatus.ENFORCED);
  });
});

describe('IMG-3: imagePullPolicy Always on every container', () => {
  test('compliant: our service', () => {
    expect(patchedService('IMG-3').evidence.every((line) => line.endsWith('imagePullPolicy="Always"'))).toBe(true);
  });

  test('fails when an escape hatch sets IfNotPresent', () => {
    expectFailure(patchedService('IMG-3', JsonPatch.replace(`${POD}/containers/0/imagePullPolicy`, 'IfNotPresent')),
      ControlStatus.VIOLATED, /containers\[0\]\.imagePullPolicy="IfNotPresent"/);
  });

  test('fails when the policy is removed (printed as not set)', () => {
    expectFailure(patchedService('IMG-3', JsonPatch.remove(`${POD}/containers/0/imagePullPolicy`)),
      ControlStatus.VIOLATED, /containers\[0\]\.imagePullPolicy=not set/);
  });

  test('fails when the sidecar pulls Never', () => {
    expectFailure(judge(withPod((pod) => { pod.initContainers[0].imagePullPolicy = 'Never'; }), 'IMG-3'), ControlStatus.VIOLATED, /initContainers\[0\]\.imagePullPolicy="Never"/);
  });

  test('fails when an ephemeral container pulls IfNotPresent', () => {
    expectFailure(judge(withPod((pod) => { pod.ephemeralContainers = [DEBUG]; }), 'IMG-3'), ControlStatus.VIOLATED, /ephemeralContainers\[0\]\.imagePullPolicy="IfNotPresent"/);
  });

  test('fails on a lower-case always (the API server accepts only Always)', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].imagePullPolicy = 'always'; }), 'IMG-3'), ControlStatus.VIOLATED, /"always"/);
  });
});
