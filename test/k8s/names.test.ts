/* eslint-disable @typescript-eslint/no-explicit-any */
import { Lazy } from 'aws-cdk-lib';
import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ComplianceReport, ImageReference, k8s } from '../../src';
import { expectValidManifests } from '../support/k8s-validate';

const SERVICE_IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`);
const TRAINER_IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-train@sha256:${'c'.repeat(64)}`);
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const INSTANCE = 'app.kubernetes.io/instance';

type Build = (chart: Chart, id: string, name?: string) => k8s.CompliantModelService | k8s.CompliantTrainingJob;

const BUILDS: Record<string, Build> = {
  'CompliantModelService': (chart, id, name) => new k8s.CompliantModelService(chart, id, { image: SERVICE_IMAGE, model: MODEL, name, autoscaling: { minReplicas: 2, maxReplicas: 4 } }),
  'CompliantTrainingJob (Job)': (chart, id, name) => new k8s.CompliantTrainingJob(chart, id, { image: TRAINER_IMAGE, name }),
  'CompliantTrainingJob (CronJob)': (chart, id, name) => new k8s.CompliantTrainingJob(chart, id, { image: TRAINER_IMAGE, name, schedule: '@daily' }),
};

function synth(build: Build, name?: string, chartProps: { disableResourceNameHashes?: boolean; namespace?: string } = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'fraud', chartProps);
  const construct = build(chart, 'Scorer', name);
  const docs = expectValidManifests(chart.toJson());
  const statuses = construct.complianceEntry().controls.map((c) => [c.id, c.status]);
  return { app, chart, construct, docs, statuses, path: construct.complianceEntry().path };
}

function podSpecOf(doc: any): any {
  return doc.kind === 'CronJob' ? doc.spec.jobTemplate.spec.template.spec : doc.spec.template.spec;
}

/** Every place an object of the construct names or selects the workload, as [where, value]. */
function nameReferences(docs: any[]): Array<[string, string]> {
  const refs: Array<[string, string]> = [];
  for (const doc of docs) {
    const at = `${doc.kind}`;
    if (doc.kind !== 'ConfigMap') {
      refs.push([`${at} metadata.name`, doc.metadata.name]);
    }
    refs.push([`${at} instance label`, doc.metadata.labels[INSTANCE]]);
    if (['Deployment', 'Job', 'CronJob'].includes(doc.kind)) {
      const template = doc.kind === 'CronJob' ? doc.spec.jobTemplate.spec.template : doc.spec.template;
      refs.push([`${at} pod instance label`, template.metadata.labels[INSTANCE]]);
      refs.push([`${at} serviceAccountName`, podSpecOf(doc).serviceAccountName]);
    }
    if (doc.kind === 'Deployment' || doc.kind === 'PodDisruptionBudget') {
      refs.push([`${at} selector`, doc.spec.selector.matchLabels[INSTANCE]]);
    }
    if (doc.kind === 'Service') {
      refs.push([`${at} selector`, doc.spec.selector[INSTANCE]]);
    }
    if (doc.kind === 'NetworkPolicy') {
      refs.push([`${at} podSelector`, doc.spec.podSelector.matchLabels[INSTANCE]]);
    }
    if (doc.kind === 'HorizontalPodAutoscaler') {
      refs.push([`${at} scaleTargetRef`, doc.spec.scaleTargetRef.name]);
    }
  }
  return refs;
}

