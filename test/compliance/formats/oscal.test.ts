/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { inputOf, namespacedApp, WAIVER } from './format-inputs';
import { ControlCatalogue } from '../../../src/compliance/catalogue';
import { ComplianceReport } from '../../../src/compliance/compliance-report';
import { renderOscalAssessmentResults, renderOscalComponentDefinition } from '../../../src/compliance/formats/oscal';
import { OSCAL_VERSION, uuidV5 } from '../../../src/compliance/formats/oscal-common';
import { Backend, ControlStatus, WorkloadReport } from '../../../src/compliance/report-model';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const assessment = (report: ComplianceReport, locate: (w: WorkloadReport, e: string) => any = () => undefined) =>
  JSON.parse(renderOscalAssessmentResults({ report, locate, origin: 'synth' }))['assessment-results'];
const propOf = (o: any, name: string): string | undefined => o.props?.find((p: any) => p.name === name)?.value;
const allUuids = (node: any, out: string[] = []): string[] => {
  if (Array.isArray(node)) {node.forEach((n) => allUuids(n, out));} else if (node && typeof node === 'object') {
    if (typeof node.uuid === 'string') out.push(node.uuid);
    Object.values(node).forEach((v) => allUuids(v, out));
  }
  return out;
};

function workload(workloadPath: string, statuses: Array<[string, ControlStatus]>, backend = Backend.KUBERNETES): WorkloadReport {
  return {
    path: workloadPath,
    kind: 'Deployment',
    backend,
    images: ['nginx:1.27'],
    controls: statuses.map(([id, status]) => ({
      id,
      status,
      articles: ControlCatalogue.get(id).articles,
      evidence: [`Deployment web spec.x=${status}`],
      ...(status === ControlStatus.WAIVED ? { waiver: { ...WAIVER, control: id }, waiverSource: 'manifest annotation at web.yaml:7' } : {}),
    })),
  };
}

describe('OSCAL assessment-results: observations with the evidence, findings for violated and unverified, risks for waived', () => {
  const report = ComplianceReport.fromWorkloads([
    workload('app/web', [['IMG-1', ControlStatus.ENFORCED], ['IMG-2', ControlStatus.VIOLATED], ['SEC-1', ControlStatus.WAIVED], ['SEC-2', ControlStatus.UNVERIFIED]]),
    workload('Stack/Task', [['IMG-1', ControlStatus.EXTERNAL]], Backend.ECS),
  ]);
  const ar = assessment(report, (_w, e) => (e.includes('violated') ? { file: 'web.yaml', line: 12 } : undefined));
  const [result] = ar.results;

  test(`declares OSCAL ${OSCAL_VERSION}, one result, every workload as an inventory item`, () => {
    expect(ar.metadata['oscal-version']).toBe('1.2.1');
    expect(ar.results).toHaveLength(1);
    expect(result['local-definitions']['inventory-items'].map((i: any) => [propOf(i, 'workload'), propOf(i, 'backend')]))
      .toEqual([['Stack/Task', 'ecs'], ['app/web', 'kubernetes']]);
    expect(result['reviewed-controls']['control-selections']).toEqual([{ 'include-controls': ['IMG-1', 'IMG-2', 'SEC-1', 'SEC-2'].map((id) => ({ 'control-id': id })) }]);
  });

  test('one observation per control result, its subject the workload, its evidence the report lines (with file and line when located)', () => {
    expect(result.observations).toHaveLength(5);
    const violated = result.observations.find((o: any) => propOf(o, 'control-id') === 'IMG-2');
    expect(violated['relevant-evidence']).toEqual([{ href: 'web.yaml#L12', description: 'Deployment web spec.x=violated' }]);
    expect(violated.subjects[0]['subject-uuid']).toBe(result['local-definitions']['inventory-items'][1].uuid);
    expect(violated.props.filter((p: any) => p.name === 'ai-act-article').map((p: any) => p.value)).toEqual(ControlCatalogue.get('IMG-2').articles);
  });

  test('fails when a control is violated or unverified: a finding, not-satisfied, reason fail or other, linked to the implementation', () => {
    expect(result.findings.map((f: any) => [f.target['target-id'], f.target.status, propOf(f, 'status')])).toEqual([
      ['IMG-2', { state: 'not-satisfied', reason: 'fail' }, 'violated'],
      ['SEC-2', { state: 'not-satisfied', reason: 'other' }, 'unverified'],
    ]);
    const definition = JSON.parse(renderOscalComponentDefinition())['component-definition'];
    const requirements = new Set(definition.components.flatMap((c: any) => c['control-implementations'][0]['implemented-requirements'].map((r: any) => r.uuid)));
    result.findings.forEach((f: any) => expect(requirements.has(f['implementation-statement-uuid'])).toBe(true));
  });

  test('a waived control is a risk, deviation-approved, with the reason, the expiry as deadline and the approver', () => {
    expect(result.risks).toHaveLength(1);
    const [risk] = result.risks;
    expect(risk).toMatchObject({ statement: WAIVER.reason, status: 'deviation-approved', deadline: `${WAIVER.expires}T23:59:59Z` });
    expect([propOf(risk, 'approved-by'), propOf(risk, 'expires'), propOf(risk, 'waiver-source')])
      .toEqual([WAIVER.approvedBy, WAIVER.expires, 'manifest annotation at web.yaml:7']);
  });

  test('a waiver from a manifest annotation of a synthesized app reaches the risks too', () => {
    const app = assessment(ComplianceReport.of(namespacedApp())).results[0];
    expect(app.risks.map((r: any) => [r.title, r.statement])).toEqual([['SEC-1 waived on legacy/alpha', WAIVER.reason]]);
  });
});

