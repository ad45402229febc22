/* eslint-disable @typescript-eslint/no-explicit-any */
import { JsonPatch } from 'cdk8s';
import * as fc from 'fast-check';
import { expectFailure, judge, ourJob, ourService, patchedService, POD, withPod } from './support';
import { ControlStatus } from '../../../src';
import { parseQuantity } from '../../../src/k8s/checks/resource-rules';

const MAIN = `${POD}/containers/0/resources`;

describe('RES-1: requests and limits > 0 for cpu, memory and ephemeral-storage; GPU limits', () => {
  test('compliant: our service (main and native sidecar) and our training job', () => {
    const result = patchedService('RES-1');
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence).toHaveLength(2);
    expect(result.evidence[1]).toMatch(/"ephemeral-storage":"1024Mi"/);
    expect(ourJob().job.complianceEntry().controls.find((c) => c.id === 'RES-1')!.status).toBe(ControlStatus.ENFORCED);
  });

  test('compliant: a GPU request with its limit', () => {
    const { service } = ourService({ gpuCount: 1 });
    expect(service.complianceEntry().controls.find((c) => c.id === 'RES-1')!.status).toBe(ControlStatus.ENFORCED);
  });

  test.each(['0', '0Mi', '0.0', '0m'])('fails when a limit is the zero quantity %s', (zero) => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].resources.limits.memory = zero; }), 'RES-1'), ControlStatus.VIOLATED,
      new RegExp(`containers\\[0\\]\\.resources\\.limits\\.memory="${zero.replace('.', '\\.')}" \\(not above zero\\)`));
  });

  test('fails when cpu limits are "0"', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].resources.limits.cpu = '0'; }), 'RES-1'), ControlStatus.VIOLATED, /limits\.cpu="0" \(not above zero\)/);
  });

  test('fails when an escape hatch removes the cpu limit', () => {
    expectFailure(patchedService('RES-1', JsonPatch.remove(`${MAIN}/limits/cpu`)), ControlStatus.VIOLATED, /containers\[0\]\.resources\.limits\.cpu=not set/);
  });

  test('fails without ephemeral-storage', () => {
    expectFailure(patchedService('RES-1', JsonPatch.remove(`${MAIN}/requests/ephemeral-storage`), JsonPatch.remove(`${MAIN}/limits/ephemeral-storage`)),
      ControlStatus.VIOLATED, /requests\.ephemeral-storage=not set/, /limits\.ephemeral-storage=not set/);
  });

  test('fails on a negative or unparsable quantity', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].resources.requests.cpu = '-1'; }), 'RES-1'), ControlStatus.VIOLATED, /requests\.cpu="-1" \(not above zero\)/);
    expectFailure(judge(withPod((pod) => { pod.containers[0].resources.requests.memory = '2 GB'; }), 'RES-1'), ControlStatus.VIOLATED, /"2 GB" \(not a quantity\)/);
  });

  test('fails when a request is above its limit', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].resources.requests.memory = '3Gi'; }), 'RES-1'), ControlStatus.VIOLATED, /request above limit/);
  });

  test('fails when the native sidecar has no resources', () => {
    expectFailure(patchedService('RES-1', JsonPatch.remove(`${POD}/initContainers/0/resources`)), ControlStatus.VIOLATED, /initContainers\[0\]\.resources\.requests\.cpu=not set/);
  });

  test('fails when a plain init container has no limits', () => {
    expectFailure(judge(withPod((pod) => { pod.initContainers.push({ name: 'fetch', image: 'x', resources: { requests: { 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '1Gi' } } }); }), 'RES-1'),
      ControlStatus.VIOLATED, /initContainers\[1\]\.resources\.limits\.memory=not set/);
  });

  test('fails when nvidia.com/gpu is requested without a limit', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].resources.requests['nvidia.com/gpu'] = '1'; }), 'RES-1'),
      ControlStatus.VIOLATED, /limits\["nvidia.com\/gpu"\]=not set \(requested "1" without a limit\)/);
  });

  test('ephemeral containers may not set resources and are not judged', () => {
    expect(judge(withPod((pod) => { pod.ephemeralContainers = [{ name: 'debug', image: 'x' }]; }), 'RES-1').status).toBe(ControlStatus.ENFORCED);
  });
});

describe('parseQuantity', () => {
  test('reads the Kubernetes quantity grammar', () => {
    expect([parseQuantity('500m'), parseQuantity('2Gi'), parseQuantity('1e3'), parseQuantity('1.5'), parseQuantity(2), parseQuantity('.5Ki')])
      .toEqual([0.5, 2 * 2 ** 30, 1000, 1.5, 2, 512]);
    expect([parseQuantity('1 Gi'), parseQuantity('Gi'), parseQuantity('1GB'), parseQuantity(''), parseQuantity(undefined)]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  test('every integer with a binary suffix parses to its value (property)', () => {
    fc.assert(fc.property(fc.nat(100000), fc.constantFrom(['Ki', 2 ** 10], ['Mi', 2 ** 20], ['Gi', 2 ** 30], ['', 1], ['k', 1000], ['m', 0.001]),
      (n, [suffix, factor]) => parseQuantity(`${n}${suffix}`) === n * (factor as number)));
  });
});
