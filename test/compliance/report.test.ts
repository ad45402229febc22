import { Backend, ComplianceReport, ControlStatus, WorkloadReport } from '../../src';

const workloadB: WorkloadReport = {
  path: 'fraud/scorer',
  kind: 'CompliantModelService',
  backend: Backend.KUBERNETES,
  images: ['ghcr.io/acme/scorer@sha256:' + 'a'.repeat(64)],
  model: { name: 'fraud-scorer', version: '1.4.2' },
  controls: [
    { id: 'SEC-1', status: ControlStatus.ENFORCED, articles: ['Art. 15(5)'], evidence: ['Deployment x spec.template.spec.securityContext.runAsNonRoot=true'] },
    { id: 'IMG-1', status: ControlStatus.ENFORCED, articles: ['Art. 15(1)'], evidence: ['image pinned'] },
    {
      id: 'AVL-1',
      status: ControlStatus.WAIVED,
      articles: ['Art. 15(4)'],
      evidence: ['replicas=1'],
      waiver: { control: 'AVL-1', reason: 'one GPU | in dev', expires: '2027-01-01' },
    },
  ],
};
const workloadA: WorkloadReport = {
  path: 'batch/legacy',
  kind: 'Deployment',
  backend: Backend.KUBERNETES,
  images: ['python:3.12'],
  controls: [{ id: 'IMG-1', status: ControlStatus.VIOLATED, articles: ['Art. 15(1)'], evidence: ['Deployment legacy image "python:3.12" has no digest'] }],
};

test('JSON has the DESIGN §4 shape, workloads sorted by path and controls in catalogue order', () => {
  const json = ComplianceReport.fromWorkloads([workloadB, workloadA]).toJson();
  expect(json.schemaVersion).toBe('1');
  expect(json.generator).toBe('cdk-compliant-ml');
  expect(json.workloads.map((w: WorkloadReport) => w.path)).toEqual(['batch/legacy', 'fraud/scorer']);
  expect(json.workloads[1].controls.map((c: { id: string }) => c.id)).toEqual(['IMG-1', 'SEC-1', 'AVL-1']);
  expect(json.workloads[0].model).toBeUndefined();
  expect(Object.keys(json.workloads[0])).toEqual(['path', 'kind', 'backend', 'images', 'controls']);
  expect(json.summary).toMatchObject({ 'enforced': 2, 'waived': 1, 'violated': 1, 'not-applicable': 0 });
});

test('rendering is deterministic: input order does not change the bytes', () => {
  const one = ComplianceReport.fromWorkloads([workloadA, workloadB]);
  const two = ComplianceReport.fromWorkloads([workloadB, workloadA]);
  expect(one.toJsonString()).toBe(two.toJsonString());
  expect(one.toMarkdown()).toBe(two.toMarkdown());
  expect(one.toJsonString().endsWith('}\n')).toBe(true);
});

test('JSON text: indented down to the controls, one line per control and per acknowledged rule, parsing back to toJson()', () => {
  const withAcks: WorkloadReport = {
    ...workloadA,
    path: 'batch/acked',
    acknowledgedRules: [
      { rule: 'AwsSolutions-ECS2', reason: 'no secrets in the environment', path: 'batch/acked/Task' },
      { rule: 'AwsSolutions-IAM5', reason: 'ecr:GetAuthorizationToken has no resource', path: 'batch/acked/Role' },
    ],
  };
  const report = ComplianceReport.fromWorkloads([workloadB, workloadA, withAcks]);
  const text = report.toJsonString();
  expect(JSON.parse(text)).toEqual(report.toJson());
  const lines = text.split('\n');
  expect(lines.slice(0, 3)).toEqual(['{', '  "schemaVersion": "1",', '  "generator": "cdk-compliant-ml",']);
  expect(lines).toContain('      "controls": [');
  expect(lines).toContain('        {"id":"IMG-1","status":"violated","articles":["Art. 15(1)"],'
    + '"evidence":["Deployment legacy image \\"python:3.12\\" has no digest"]}');
  expect(lines).toContain('        {"id":"AVL-1","status":"waived","articles":["Art. 15(4)"],"evidence":["replicas=1"],'
    + '"waiver":{"control":"AVL-1","reason":"one GPU | in dev","expires":"2027-01-01"}}');
  // acknowledged rules sorted by resource path, one per line
  expect(lines).toContain('        {"rule":"AwsSolutions-IAM5","reason":"ecr:GetAuthorizationToken has no resource","path":"batch/acked/Role"},');
  expect(lines).toContain('        {"rule":"AwsSolutions-ECS2","reason":"no secrets in the environment","path":"batch/acked/Task"}');
  // every control is exactly one line
  const controlLines = lines.filter((l) => l.startsWith('        {"id":'));
  expect(controlLines).toHaveLength(5);
  expect(controlLines.map((l) => JSON.parse(l.replace(/,$/, '')).id)).toEqual(['IMG-1', 'IMG-1', 'IMG-1', 'SEC-1', 'AVL-1']);
  expect(text.endsWith('\n    }\n  ]\n}\n')).toBe(true);
  // an empty report is valid JSON too
  const empty = ComplianceReport.fromWorkloads([]).toJsonString();
  expect(JSON.parse(empty)).toEqual(ComplianceReport.fromWorkloads([]).toJson());
  expect(empty.endsWith('  "workloads": []\n}\n')).toBe(true);
});

test('violations lists every violated control with its evidence', () => {
  expect(ComplianceReport.fromWorkloads([workloadB, workloadA]).violations()).toEqual([
    { path: 'batch/legacy', control: 'IMG-1', evidence: ['Deployment legacy image "python:3.12" has no digest'], status: ControlStatus.VIOLATED },
  ]);
});

test('Markdown has a table per workload with control, status, articles, evidence and escaped pipes', () => {
  const md = ComplianceReport.fromWorkloads([workloadB]).toMarkdown();
  expect(md).toContain('## fraud/scorer');
  expect(md).toContain('| control | title | severity | status | articles | evidence |');
  expect(md).toContain('| SEC-1 | Runs as non-root with a non-zero UID/GID >= 10000 | high | enforced | Art. 15(5) | Deployment x spec.template.spec.securityContext.runAsNonRoot=true |');
  expect(md).toContain('waiver: one GPU \\| in dev (expires 2027-01-01)');
  expect(md).toContain('| waived | 1 |');
});
