/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ComplianceReport } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import { CompliantModelService, CompliantTrainingJob, LogShipping } from '../../src/k8s';
import { byPath, controls, rawDeployment, SCORER_IMAGE, tmpdir, TRAIN_IMAGE } from '../support/k8s-report-app';

// Our service and job ship logs through the node agent here, so their own NetworkPolicies name every peer.
const shipping = LogShipping.clusterAgent();

function app(namespace?: string) {
  const root = new App({ outdir: tmpdir() });
  const chart = new Chart(root, 'ml', { namespace });
  const svc = new CompliantModelService(chart, 'scorer', { image: ImageReference.fromString(SCORER_IMAGE), model: { name: 'm', version: '1' }, logShipping: shipping });
  return { root, chart, svc };
}

/** The result of one control of one workload in the app's report. */
const control = (root: App, path: string, id: string) => {
  const entry = byPath(ComplianceReport.of(root).toJson())[path];
  if (!entry) {
    throw new Error(`no workload ${path} in ${Object.keys(byPath(ComplianceReport.of(root).toJson())).join(', ')}`);
  }
  return controls(entry)[id];
};

const policy = (scope: Construct, id: string, spec: any, namespace?: string) => new ApiObject(scope, id, {
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: id, namespace }, spec,
});

const podsOf = (svc: CompliantModelService) => svc.deployment.toJson().spec.template.metadata.labels;

describe('NET-1: the union of every NetworkPolicy selecting the pods restricts ingress and egress, each rule naming its peers', () => {
  test('compliant: our own policy restricts both directions and is named in the evidence', () => {
    const { root, svc } = app();
    expect(control(root, 'ml/scorer', 'NET-1')).toMatchObject({ status: 'enforced', evidence: [expect.stringContaining(`NetworkPolicy ${svc.name}`)] });
  });

  test('fails when a foreign NetworkPolicy beside our service allows all egress', () => {
    const { root, chart } = app();
    policy(chart, 'allow-all-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
    const r = control(root, 'ml/scorer', 'NET-1');
    expect(r.status).toBe('violated');
    expect(r.evidence).toContainEqual(expect.stringMatching(/^NetworkPolicy allow-all-egress spec\.egress\[0\]: no to .* Egress is not restricted$/));
  });

  test('fails when our NetworkPolicy is edited by JsonPatch to egress: [{}]', () => {
    const { root, svc } = app();
    svc.networkPolicy!.addJsonPatch(JsonPatch.replace('/spec/egress', [{}]));
    expect(control(root, 'ml/scorer', 'NET-1')).toMatchObject({ status: 'violated', evidence: expect.arrayContaining([expect.stringMatching(/spec\.egress\[0\]: no to/)]) });
  });

  test('a policy in another namespace does not count', () => {
    const { root } = app('ml');
    const other = new Chart(root, 'other', { namespace: 'other' });
    policy(other, 'allow-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] });
    expect(control(root, 'ml/scorer', 'NET-1').status).toBe('enforced');
    policy(new Chart(root, 'same', { namespace: 'ml' }), 'allow-all-here', { podSelector: {}, ingress: [{}] });
    expect(control(root, 'ml/scorer', 'NET-1')).toMatchObject({ status: 'violated', evidence: expect.arrayContaining([expect.stringMatching(/^NetworkPolicy allow-all-here spec\.ingress\[0\]/)]) });
  });

  test('fails when a peer is ipBlock 0.0.0.0/0 without except (with except it narrows the peers)', () => {
    const { root, chart } = app();
    const p = policy(chart, 'internet', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] });
    expect(control(root, 'ml/scorer', 'NET-1').evidence).toContainEqual(expect.stringMatching(/egress\[0\]\.to\[0\]: ipBlock 0\.0\.0\.0\/0 without except/));
    p.addJsonPatch(JsonPatch.add('/spec/egress/0/to/0/ipBlock/except', ['10.0.0.0/8']));
    expect(control(root, 'ml/scorer', 'NET-1').status).toBe('enforced');
  });

  test('fails when a peer is namespaceSelector {} without podSelector, or ::/0', () => {
    const { root, chart } = app();
    policy(chart, 'cluster', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] });
    policy(chart, 'v6', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '::/0' } }] }] });
    const evidence = control(root, 'ml/scorer', 'NET-1').evidence;
    expect(evidence).toContainEqual(expect.stringMatching(/NetworkPolicy cluster spec\.ingress\[0\]\.from\[0\]: namespaceSelector \{\} without podSelector/));
    expect(evidence).toContainEqual(expect.stringMatching(/NetworkPolicy v6 spec\.egress\[0\]\.to\[0\]: ipBlock ::\/0/));
  });

  test('fails when a rule has from: [] (ports only still admit every peer), and not for a policy selecting other pods', () => {
    const { root, chart } = app();
    policy(chart, 'others', { podSelector: { matchLabels: { app: 'other' } }, ingress: [{}] });
    expect(control(root, 'ml/scorer', 'NET-1').status).toBe('enforced');
    policy(chart, 'ports-only', { podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'Exists' }] }, ingress: [{ from: [], ports: [{ port: 8080 }] }] });
    expect(control(root, 'ml/scorer', 'NET-1').evidence[0]).toMatch(/^NetworkPolicy ports-only spec\.ingress\[0\]: no from \(or an empty list\)/);
  });

  test('fails for a foreign workload no policy selects, and one whose only policy leaves egress open by default policyTypes', () => {
    const { root, chart } = app();
    rawDeployment(chart, 'web');
    expect(control(root, 'ml/web', 'NET-1')).toMatchObject({ status: 'violated', evidence: [expect.stringMatching(/no NetworkPolicy of namespace \(unset\) selects its pods/)] });
    policy(chart, 'ingress-only', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'lb' } } }] }] });
    expect(control(root, 'ml/web', 'NET-1').evidence[0]).toMatch(/no selecting NetworkPolicy restricts Egress \(ingress-only select its pods\)/);
  });
});

