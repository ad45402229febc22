/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { ImageReference } from '../../src/core';
import * as k8s from '../../src/k8s';

// Escape hatches on the pod keep the native sidecar (the log shipper: an init container with restartPolicy Always) on the
// log shipper, wherever it ends up in initContainers; never on the container at index 0.

const IMAGE = `ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`;
const VERIFIER = { name: 'verify-config', image: `busybox:1.36@sha256:${'b'.repeat(64)}`, command: ['true'] };

function service(patches: (deployment: ApiObject) => void) {
  const chart = Testing.chart();
  const scorer = new k8s.CompliantModelService(chart, 'scorer', {
    image: ImageReference.fromString(IMAGE),
    model: { name: 'fraud-scorer', version: '1.4.2' },
    logShipping: k8s.LogShipping.sidecar(k8s.LogDestination.fluentForward({ host: 'agg.logging.svc' })),
  });
  const deployment = chart.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Deployment')!;
  patches(deployment);
  const manifest = Testing.synth(chart).find((o: any) => o.kind === 'Deployment');
  return { initContainers: manifest.spec.template.spec.initContainers as any[] | undefined, scorer };
}

describe('the native log-shipping sidecar follows the log shipper', () => {
  test('compliant: without escape hatches the shipper is the only init container and restarts Always', () => {
    const { initContainers } = service(() => undefined);
    expect(initContainers!.map((c) => [c.name, c.restartPolicy])).toEqual([['log-shipper', 'Always']]);
  });

  test('fails when an init container is prepended: restartPolicy stays on the shipper, not on index 0', () => {
    const { initContainers } = service((d) => d.addJsonPatch(JsonPatch.add('/spec/template/spec/initContainers/0', VERIFIER)));
    expect(initContainers!.map((c) => [c.name, c.restartPolicy])).toEqual([['verify-config', undefined], ['log-shipper', 'Always']]);
  });

  test('fails when init containers are appended: the shipper at index 0 keeps it, the others get none', () => {
    const { initContainers } = service((d) => d.addJsonPatch(JsonPatch.add('/spec/template/spec/initContainers/-', VERIFIER)));
    expect(initContainers!.map((c) => [c.name, c.restartPolicy])).toEqual([['log-shipper', 'Always'], ['verify-config', undefined]]);
  });

  test('fails when the shipper is removed: no other container becomes a restarting sidecar, and synthesis does not crash', () => {
    const removed = service((d) => d.addJsonPatch(JsonPatch.remove('/spec/template/spec/initContainers/0')));
    expect(removed.initContainers).toEqual([]);
    const replaced = service((d) => d.addJsonPatch(JsonPatch.replace('/spec/template/spec/initContainers', [VERIFIER])));
    expect(replaced.initContainers).toEqual([VERIFIER]);
    const gone = service((d) => d.addJsonPatch(JsonPatch.remove('/spec/template/spec/initContainers')));
    expect(gone.initContainers).toBeUndefined();
  });

  test('fails (LOG-1 leaves enforced) when the shipper is removed', () => {
    const { scorer } = service((d) => d.addJsonPatch(JsonPatch.remove('/spec/template/spec/initContainers/0')));
    expect(scorer.complianceEntry().controls.find((c) => c.id === 'LOG-1')!.status).not.toBe('enforced');
  });
});