describe('determinism', () => {
  const workloads = [workload('b/web', [['IMG-1', ControlStatus.VIOLATED]]), workload('a/web', [['IMG-1', ControlStatus.WAIVED]])];

  test('UUIDs are RFC 4122 version 5, unique in the document, and the same for any input order', () => {
    const once = renderOscalAssessmentResults(inputOf(ComplianceReport.fromWorkloads(workloads)));
    expect(renderOscalAssessmentResults(inputOf(ComplianceReport.fromWorkloads([...workloads].reverse())))).toBe(once);
    const uuids = allUuids(JSON.parse(once));
    uuids.forEach((u) => expect(u).toMatch(UUID_V5));
    expect(new Set(uuids).size).toBe(uuids.length);
  });

  test('uuidV5 is RFC 4122 name-based SHA-1 (the vector of Python\'s uuid.uuid5(NAMESPACE_DNS, "python.org"))', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  test('times are SOURCE_DATE_EPOCH when set, else 1970-01-01T00:00:00Z', () => {
    const report = ComplianceReport.fromWorkloads(workloads);
    expect(assessment(report).metadata['last-modified']).toBe('1970-01-01T00:00:00Z');
    const saved = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      const ar = assessment(report);
      expect([ar.metadata['last-modified'], ar.results[0].start, ar.results[0].observations[0].collected]).toEqual(Array(3).fill('2023-11-14T22:13:20Z'));
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH; else process.env.SOURCE_DATE_EPOCH = saved;
    }
  });
});

describe('OSCAL component-definition: the catalogue, one component per backend', () => {
  const definition = JSON.parse(renderOscalComponentDefinition())['component-definition'];
  const requirementsOf = (backend: string) => definition.components.find((c: any) => propOf(c, 'backend') === backend)['control-implementations'][0];

  test('Kubernetes and ECS implement every control with the backend text and its verdict rule; the Dockerfile checker its five', () => {
    expect(definition.components.map((c: any) => propOf(c, 'backend'))).toEqual(['kubernetes', 'ecs', 'image']);
    for (const backend of ['kubernetes', 'ecs'] as const) {
      const implementation = requirementsOf(backend);
      expect(implementation.source).toMatch(/docs\/CONTROLS\.md$/);
      expect(implementation['implemented-requirements'].map((r: any) => r['control-id'])).toEqual(ControlCatalogue.ids());
      for (const r of implementation['implemented-requirements']) {
        const control = ControlCatalogue.get(r['control-id']);
        expect(r.description).toContain(control[backend]);
        expect(r.description).toContain(control.verdictRule![backend]);
        expect(r.props.filter((p: any) => p.name === 'ai-act-article').map((p: any) => p.value)).toEqual(control.articles);
      }
    }
    expect(requirementsOf('image')['implemented-requirements'].map((r: any) => r['control-id']))
      .toEqual(ControlCatalogue.controls().filter((c) => c.verdictRule?.dockerfile).map((c) => c.id));
  });

  test('docs/oscal/component-definition.json is generated from the catalogue (run `npx ts-node --transpile-only scripts/generate-oscal-doc.ts` when this fails)', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'oscal', 'component-definition.json'), 'utf-8');
    expect(doc).toBe(renderOscalComponentDefinition());
  });
});