describe('AVL-1: >= 2 replicas at runtime; an autoscaler targeting the workload decides', () => {
  const hpa = (scope: Construct, id: string, target: string, minReplicas?: number, namespace?: string) => new ApiObject(scope, id, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: id, namespace },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas, maxReplicas: 5 },
  });

  test('compliant: our Deployment runs 2 replicas', () => {
    const { root } = app();
    expect(control(root, 'ml/scorer', 'AVL-1')).toMatchObject({ status: 'enforced', evidence: [expect.stringMatching(/spec\.replicas=2$/)] });
  });

  test('fails when a foreign HPA with minReplicas 1 targets our Deployment, although spec.replicas is 2', () => {
    const { root, chart, svc } = app();
    hpa(chart, 'foreign-hpa', svc.name, 1);
    expect(control(root, 'ml/scorer', 'AVL-1')).toMatchObject({
      status: 'violated', evidence: [`HorizontalPodAutoscaler foreign-hpa spec.minReplicas=1 targets Deployment ${svc.name} and overrides its spec.replicas`],
    });
  });

  test('fails when the HPA leaves minReplicas unset (default 1); passes with 3; an HPA of another namespace does not count', () => {
    const { root, chart, svc } = app('ml');
    const h = hpa(chart, 'h', svc.name);
    expect(control(root, 'ml/scorer', 'AVL-1').evidence[0]).toMatch(/spec\.minReplicas=1 targets/);
    h.addJsonPatch(JsonPatch.add('/spec/minReplicas', 3));
    expect(control(root, 'ml/scorer', 'AVL-1').status).toBe('enforced');
    hpa(new Chart(root, 'other', { namespace: 'other' }), 'elsewhere', svc.name, 1);
    expect(control(root, 'ml/scorer', 'AVL-1').status).toBe('enforced');
  });

  test('fails when two HPAs target one workload', () => {
    const { root, chart, svc } = app();
    hpa(chart, 'a', svc.name, 3);
    hpa(chart, 'b', svc.name, 3);
    expect(control(root, 'ml/scorer', 'AVL-1')).toMatchObject({ status: 'violated', evidence: [expect.stringMatching(/^2 autoscalers \(HorizontalPodAutoscaler a, HorizontalPodAutoscaler b\)/)] });
  });

  test('fails when a KEDA ScaledObject (minReplicaCount default 0) targets the workload; a bare Pod is violated', () => {
    const { root, chart, svc } = app();
    new ApiObject(chart, 'keda', { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'keda' }, spec: { scaleTargetRef: { name: svc.name } } });
    expect(control(root, 'ml/scorer', 'AVL-1').evidence[0]).toMatch(/^ScaledObject keda spec\.minReplicaCount=0/);
    new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod' }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } });
    expect(control(root, 'ml/pod', 'AVL-1').status).toBe('violated');
  });
});