describe.each(Object.entries(BUILDS))('name: the given name on every object and selector of %s', (_kind, build) => {
  test('every object, instance label, selector and reference carries the given name, and the report is unchanged', () => {
    const named = synth(build, 'fraud-scorer');
    const derived = synth(build);
    expect(named.construct.name).toBe('fraud-scorer');
    const refs = nameReferences(named.docs);
    expect(refs.length).toBeGreaterThanOrEqual(8);
    expect(refs.filter(([, value]) => value !== 'fraud-scorer')).toEqual([]);
    expect(JSON.stringify(named.docs)).not.toContain(derived.construct.name);
    expect(named.path).toBe(derived.path);
    expect(named.path).toBe('fraud/Scorer');
    expect(named.statuses).toEqual(derived.statuses);
  });

  test('the log-shipping ConfigMap is <name>-logs-<8 hex> and the pod mounts that ConfigMap', () => {
    const { docs } = synth(build, 'fraud-scorer');
    const configMap = docs.find((d) => d.kind === 'ConfigMap');
    expect(configMap.metadata.name).toMatch(/^fraud-scorer-logs-[0-9a-f]{8}$/);
    const workload = docs.find((d) => ['Deployment', 'Job', 'CronJob'].includes(d.kind));
    const mounted = podSpecOf(workload).volumes.filter((v: any) => v.configMap).map((v: any) => v.configMap.name);
    expect(mounted).toEqual([configMap.metadata.name]);
  });

  test('the instance label equals metadata.name on every object but the content-named ConfigMap', () => {
    const { docs } = synth(build, 'fraud-scorer');
    const mismatched = docs.filter((d) => d.kind !== 'ConfigMap' && d.metadata.labels[INSTANCE] !== d.metadata.name);
    expect(mismatched).toEqual([]);
  });

  test('disableResourceNameHashes: the objects are named after the readable path, without the hash', () => {
    const { construct, docs, path } = synth(build, undefined, { disableResourceNameHashes: true });
    expect(construct.name).toBe('fraud-scorer');
    expect(nameReferences(docs).filter(([, value]) => value !== 'fraud-scorer')).toEqual([]);
    expect(path).toBe('fraud/Scorer');
  });

  test('without the chart setting the derived name keeps its hash', () => {
    expect(synth(build).construct.name).toMatch(/^fraud-scorer-[0-9a-f]{8}$/);
  });

  test('a given name wins over disableResourceNameHashes', () => {
    expect(synth(build, 'scorer-v2', { disableResourceNameHashes: true }).construct.name).toBe('scorer-v2');
  });
});

describe('name: invalid names are refused with the path, the prop, the value and the fix', () => {
  const service = BUILDS.CompliantModelService;
  const cronJob = BUILDS['CompliantTrainingJob (CronJob)'];
  const job = BUILDS['CompliantTrainingJob (Job)'];

  test.each([
    ['uppercase', 'Fraud-Scorer'],
    ['a leading digit', '1fraud'],
    ['a trailing dash', 'fraud-'],
    ['a dot', 'fraud.scorer'],
    ['an underscore', 'fraud_scorer'],
    ['the empty string', ''],
    ['64 characters', 'a'.repeat(64)],
  ])('fails when the name has %s', (_what, name) => {
    for (const build of [service, job, cronJob]) {
      expect(() => synth(build, name)).toThrow(`fraud/Scorer: invalid name ${JSON.stringify(name)}: is not a DNS-1035 label`);
      expect(() => synth(build, name)).toThrow(/use lowercase letters, digits and '-', starting with a letter/);
    }
  });

  test('a leading digit is refused for a Job too, although a Job name may start with one', () => {
    expect(() => synth(job, '0retrain')).toThrow(/invalid name "0retrain": is not a DNS-1035 label/);
  });

  test('fails when a CronJob name is longer than 52 characters; a Job and a Service take 63', () => {
    const name53 = 'a'.repeat(53);
    expect(() => synth(cronJob, name53)).toThrow(/invalid name "a{53}": is not a DNS-1035 label of at most 52 characters because the CronJob controller appends 11/);
    expect(synth(cronJob, 'a'.repeat(52)).construct.name).toBe('a'.repeat(52));
    expect(synth(job, 'a'.repeat(63)).construct.name).toBe('a'.repeat(63));
    expect(synth(service, 'a'.repeat(63)).construct.name).toBe('a'.repeat(63));
  });

  test('fails when the name is not a string (JavaScript callers)', () => {
    expect(() => synth((chart, id) => new k8s.CompliantModelService(chart, id, { image: SERVICE_IMAGE, model: MODEL, name: 42 as any })))
      .toThrow(/fraud\/Scorer: invalid name 42: is not a string/);
  });

  test('fails when the name is an unresolved token', () => {
    const token = Lazy.string({ produce: () => 'fraud-scorer' });
    expect(() => synth(BUILDS.CompliantModelService, token)).toThrow(/fraud\/Scorer: invalid name .*Token/);
  });

  test('a readable path longer than the limit is cut to it with disableResourceNameHashes', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'fraud', { disableResourceNameHashes: true });
    const trainer = new k8s.CompliantTrainingJob(chart, 'x'.repeat(80), { image: TRAINER_IMAGE, schedule: '@daily' });
    expect(trainer.name).toBe(`fraud-${'x'.repeat(46)}`);
    expectValidManifests(chart.toJson());
  });
});

