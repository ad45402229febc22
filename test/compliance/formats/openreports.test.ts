/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { checkReport, inputOf, namespacedApp, WAIVER } from './format-inputs';
import { ComplianceReport } from '../../../src/compliance/compliance-report';
import { POLICY_RESULT_OF_STATUS, renderOpenReports, renderPolicyReport } from '../../../src/compliance/formats/openreports';
import { dnsLabelFor, kubernetesObjectOf, reportEpochSeconds } from '../../../src/compliance/formats/workload-object';
import { Backend, ControlStatus, WorkloadReport } from '../../../src/compliance/report-model';

const objectsOf = (text: string): any[] => parseAllDocuments(text).map((d) => d.toJSON());
const byWorkload = (objects: any[]): Record<string, any> =>
  Object.fromEntries(objects.map((o) => [o.metadata.annotations['compliance.cdk-compliant-ml.io/workload'], o]));

/** A workload entry with one control of each status (evidence as the Kubernetes checkers write it). */
function everyStatus(path = 'app/web', backend = Backend.KUBERNETES): WorkloadReport {
  const statuses = Object.values(ControlStatus);
  const ids = ['IMG-1', 'IMG-2', 'IMG-3', 'SEC-1', 'SEC-2', 'SEC-3', 'NET-1', 'RES-1'];
  return {
    path,
    kind: 'Deployment',
    backend,
    images: ['nginx:latest'],
    controls: statuses.map((status, i) => ({
      id: ids[i],
      status,
      articles: ['Art. 15(5)', 'Art. 12(2)(a)'],
      evidence: ids[i] === 'NET-1'
        ? ['NetworkPolicy web-deny (namespace shop) spec.policyTypes=["Ingress","Egress"]']
        : [`Deployment web spec.template.spec.containers[0].image="nginx:latest" (${status})`, 'Deployment web second line'],
      ...(status === ControlStatus.WAIVED ? { waiver: { ...WAIVER, control: ids[i] }, waiverSource: 'manifest annotation at web.yaml:5' } : {}),
    })),
  };
}

describe('OpenReports: one Report per workload in its namespace, scope = the workload object', () => {
  const report = ComplianceReport.of(namespacedApp());
  const objects = byWorkload(objectsOf(renderOpenReports(inputOf(report))));

  test('our construct and the foreign Deployments get a Report in their namespace; the one without a namespace a ClusterReport', () => {
    const scopes = Object.fromEntries(Object.entries(objects).map(([path, o]) => [path, [o.kind, o.metadata.namespace, o.scope]]));
    const scorer = report.workloads.find((w) => w.path === 'serving/scorer')!;
    const scorerName = /^Deployment (\S+) /.exec(scorer.controls[0].evidence[0])![1];
    expect(scopes).toEqual({
      'serving/scorer': ['Report', 'serving', { apiVersion: 'apps/v1', kind: 'Deployment', name: scorerName, namespace: 'serving' }],
      'legacy/alpha': ['Report', 'team-a', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'alpha', namespace: 'team-a' }],
      'legacy/beta': ['Report', 'team-b', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'beta', namespace: 'team-b' }],
      'legacy/gamma': ['ClusterReport', undefined, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gamma' }],
    });
  });

  test('one result per control of the workload, in catalogue order, with source, policy, rule, severity and string properties', () => {
    for (const w of report.toJson().workloads) {
      const o = objects[w.path];
      expect(o.results.map((r: any) => r.policy)).toEqual(w.controls.map((c: any) => c.id));
      for (const r of o.results) {
        expect(r).toMatchObject({ source: 'cdk-compliant-ml', timestamp: { seconds: 0, nanos: 0 } });
        expect(['critical', 'high', 'medium', 'low']).toContain(r.severity);
        expect(Object.values(r.properties).every((v) => typeof v === 'string')).toBe(true);
        const control = w.controls.find((c: any) => c.id === r.policy);
        expect(r.properties).toMatchObject({ status: control.status, articles: control.articles.join(', '), evidence: control.evidence.join('\n') });
      }
      const counted = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 } as Record<string, number>;
      o.results.forEach((r: any) => counted[r.result]++);
      expect(o.summary).toEqual(counted);
    }
  });

  test('the waiver in the annotation is a skip with its reason, expiry, approver and source', () => {
    const sec1 = objects['legacy/alpha'].results.find((r: any) => r.policy === 'SEC-1');
    expect(sec1).toMatchObject({
      result: 'skip',
      message: `waived: ${WAIVER.reason} (expires ${WAIVER.expires}) (approved by ${WAIVER.approvedBy})`,
      properties: { status: 'waived', waiverReason: WAIVER.reason, waiverExpires: WAIVER.expires, waiverApprovedBy: WAIVER.approvedBy },
    });
    expect(sec1.properties.waiverSource).toMatch(/annotation/);
  });

  test('fails when a foreign workload breaks a control: its result is fail with the evidence as message', () => {
    const img2 = objects['legacy/beta'].results.find((r: any) => r.policy === 'IMG-2');
    expect(img2.result).toBe('fail');
    expect(img2.message).toMatch(/^violated: .*nginx:latest/);
  });

  test('report names are DNS-1123 labels, unique, and the same on every render', () => {
    const names = Object.values(objects).map((o) => o.metadata.name);
    names.forEach((n) => expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/));
    expect(new Set(names).size).toBe(names.length);
    expect(renderOpenReports(inputOf(ComplianceReport.of(namespacedApp())))).toBe(renderOpenReports(inputOf(report)));
  });
});