describe('AVL-2: exactly one PodDisruptionBudget selects the pods and allows, without blocking, voluntary disruptions', () => {
  const pdb = (scope: Construct, id: string, spec: any) => new ApiObject(scope, id, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: id }, spec });

  test('compliant: our PDB is the only one', () => {
    const { root, svc } = app();
    expect(control(root, 'ml/scorer', 'AVL-2')).toMatchObject({ status: 'enforced', evidence: [expect.stringMatching(new RegExp(`^PodDisruptionBudget ${svc.name} selects`))] });
  });

  test('fails when a second PDB selects our pods (matchExpressions count)', () => {
    const { root, chart, svc } = app();
    const [key, value] = Object.entries<string>(podsOf(svc))[0];
    pdb(chart, 'second', { maxUnavailable: 1, selector: { matchExpressions: [{ key, operator: 'In', values: [value] }] } });
    expect(control(root, 'ml/scorer', 'AVL-2')).toMatchObject({ status: 'violated', evidence: [expect.stringMatching(/PodDisruptionBudget second all select|, PodDisruptionBudget second all select/)] });
  });

  test('a PDB whose NotIn expression excludes the pods does not count', () => {
    const { root, chart, svc } = app();
    const [key, value] = Object.entries<string>(podsOf(svc))[0];
    pdb(chart, 'not-ours', { maxUnavailable: 1, selector: { matchExpressions: [{ key, operator: 'NotIn', values: [value] }] } });
    expect(control(root, 'ml/scorer', 'AVL-2').status).toBe('enforced');
  });

  test('fails when our PDB is patched by JsonPatch (the L1 drops a bare 0, which leaves no budget field at all)', () => {
    const { root, svc } = app();
    svc.podDisruptionBudget.addJsonPatch(JsonPatch.replace('/spec/maxUnavailable', 0));
    expect(control(root, 'ml/scorer', 'AVL-2')).toMatchObject({ status: 'violated', evidence: [expect.stringMatching(/sets neither minAvailable nor maxUnavailable/)] });
  });

  test('fails when a budget blocks every disruption or protects nothing (maxUnavailable 0 / "0%", minAvailable "100%" / >= replicas / 0)', () => {
    const cases: Array<[any, string, RegExp | undefined]> = [
      [{ maxUnavailable: 0 }, 'violated', /maxUnavailable=0 blocks every voluntary disruption/],
      [{ maxUnavailable: '0%' }, 'violated', /maxUnavailable="0%" blocks/],
      [{ minAvailable: '100%' }, 'violated', /"100%" blocks every/],
      [{ minAvailable: 2 }, 'violated', /minAvailable=2 >= 2 replicas/],
      [{ minAvailable: 0 }, 'violated', /protects nothing/],
      [{ minAvailable: 1 }, 'enforced', undefined],
      [{ maxUnavailable: '50%' }, 'enforced', undefined],
      [{ maxUnavailable: 'one' }, 'unverified', /cannot be read/],
    ];
    for (const [budget, status, message] of cases) {
      const root = new App({ outdir: tmpdir() });
      const chart = new Chart(root, 'c');
      rawDeployment(chart, 'web').addJsonPatch(JsonPatch.replace('/spec/replicas', 2));
      pdb(chart, 'web-pdb', { ...budget, selector: { matchLabels: { app: 'web' } } });
      const r = control(root, 'c/web', 'AVL-2');
      expect([budget, r.status]).toEqual([budget, status]);
      if (message) {
        expect(r.evidence[0]).toMatch(message);
      }
    }
  });

  test('minAvailable is compared with the autoscaler minimum, not spec.replicas', () => {
    const root = new App({ outdir: tmpdir() });
    const chart = new Chart(root, 'c');
    rawDeployment(chart, 'web').addJsonPatch(JsonPatch.replace('/spec/replicas', 5));
    pdb(chart, 'web-pdb', { minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    expect(control(root, 'c/web', 'AVL-2').status).toBe('enforced');
    new ApiObject(chart, 'hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'hpa' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 4 },
    });
    expect(control(root, 'c/web', 'AVL-2').evidence[0]).toMatch(/minAvailable=2 >= 2 replicas/);
  });

  test('fails for a foreign Deployment with no PDB, and a PDB of another namespace does not count', () => {
    const root = new App({ outdir: tmpdir() });
    rawDeployment(new Chart(root, 'a', { namespace: 'a' }), 'web');
    pdb(new Chart(root, 'b', { namespace: 'b' }), 'web', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } });
    expect(control(root, 'a/web', 'AVL-2')).toMatchObject({ status: 'violated', evidence: ['Deployment web: no PodDisruptionBudget of namespace a selects its pods'] });
  });
});

