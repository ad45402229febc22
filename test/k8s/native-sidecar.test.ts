/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { ImageReference } from '../../src/core';
import * as k8s from '../../src/k8s';
import { captureOutputInEachTest } from '../support/captured-output';

// Escape hatches on the pod keep the native sidecar (the log shipper: an init container with restartPolicy Always) on the
// log shipper, wherever it ends up in initContainers; never on the container at index 0.

const IMAGE = `ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`;
const VERIFIER = { name: 'verify-config', image: `busybox:1.36@sha256:${'b'.repeat(64)}`, command: ['true'] };

// Report mode (the default) prints one stderr warning per failing control of the patched pods: captured and asserted.
const output = captureOutputInEachTest();
/** `control field` of each warning printed so far, e.g. `SEC-2 initContainers[0]`. */
const warned = () => output().warnings().map((line) => {
  const [, control, field] = /^\S+ warning: \S+: (\S+) .*? (?:violated|unverified): Deployment \S+ spec\.template\.spec\.(\w+\[\d+\])/.exec(line) ?? [];
  return `${control} ${field}`;
});

/** What report mode warns about the unhardened VERIFIER container at `field`: its pull policy, hardening and resources. */
// in the order the warnings are printed: most severe first (SEC-2, SEC-3 high; IMG-3, SEC-5, RES-1 medium), then catalogue order
const verifierWarnings = (field: string) => ['SEC-2', 'SEC-3', 'IMG-3', 'SEC-5', 'RES-1'].map((control) => `${control} ${field}`);

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
    expect(warned()).toEqual([]); // nothing to warn about
  });

  test('fails when an init container is prepended: restartPolicy stays on the shipper, not on index 0', () => {
    const { initContainers } = service((d) => d.addJsonPatch(JsonPatch.add('/spec/template/spec/initContainers/0', VERIFIER)));
    expect(initContainers!.map((c) => [c.name, c.restartPolicy])).toEqual([['verify-config', undefined], ['log-shipper', 'Always']]);
    expect(warned()).toEqual(verifierWarnings('initContainers[0]')); // the report still judges the prepended container
  });

  test('fails when init containers are appended: the shipper at index 0 keeps it, the others get none', () => {
    const { initContainers } = service((d) => d.addJsonPatch(JsonPatch.add('/spec/template/spec/initContainers/-', VERIFIER)));
    expect(initContainers!.map((c) => [c.name, c.restartPolicy])).toEqual([['log-shipper', 'Always'], ['verify-config', undefined]]);
    expect(warned()).toEqual(verifierWarnings('initContainers[1]'));
  });

  test('fails when the shipper is removed: no other container becomes a restarting sidecar, and synthesis does not crash', () => {
    const removed = service((d) => d.addJsonPatch(JsonPatch.remove('/spec/template/spec/initContainers/0')));
    expect(removed.initContainers).toEqual([]);
    const replaced = service((d) => d.addJsonPatch(JsonPatch.replace('/spec/template/spec/initContainers', [VERIFIER])));
    expect(replaced.initContainers).toEqual([VERIFIER]);
    const gone = service((d) => d.addJsonPatch(JsonPatch.remove('/spec/template/spec/initContainers')));
    expect(gone.initContainers).toBeUndefined();
    expect(warned()).toEqual(verifierWarnings('initContainers[0]')); // only `replaced` runs the unhardened verifier
  });

  test('fails (LOG-1 leaves enforced) when the shipper is removed', () => {
    const { scorer } = service((d) => d.addJsonPatch(JsonPatch.remove('/spec/template/spec/initContainers/0')));
    expect(scorer.complianceEntry().controls.find((c) => c.id === 'LOG-1')!.status).not.toBe('enforced');
    expect(warned()).toEqual([]); // LOG-1 is `external` (only a node agent could ship): not a failure, so no warning
  });
});
