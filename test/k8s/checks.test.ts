/* eslint-disable @typescript-eslint/no-explicit-any */
import { ControlScope, ControlStatus } from '../../src';
import { evaluateK8sWorkload } from '../../src/k8s/checks/workload-checks';

// A foreign Deployment as plain cdk8s-plus users often write it: every control of the catalogue should flag it, except META-2
// (it declares no model, so model provenance does not apply).
const bad = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'legacy', labels: { app: 'legacy' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'legacy' } },
    strategy: { type: 'Recreate' },
    template: {
      metadata: { labels: { app: 'legacy' } },
      spec: {
        hostNetwork: true,
        volumes: [{ name: 'host', hostPath: { path: '/var/run' } }],
        containers: [{
          name: 'app',
          image: 'python:latest',
          imagePullPolicy: 'IfNotPresent',
          env: [{ name: 'DB_PASSWORD', value: 'hunter2' }],
          ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: { privileged: true, allowPrivilegeEscalation: true, capabilities: { add: ['SYS_ADMIN'] }, readOnlyRootFilesystem: false, runAsUser: 0 },
        }],
      },
    },
  },
};

function results(obj: any, all: any[] = [obj], scope = ControlScope.SERVICE, waivers: any[] = []) {
  return Object.fromEntries(evaluateK8sWorkload(obj, all, scope, waivers).map((c) => [c.id, c]));
}

test('a non-compliant foreign Deployment violates every in-manifest control, with the offending field as evidence', () => {
  const r = results(bad);
  const violated = Object.values(r).filter((c: any) => c.status === ControlStatus.VIOLATED).map((c: any) => c.id).sort();
  expect(violated).toEqual(['AVL-1', 'AVL-2', 'AVL-3', 'AVL-4', 'IMG-1', 'IMG-2', 'IMG-3', 'META-1', 'NET-1', 'PRB-1', 'RES-1',
    'SEC-1', 'SEC-2', 'SEC-3', 'SEC-4', 'SEC-5', 'SEC-6', 'SEC-7', 'SEC-8', 'SEC-9'].sort());
  expect(r['IMG-1'].evidence).toEqual(['Deployment legacy spec.template.spec.containers[0].image="python:latest" (no sha256/sha512 digest)']);
  expect(r['SEC-7'].evidence).toEqual(expect.arrayContaining([
    'Deployment legacy spec.template.spec.hostNetwork=true',
    'Deployment legacy spec.template.spec.volumes[0]=["hostPath"] (volume type outside the PSS restricted list)',
    'Deployment legacy spec.template.spec.containers[0].ports[0].hostPort=80',
  ]));
  expect(r['SEC-9'].evidence[0]).toMatch(/env\[0\]\.name="DB_PASSWORD" \(its name denotes a secret and it has a literal value\)/);
  expect(r['META-2'].status).toBe(ControlStatus.NOT_APPLICABLE);
  expect(r['AVL-2'].evidence).toEqual(['Deployment legacy: no PodDisruptionBudget of namespace (unset) selects its pods']);
  expect(r['LOG-1'].status).toBe(ControlStatus.EXTERNAL);
});

test('a waiver turns a violation into waived and keeps the evidence', () => {
  const r = results(bad, [bad], ControlScope.SERVICE, [{ control: 'AVL-1', reason: 'batch-like singleton' }]);
  expect(r['AVL-1']).toMatchObject({ status: ControlStatus.WAIVED, waiver: { reason: 'batch-like singleton' }, evidence: ['Deployment legacy spec.replicas=1'] });
});

test('PDB and NetworkPolicy in the same namespace count only when they select the pods', () => {
  const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'legacy' } } } };
  const otherPdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'q' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'other' } } } };
  const zeroPdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'z' }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'legacy' } } } };
  const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
  const ingressOnly = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'i' }, spec: { podSelector: { matchLabels: { app: 'legacy' } } } };
  expect(results(bad, [bad, pdb, np])['AVL-2'].status).toBe(ControlStatus.ENFORCED);
  expect(results(bad, [bad, pdb, np])['NET-1'].status).toBe(ControlStatus.ENFORCED);
  expect(results(bad, [bad, otherPdb])['AVL-2'].status).toBe(ControlStatus.VIOLATED);
  expect(results(bad, [bad, zeroPdb])['AVL-2'].evidence[0]).toMatch(/maxUnavailable=0 blocks every voluntary disruption/);
  expect(results(bad, [bad, ingressOnly])['NET-1'].evidence[0]).toMatch(/no selecting NetworkPolicy restricts Egress \(i select its pods\)/);
});

test('jobs: OnFailure, no deadline and a TTL of 0 are violations; PRB-1 is not applicable', () => {
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'train' },
    spec: { ttlSecondsAfterFinished: 0, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: `x@sha256:${'a'.repeat(64)}` }] } } },
  };
  const r = results(job, [job], ControlScope.JOB);
  expect([r['JOB-1'].status, r['JOB-2'].status, r['JOB-3'].status]).toEqual([ControlStatus.VIOLATED, ControlStatus.VIOLATED, ControlStatus.VIOLATED]);
  expect(r['PRB-1'].status).toBe(ControlStatus.NOT_APPLICABLE);
  expect(r['IMG-1'].status).toBe(ControlStatus.ENFORCED);
  expect(r['AVL-1']).toBeUndefined();
});