describe('AVL-3: zone and node spread plus pod anti-affinity, each selecting the workload\'s own pods', () => {
  const spec = '/spec/template/spec';
  test('compliant: ours spreads on zone and hostname with anti-affinity', () => {
    const { root } = app();
    expect(control(root, 'ml/scorer', 'AVL-3').status).toBe('enforced');
  });

  test('fails when a mutation removes the zone constraint, the anti-affinity, or points a selector at other pods', () => {
    const mutations: Array<[(d: ApiObject) => void, RegExp]> = [
      [(d) => d.addJsonPatch(JsonPatch.remove(`${spec}/topologySpreadConstraints/0`)), /none on topology\.kubernetes\.io\/zone/],
      [(d) => d.addJsonPatch(JsonPatch.remove(`${spec}/affinity`)), /podAntiAffinity="no term/],
      [(d) => d.addJsonPatch(JsonPatch.replace(`${spec}/topologySpreadConstraints/1/labelSelector`, { matchLabels: { app: 'other' } })), /none on kubernetes\.io\/hostname/],
      [(d) => d.addJsonPatch(JsonPatch.remove(`${spec}/topologySpreadConstraints/0/labelSelector`)), /none on topology\.kubernetes\.io\/zone/],
      [(d) => d.addJsonPatch(JsonPatch.replace(`${spec}/affinity/podAntiAffinity`, {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'other' } } } }],
      })), /podAntiAffinity="no term/],
    ];
    for (const [mutate, message] of mutations) {
      const { root, svc } = app();
      mutate(svc.deployment);
      const r = control(root, 'ml/scorer', 'AVL-3');
      expect(r.status).toBe('violated');
      expect(r.evidence.join('\n')).toMatch(message);
    }
  });
});

describe('AVL-4: RollingUpdate with maxUnavailable 0, maxSurge > 0 and a progress deadline (no automatic rollback)', () => {
  test('compliant: ours, and the evidence says what a failed rollout does', () => {
    const { root } = app();
    expect(control(root, 'ml/scorer', 'AVL-4')).toMatchObject({ status: 'enforced', evidence: expect.arrayContaining([expect.stringMatching(/the old ReplicaSet keeps serving/)]) });
  });

  test('fails when ours is patched to Recreate or to the default rolling update (25%/25%); a deadline that is not a number is unverified', () => {
    const mutations: Array<[any, string]> = [
      [JsonPatch.replace('/spec/strategy', { type: 'Recreate' }), 'violated'],
      [JsonPatch.replace('/spec/strategy', { type: 'RollingUpdate' }), 'violated'],
      [JsonPatch.add('/spec/progressDeadlineSeconds', '${DEADLINE}'), 'unverified'],
    ];
    for (const [patch, status] of mutations) {
      const { root, svc } = app();
      svc.deployment.addJsonPatch(patch);
      expect([patch, control(root, 'ml/scorer', 'AVL-4').status]).toEqual([patch, status]);
    }
  });

  test('fails for foreign workloads with maxUnavailable 1, maxSurge 0, or a StatefulSet; passes for 0 / "25%"', () => {
    const cases: Array<[any, string]> = [
      [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } }, 'violated'],
      [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }, 'violated'],
      [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0%', maxSurge: '25%' } }, 'enforced'],
      [{ type: 'Recreate' }, 'violated'],
    ];
    for (const [strategy, status] of cases) {
      const root = new App({ outdir: tmpdir() });
      const chart = new Chart(root, 'c');
      rawDeployment(chart, 'web').addJsonPatch(JsonPatch.add('/spec/strategy', strategy));
      expect([strategy, control(root, 'c/web', 'AVL-4').status]).toEqual([strategy, status]);
    }
    const { root, chart } = app();
    new ApiObject(chart, 'db', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { serviceName: 'db', replicas: 3, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } } },
    });
    expect(control(root, 'ml/db', 'AVL-4')).toMatchObject({ status: 'violated', evidence: [expect.stringMatching(/a StatefulSet cannot surge/)] });
  });
});