describe('the result of each status', () => {
  test('pass for enforced, equivalent, runtime-managed; fail for violated; warn for unverified; skip for external, not-applicable, waived', () => {
    expect(POLICY_RESULT_OF_STATUS).toEqual({
      'enforced': 'pass',
      'equivalent': 'pass',
      'runtime-managed': 'pass',
      'violated': 'fail',
      'unverified': 'warn',
      'external': 'skip',
      'not-applicable': 'skip',
      'waived': 'skip',
    });
    const [o] = objectsOf(renderOpenReports(inputOf(ComplianceReport.fromWorkloads([everyStatus()]))));
    expect(o.results.map((r: any) => [r.properties.status, r.result]))
      .toEqual(Object.values(ControlStatus).map((s) => [s, POLICY_RESULT_OF_STATUS[s]]));
    expect(o.summary).toEqual({ pass: 3, fail: 1, warn: 1, error: 0, skip: 3 });
    const external = o.results.find((r: any) => r.properties.status === 'external');
    expect(external.message).toMatch(/Action: /);
  });
});

test('the place of the first located evidence line is properties.location', () => {
  const report = ComplianceReport.fromWorkloads([everyStatus()]);
  const input = { report, locate: (_w: WorkloadReport, line: string) => (line.includes('second') ? { file: 'web.yaml', line: 9 } : undefined), origin: 'check' as const };
  const [o] = objectsOf(renderOpenReports(input));
  expect(o.results.filter((r: any) => r.policy !== 'NET-1').map((r: any) => r.properties.location)).toEqual(Array(7).fill('web.yaml:9'));
  expect(o.results.find((r: any) => r.policy === 'NET-1').properties.location).toBeUndefined();
});

describe('workloads without a Kubernetes object', () => {
  test('an ECS or image workload is a ClusterReport without scope; properties name the workload and backend', () => {
    const ecs = everyStatus('Serving/Api', Backend.ECS);
    const image = { ...everyStatus('images/Dockerfile', Backend.IMAGE), kind: 'Dockerfile' };
    const objects = objectsOf(renderOpenReports(inputOf(ComplianceReport.fromWorkloads([ecs, image]))));
    expect(objects.map((o) => [o.kind, o.scope, o.metadata.namespace])).toEqual([['ClusterReport', undefined, undefined], ['ClusterReport', undefined, undefined]]);
    expect(objects.map((o) => [o.results[0].properties.workload, o.results[0].properties.backend])).toEqual([['Serving/Api', 'ecs'], ['images/Dockerfile', 'image']]);
  });
});

