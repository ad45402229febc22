import { Chart, Testing } from 'cdk8s';
import { ImageReference, k8s } from '../../src';
import { applicableControlIds } from '../../src/compliance/catalogue';
import { ControlScope } from '../../src/compliance/control';
import { readAnnotationWaivers, readOutputWaivers, serializeWaivers } from '../../src/core/output-waivers';

const SERVICE = applicableControlIds(ControlScope.SERVICE);
const TODAY = '2026-12-01';

describe('waivers written into the output', () => {
  test('serialize and read back give the same waivers, keys in a fixed order', () => {
    const waivers = [
      { expires: '2027-01-31', reason: 'dev cluster', control: 'AVL-1', approvedBy: 'ml-platform' },
      { control: 'NET-1', reason: 'CNI without NetworkPolicy support' },
    ];
    const text = serializeWaivers(waivers);
    expect(text).toBe('[{"control":"AVL-1","reason":"dev cluster","expires":"2027-01-31","approvedBy":"ml-platform"},'
      + '{"control":"NET-1","reason":"CNI without NetworkPolicy support"}]');
    expect(readAnnotationWaivers(text, SERVICE, TODAY)).toEqual({ waivers: [waivers[0], waivers[1]].map((w) => ({ ...w })), problems: [] });
  });

  test.each([
    ['expired', [{ control: 'AVL-1', reason: 'r', expires: '2026-11-30' }], /expired on 2026-11-30 \(today is 2026-12-01\)/],
    ['not yet expired on its last day', [{ control: 'AVL-1', reason: 'r', expires: '2026-12-01' }], undefined],
    ['without a reason', [{ control: 'AVL-1' }], /needs a reason/],
    ['with a numeric reason', [{ control: 'AVL-1', reason: 5 }], /needs a reason/],
    ['with a numeric expiry', [{ control: 'AVL-1', reason: 'r', expires: 20270101 }], /expires 20270101 must be a string/],
    ['of a job control on a service', [{ control: 'JOB-3', reason: 'r' }], /does not apply to this kind of workload/],
    ['of an unknown control', [{ control: 'SEC-99', reason: 'r' }], /is not a control of the catalogue/],
  ])('a waiver %s', (_what, records, problem) => {
    const found = readOutputWaivers(records, SERVICE, TODAY);
    if (problem) {
      expect(found.waivers).toEqual([]);
      expect(found.problems).toEqual([expect.stringMatching(problem)]);
    } else {
      expect(found.problems).toEqual([]);
      expect(found.waivers).toHaveLength(1);
    }
  });

  test('one bad waiver does not take the good ones with it', () => {
    const found = readOutputWaivers([{ control: 'AVL-1', reason: 'ok' }, { control: 'AVL-2' }], SERVICE, TODAY);
    expect(found.waivers.map((w) => w.control)).toEqual(['AVL-1']);
    expect(found.problems).toEqual([expect.stringMatching(/^invalid waivers\[1\]\.reason/)]);
  });
});

describe('waivers in code are refused for controls that do not apply to the workload', () => {
  const image = ImageReference.fromString('ghcr.io/acme/scorer:1.0.0@sha256:' + 'a'.repeat(64));
  test('AVL-1 on a training job', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new k8s.CompliantTrainingJob(chart, 'train', { image, waivers: [{ control: 'AVL-1', reason: 'r' }] }))
      .toThrow(/test\/train: invalid waivers\[0\]\.control "AVL-1": AVL-1 does not apply to this workload; remove the waiver/);
  });
  test('JOB-2 on a model service', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new k8s.CompliantModelService(chart, 'svc', { image, model: { name: 'm', version: '1' }, waivers: [{ control: 'JOB-2', reason: 'r' }] }))
      .toThrow(/test\/svc: invalid waivers\[0\]\.control "JOB-2": JOB-2 does not apply to this workload/);
  });
});