describe('JOB-1..3 on foreign Jobs and ours', () => {
  const job = (scope: Construct, id: string, jobSpec: any, podSpec: any = { restartPolicy: 'Never' }) => new ApiObject(scope, id, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: id },
    spec: { ...jobSpec, template: { spec: { ...podSpec, containers: [{ name: 'main', image: TRAIN_IMAGE }] } } },
  });
  const trainingApp = () => {
    const root = new App({ outdir: tmpdir() });
    const chart = new Chart(root, 'ml');
    const train = new CompliantTrainingJob(chart, 'train', { image: ImageReference.fromString(TRAIN_IMAGE), logShipping: shipping });
    return { root, chart, train };
  };

  test('compliant: ours enforces all three', () => {
    const { root } = trainingApp();
    expect(['JOB-1', 'JOB-2', 'JOB-3'].map((id) => control(root, 'ml/train', id).status)).toEqual(['enforced', 'enforced', 'enforced']);
  });

  test('JOB-1 fails with OnFailure, backoffLimit 10 or -1; an unset backoffLimit is the API default 6', () => {
    const { root, chart } = trainingApp();
    job(chart, 'onfailure', { backoffLimit: 2 }, { restartPolicy: 'OnFailure' });
    job(chart, 'many', { backoffLimit: 10 });
    job(chart, 'negative', { backoffLimit: -1 });
    job(chart, 'default', {});
    expect(control(root, 'ml/onfailure', 'JOB-1').evidence[0]).toMatch(/restartPolicy="OnFailure" \(needs Never/);
    expect(control(root, 'ml/many', 'JOB-1').evidence[0]).toMatch(/backoffLimit=10 \(outside 0\.\.6\)/);
    expect(control(root, 'ml/negative', 'JOB-1').status).toBe('violated');
    expect(control(root, 'ml/default', 'JOB-1')).toMatchObject({ status: 'enforced', evidence: expect.arrayContaining(['Job default spec.backoffLimit=6']) });
  });

  test('JOB-1 fails for a CronJob whose jobTemplate restarts OnFailure, a Job without restartPolicy, and ours patched to OnFailure', () => {
    const { root, chart, train } = trainingApp();
    new ApiObject(chart, 'cron', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cron' },
      spec: { schedule: '@daily', jobTemplate: { spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'm', image: TRAIN_IMAGE }] } } } } },
    });
    job(chart, 'unset', { backoffLimit: 1 }, {});
    train.job!.addJsonPatch(JsonPatch.replace('/spec/template/spec/restartPolicy', 'OnFailure'));
    expect(control(root, 'ml/cron', 'JOB-1').evidence[0]).toMatch(/^CronJob cron spec\.jobTemplate\.spec\.template\.spec\.restartPolicy="OnFailure"/);
    expect(control(root, 'ml/unset', 'JOB-1').evidence[0]).toMatch(/restartPolicy=null/);
    expect(control(root, 'ml/train', 'JOB-1').status).toBe('violated');
  });

  test('JOB-2: a negative deadline is violated, one the output cannot read is unverified', () => {
    const { root, chart } = trainingApp();
    job(chart, 'negative', { activeDeadlineSeconds: -5 });
    job(chart, 'templated', { activeDeadlineSeconds: '{{ .Values.deadline }}' });
    expect(control(root, 'ml/negative', 'JOB-2').status).toBe('violated');
    expect(control(root, 'ml/templated', 'JOB-2').status).toBe('unverified');
  });

  test('JOB-2 fails without activeDeadlineSeconds (also on ours by JsonPatch) or with 0; a CronJob needs it on the jobTemplate', () => {
    const { root, chart, train } = trainingApp();
    train.job!.addJsonPatch(JsonPatch.remove('/spec/activeDeadlineSeconds'));
    job(chart, 'zero', { activeDeadlineSeconds: 0 });
    new ApiObject(chart, 'cron', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cron' },
      spec: { schedule: '@daily', activeDeadlineSeconds: 60, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: TRAIN_IMAGE }] } } } } },
    });
    expect(control(root, 'ml/train', 'JOB-2').status).toBe('violated');
    expect(control(root, 'ml/zero', 'JOB-2').status).toBe('violated');
    expect(control(root, 'ml/cron', 'JOB-2').evidence[0]).toMatch(/spec\.jobTemplate\.spec\.activeDeadlineSeconds=null/);
  });

  test('JOB-3 fails when a foreign Job has ttl 0 or one shorter than the default window (86400 s); unset keeps the Job', () => {
    const { root, chart, train } = trainingApp();
    job(chart, 'ttl0', { ttlSecondsAfterFinished: 0 });
    job(chart, 'hour', { ttlSecondsAfterFinished: 3600 });
    job(chart, 'day', { ttlSecondsAfterFinished: 86400 });
    job(chart, 'unset', {});
    expect(control(root, 'ml/ttl0', 'JOB-3')).toMatchObject({ status: 'violated', evidence: [expect.stringMatching(/ttlSecondsAfterFinished=0 \(< the evidence-harvest window 86400s/)] });
    expect(control(root, 'ml/hour', 'JOB-3').status).toBe('violated');
    expect(control(root, 'ml/day', 'JOB-3').status).toBe('enforced');
    expect(control(root, 'ml/unset', 'JOB-3')).toMatchObject({ status: 'enforced', evidence: [expect.stringMatching(/unset \(the Job is kept until deleted by hand\)/)] });
    train.job!.addJsonPatch(JsonPatch.replace('/spec/ttlSecondsAfterFinished', 60));
    expect(control(root, 'ml/train', 'JOB-3').status).toBe('violated');
  });

  test('JOB-3 fails for a CronJob that keeps no finished Jobs', () => {
    const { root, chart } = trainingApp();
    new ApiObject(chart, 'cron', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cron' },
      spec: { schedule: '@daily', failedJobsHistoryLimit: 0, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: TRAIN_IMAGE }] } } } } },
    });
    expect(control(root, 'ml/cron', 'JOB-3').evidence[0]).toMatch(/spec\.failedJobsHistoryLimit=0 \(finished Jobs are deleted at once\)/);
  });
});