describe('name: two constructs that would collide are refused, naming both paths', () => {
  test('fails when two constructs are given the same name in the same chart', () => {
    const chart = Testing.chart();
    new k8s.CompliantModelService(chart, 'Blue', { image: SERVICE_IMAGE, model: MODEL, name: 'fraud-scorer' });
    expect(() => new k8s.CompliantTrainingJob(chart, 'Green', { image: TRAINER_IMAGE, name: 'fraud-scorer' }))
      .toThrow(/Green: invalid name "fraud-scorer": collides with the objects of test\/Blue \(ServiceAccount, NetworkPolicy, Deployment, Service named "fraud-scorer" in namespace \(default\)\); give test\/Green or test\/Blue a different `name`/);
  });

  test('fails when two charts of one app put the same name in the same namespace', () => {
    const app = Testing.app();
    new k8s.CompliantModelService(new Chart(app, 'one', { namespace: 'ml' }), 'Scorer', { image: SERVICE_IMAGE, model: MODEL, name: 'fraud-scorer' });
    expect(() => new k8s.CompliantModelService(new Chart(app, 'two', { namespace: 'ml' }), 'Scorer', { image: SERVICE_IMAGE, model: MODEL, name: 'fraud-scorer' }))
      .toThrow(/two\/Scorer: invalid name "fraud-scorer": collides with the objects of one\/Scorer .* in namespace ml\)/);
  });

  test('fails when disableResourceNameHashes makes two paths read the same', () => {
    const chart = new Chart(Testing.app(), 'fraud', { disableResourceNameHashes: true });
    new k8s.CompliantModelService(new Construct(chart, 'a-b'), 'Scorer', { image: SERVICE_IMAGE, model: MODEL });
    expect(() => new k8s.CompliantModelService(new Construct(new Construct(chart, 'a'), 'b'), 'Scorer', { image: SERVICE_IMAGE, model: MODEL }))
      .toThrow(/fraud\/a\/b\/Scorer: invalid the name \(from the construct path\) "fraud-a-b-scorer": collides with the objects of fraud\/a-b\/Scorer/);
  });

  test('fails when a given name equals the name another construct derives from its path', () => {
    const chart = new Chart(Testing.app(), 'fraud', { disableResourceNameHashes: true });
    new k8s.CompliantModelService(chart, 'Scorer', { image: SERVICE_IMAGE, model: MODEL });
    expect(() => new k8s.CompliantTrainingJob(chart, 'Trainer', { image: TRAINER_IMAGE, name: 'fraud-scorer' })).toThrow(/collides with the objects of fraud\/Scorer/);
  });

  test('the same name in different namespaces, or in different apps, is allowed', () => {
    const app = Testing.app();
    new k8s.CompliantModelService(new Chart(app, 'one', { namespace: 'ml' }), 'Scorer', { image: SERVICE_IMAGE, model: MODEL, name: 'fraud-scorer' });
    const other = new k8s.CompliantModelService(new Chart(app, 'two', { namespace: 'staging' }), 'Scorer', { image: SERVICE_IMAGE, model: MODEL, name: 'fraud-scorer' });
    expect(other.name).toBe('fraud-scorer');
    const second = new k8s.CompliantModelService(Testing.chart(), 'Scorer', { image: SERVICE_IMAGE, model: MODEL, name: 'fraud-scorer' });
    expect(second.name).toBe('fraud-scorer');
  });

  test('a constructor that threw leaves its name free', () => {
    const chart = Testing.chart();
    expect(() => new k8s.CompliantModelService(chart, 'Broken', { image: SERVICE_IMAGE, model: MODEL, name: 'fraud-scorer', port: -1 })).toThrow(/port/);
    expect(new k8s.CompliantModelService(chart, 'Fixed', { image: SERVICE_IMAGE, model: MODEL, name: 'fraud-scorer' }).name).toBe('fraud-scorer');
  });

  test('the app report lists both constructs by path when their names differ', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'fraud', { disableResourceNameHashes: true });
    new k8s.CompliantModelService(chart, 'Scorer', { image: SERVICE_IMAGE, model: MODEL, name: 'scorer' });
    new k8s.CompliantTrainingJob(chart, 'Trainer', { image: TRAINER_IMAGE });
    expect(ComplianceReport.of(app).workloads.map((w) => w.path)).toEqual(['fraud/Scorer', 'fraud/Trainer']);
  });
});