describe('kubernetesObjectOf: the object a report entry is of', () => {
  test('a check input names it in its path; the namespace comes from the NET-1 evidence', () => {
    const w = { ...everyStatus(), path: 'manifests/web.yaml#Deployment/web' };
    expect(kubernetesObjectOf(w)).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' });
  });

  test('a custom resource has no apiVersion in the report, so its scope has none', () => {
    const w = { ...everyStatus(), path: 'isvc.yaml#InferenceService/llm/predictor', kind: 'InferenceService' };
    expect(kubernetesObjectOf(w)).toEqual({ kind: 'InferenceService', name: 'llm', namespace: 'shop' });
  });

  test('fails to name a namespace when NET-1 says (unset), and names none for ECS', () => {
    const w = everyStatus();
    const unset = { ...w, controls: w.controls.map((c) => (c.id === 'NET-1' ? { ...c, evidence: ['Deployment web: no NetworkPolicy of namespace (unset) selects its pods, so every ingress and egress is allowed'] } : c)) };
    expect(kubernetesObjectOf(unset)).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(kubernetesObjectOf(everyStatus('S/A', Backend.ECS))).toBeUndefined();
  });

  test('check on the mixed fixture directory: every Kubernetes scope is the kind and name of the path', async () => {
    const report = await checkReport();
    const objects = byWorkload(objectsOf(renderOpenReports(inputOf(report, 'check'))));
    const k8s = report.workloads.filter((w) => w.backend === Backend.KUBERNETES);
    expect(k8s.length).toBeGreaterThan(0);
    for (const w of k8s) {
      const [kind, name] = w.path.slice(w.path.lastIndexOf('#') + 1).split('/');
      expect(objects[w.path].scope).toMatchObject({ kind, name });
    }
  });
});

describe('determinism', () => {
  test('the same bytes for any input order, and twice in a row', () => {
    const workloads = [everyStatus('b/web'), everyStatus('a/web'), everyStatus('c/x', Backend.ECS)];
    const once = renderOpenReports(inputOf(ComplianceReport.fromWorkloads(workloads)));
    expect(renderOpenReports(inputOf(ComplianceReport.fromWorkloads([...workloads].reverse())))).toBe(once);
    expect(renderOpenReports(inputOf(ComplianceReport.fromWorkloads(workloads)))).toBe(once);
  });

  test('timestamps are SOURCE_DATE_EPOCH when set, else 0; never the clock', () => {
    expect(reportEpochSeconds({})).toBe(0);
    expect(reportEpochSeconds({ SOURCE_DATE_EPOCH: '1700000000' })).toBe(1700000000);
    expect(reportEpochSeconds({ SOURCE_DATE_EPOCH: 'yesterday' })).toBe(0);
    const saved = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      const [o] = objectsOf(renderOpenReports(inputOf(ComplianceReport.fromWorkloads([everyStatus()]))));
      expect(o.results[0].timestamp).toEqual({ seconds: 1700000000, nanos: 0 });
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH; else process.env.SOURCE_DATE_EPOCH = saved;
    }
  });

  test('names: any kind, name and path give a DNS-1123 label of at most 63 characters, the same each time', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (readable, key) => {
      const name = dnsLabelFor('cdk-compliant-ml', readable, key);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(dnsLabelFor('cdk-compliant-ml', readable, key)).toBe(name);
    }));
  });

  test('a check path FILE#Kind/name[/location] gives that kind and name, whatever the file', () => {
    const dns = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
    fc.assert(fc.property(fc.stringMatching(/^[^#]{1,30}$/), fc.constantFrom('Deployment', 'CronJob', 'RayJob'), dns, fc.option(dns), (file, kind, name, location) => {
      const w = { ...everyStatus(), kind, path: `${file}#${kind}/${name}${location ? `/${location}` : ''}` };
      expect(kubernetesObjectOf(w)).toMatchObject({ kind, name });
    }));
  });

  test('names: a long object name is cut to a 63-character label, and two paths never share one', () => {
    const long = dnsLabelFor('cdk-compliant-ml', `Deployment-${'x'.repeat(80)}`, 'a');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(dnsLabelFor('p', 'same', 'a')).not.toBe(dnsLabelFor('p', 'same', 'b'));
  });
});

describe('PolicyReport: the same results in the wgpolicyk8s.io/v1alpha2 kinds', () => {
  test('PolicyReport per namespace, ClusterPolicyReport without one, no report-level source, results as in OpenReports', () => {
    const report = ComplianceReport.of(namespacedApp());
    const open = objectsOf(renderOpenReports(inputOf(report)));
    const policy = objectsOf(renderPolicyReport(inputOf(report)));
    expect(policy.map((o) => [o.apiVersion, o.kind])).toEqual(open.map((o) => ['wgpolicyk8s.io/v1alpha2', o.kind === 'Report' ? 'PolicyReport' : 'ClusterPolicyReport']));
    expect(policy.map((o) => o.source)).toEqual(open.map(() => undefined));
    expect(policy.map((o) => [o.metadata, o.scope, o.results])).toEqual(open.map((o) => [o.metadata, o.scope, o.results]));
  });
});