describe('every ApiObject of the tree is reported', () => {
  test('a foreign Deployment created inside our construct\'s scope is reported, and our own objects are not reported twice', () => {
    const { root, svc } = app();
    rawDeployment(svc as unknown as Chart, 'sidecar-app'); // any scope inside a chart holds ApiObjects
    const paths = Object.keys(byPath(ComplianceReport.of(root).toJson()));
    expect(paths).toEqual(['ml/scorer', 'ml/scorer/sidecar-app']);
    expect(control(root, 'ml/scorer/sidecar-app', 'IMG-2').status).toBe('violated');
  });

  test('complianceEntry() called on its own sees the objects of every chart', () => {
    const { root, svc } = app();
    policy(new Chart(root, 'platform'), 'open', { podSelector: {}, ingress: [{}] });
    expect(svc.complianceEntry().controls.find((c) => c.id === 'NET-1')!.status).toBe('violated');
  });
});

describe('REG-3: a signature policy counts only when it reaches the namespace\'s Pods and enforces', () => {
  const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFN8gGjQua2g8N+aLxOzS0pgiOKxMGqWsz1nn0Ns4VdOOWpxF1eNgtkTnMkjMTbYEgKV9Ye4a7aw0NhVH2Xz9sg==\n-----END PUBLIC KEY-----';
  /** A Kyverno ClusterPolicy verifying ghcr.io/acme images, with changes applied to its spec and rule. */
  type Change = { spec?: any; rule?: any; entry?: any; kind?: string; namespace?: string };
  const kyverno = (scope: Construct, id: string, change: Change = {}) => new ApiObject(scope, id, {
    apiVersion: 'kyverno.io/v1',
    kind: change.kind ?? 'ClusterPolicy',
    metadata: { name: id, namespace: change.namespace },
    spec: {
      validationFailureAction: 'Enforce',
      ...change.spec,
      rules: [{
        name: 'verify',
        match: { any: [{ resources: { kinds: ['Pod'] } }] },
        ...change.rule,
        verifyImages: [{ imageReferences: ['ghcr.io/acme/*'], attestors: [{ entries: [{ keys: { publicKeys: PEM } }] }], ...change.entry }],
      }],
    },
  });
  const reg3 = (root: App) => control(root, 'ml/scorer', 'REG-3');

  test('compliant: an enforcing Kyverno ClusterPolicy covering every image of the pod', () => {
    const { root, chart } = app('ml');
    kyverno(chart, 'verify');
    expect(reg3(root)).toMatchObject({ status: 'enforced', evidence: [expect.stringMatching(/^ClusterPolicy verify spec\.rules\[0\]\.verifyImages\[0\]\.imageReferences=\["ghcr\.io\/acme\/\*"\] covers Deployment/)] });
  });

  test('fails when the policy audits only (spec.validationFailureAction Audit, the rule\'s failureAction, or an override for the namespace)', () => {
    const variants = [
      { spec: { validationFailureAction: 'Audit' } },
      { entry: { failureAction: 'Audit' } },
      { spec: { validationFailureActionOverrides: [{ action: 'Audit', namespaces: ['m*'] }] } },
    ];
    for (const change of variants) {
      const { root, chart } = app('ml');
      kyverno(chart, 'verify', change);
      expect(reg3(root)).toMatchObject({ status: 'external', evidence: [expect.stringMatching(/in Audit mode only, so unsigned images still run/)] });
    }
  });

  test('fails when the match does not reach the namespace\'s Pods: other namespaces, other kinds, an exclude, a Policy of another namespace', () => {
    const variants: Array<[any, RegExp]> = [
      [{ rule: { match: { any: [{ resources: { kinds: ['Pod'], namespaces: ['prod-*'] } }] } } }, /matches namespaces \["prod-\*"\], not ml/],
      [{ rule: { match: { any: [{ resources: { kinds: ['Service'] } }] } } }, /matches kinds \["Service"\], not Pod/],
      [{ rule: { exclude: { any: [{ resources: { namespaces: ['ml'] } }] } } }, /exclude block that may exclude/],
      [{ kind: 'Policy', namespace: 'other' }, /is a Policy of namespace other/],
      [{ rule: { match: { any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchLabels: { signed: 'true' } } } }] } } }, /the Namespace ml is not in the output/],
      [{ entry: { skipImageReferences: ['ghcr.io/acme/fraud-*'] } }, /no signature policy of this app covers it/],
    ];
    for (const [change, message] of variants) {
      const { root, chart } = app('ml');
      kyverno(chart, 'verify', change);
      const r = reg3(root);
      expect([change, r.status]).toEqual([change, 'external']);
      expect(r.evidence[0]).toMatch(message);
    }
  });

  test('a namespaceSelector counts when the Namespace object of the output carries the labels; the Deployment kind counts for Deployments', () => {
    const { root, chart } = app('ml');
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml', labels: { signed: 'true' } } });
    kyverno(chart, 'verify', { rule: { match: { all: [{ resources: { kinds: ['apps/v1/Deployment'], namespaceSelector: { matchLabels: { signed: 'true' } } } }] } } });
    expect(reg3(root).status).toBe('enforced');
  });

  test('sigstore: warn mode, or a namespace without policy.sigstore.dev/include=true, does not enforce', () => {
    const { root, chart } = app('ml');
    const cip = new ApiObject(chart, 'cip', {
      apiVersion: 'policy.sigstore.dev/v1beta1',
      kind: 'ClusterImagePolicy',
      metadata: { name: 'cip' },
      spec: { mode: 'warn', images: [{ glob: 'ghcr.io/acme/**' }], authorities: [{ key: { data: PEM } }] },
    });
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml', labels: { 'policy.sigstore.dev/include': 'true' } } });
    expect(reg3(root)).toMatchObject({ status: 'external', evidence: [expect.stringMatching(/in warn mode only/)] });
    cip.addJsonPatch(JsonPatch.replace('/spec/mode', 'enforce'));
    expect(reg3(root).status).toBe('enforced');
  });
});
