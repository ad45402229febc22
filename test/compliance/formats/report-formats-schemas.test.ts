/* eslint-disable @typescript-eslint/no-explicit-any */
// OpenReports, PolicyReport and OSCAL output validated against the published schemas (test/fixtures/schemas/SOURCES.md) for
// the four reference architectures, a cdk8s app with foreign objects in several namespaces, and `check` on a mixed directory;
// and the failures of each format are exactly the report's `failures()`.
import { parseAllDocuments } from 'yaml';
import { checkReport, exampleReports, inputOf, namespacedApp } from './format-inputs';
import { CrdValidator, OPENREPORTS_CRDS, oscalProblems, POLICY_REPORT_CRDS } from './published-schemas';
import { ComplianceReport } from '../../../src/compliance/compliance-report';
import { renderOpenReports, renderPolicyReport } from '../../../src/compliance/formats/openreports';
import { renderOscalAssessmentResults, renderOscalComponentDefinition } from '../../../src/compliance/formats/oscal';

const openReportsCrds = new CrdValidator(OPENREPORTS_CRDS, 'v1alpha1');
const policyReportCrds = new CrdValidator(POLICY_REPORT_CRDS, 'v1alpha2');
const yamlObjects = (text: string): any[] => parseAllDocuments(text).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJSON();
});
const failureKeys = (report: ComplianceReport): string[] => report.failures().map((f) => `${f.path} ${f.control} ${f.status}`).sort();

interface Case {
  readonly name: string;
  readonly report: () => Promise<ComplianceReport>;
  readonly origin: 'synth' | 'check';
}

const cases: Case[] = [
  ...exampleReports().map(([name, report]): Case => ({ name: `examples/${name}`, report: async () => report, origin: 'synth' })),
  { name: 'a cdk8s app with foreign objects in several namespaces', report: async () => ComplianceReport.of(namespacedApp()), origin: 'synth' },
  { name: 'check on a mixed directory (manifests, templates, Dockerfiles)', report: checkReport, origin: 'check' },
];

describe.each(cases)('$name', ({ report: build, origin }) => {
  let report: ComplianceReport;
  beforeAll(async () => {
    report = await build();
  });

  test('has workloads', () => {
    expect(report.workloads.length).toBeGreaterThan(0);
  });

  test('OpenReports: every object is valid for the openreports.io CRDs', () => {
    const objects = yamlObjects(renderOpenReports(inputOf(report, origin)));
    expect(objects).toHaveLength(report.workloads.length);
    expect(openReportsCrds.problems(objects)).toEqual([]);
  });

  test('PolicyReport: every object is valid for the wgpolicyk8s.io/v1alpha2 CRDs', () => {
    const objects = yamlObjects(renderPolicyReport(inputOf(report, origin)));
    expect(objects).toHaveLength(report.workloads.length);
    expect(policyReportCrds.problems(objects)).toEqual([]);
  });

  test('OSCAL assessment-results are valid for the OSCAL 1.2.1 schema', () => {
    expect(oscalProblems('oscal_assessment-results_schema.json', JSON.parse(renderOscalAssessmentResults(inputOf(report, origin))))).toEqual([]);
  });

  test('the fails and warns of OpenReports and PolicyReport are exactly report.failures(), the fails its violations()', () => {
    for (const render of [renderOpenReports, renderPolicyReport]) {
      const results = yamlObjects(render(inputOf(report, origin))).flatMap((o) => o.results.map((r: any) => ({ ...r, path: o.metadata.annotations['compliance.cdk-compliant-ml.io/workload'] })));
      const failing = results.filter((r) => r.result === 'fail' || r.result === 'warn').map((r) => `${r.path} ${r.policy} ${r.properties.status}`).sort();
      expect(failing).toEqual(failureKeys(report));
      expect(results.filter((r) => r.result === 'fail').map((r) => `${r.path} ${r.policy}`).sort())
        .toEqual(report.violations().map((v) => `${v.path} ${v.control}`).sort());
    }
  });

  test('the OSCAL findings are exactly report.failures()', () => {
    const ar = JSON.parse(renderOscalAssessmentResults(inputOf(report, origin)))['assessment-results'];
    const [result] = ar.results;
    const items = new Map<string, string>((result['local-definitions']?.['inventory-items'] ?? [])
      .map((i: any) => [i.uuid, i.props.find((p: any) => p.name === 'workload').value]));
    const observations = new Map<string, any>((result.observations ?? []).map((o: any) => [o.uuid, o]));
    const findings = (result.findings ?? []).map((f: any) => {
      const observation = observations.get(f['related-observations'][0]['observation-uuid']);
      const status = f.props.find((p: any) => p.name === 'status').value;
      return `${items.get(observation.subjects[0]['subject-uuid'])} ${f.target['target-id']} ${status}`;
    }).sort();
    expect(findings).toEqual(failureKeys(report));
  });
});

test('the OSCAL component-definition is valid for the OSCAL 1.2.1 schema', () => {
  expect(oscalProblems('oscal_component_schema.json', JSON.parse(renderOscalComponentDefinition()))).toEqual([]);
});

describe('the validators reject what the schemas forbid (a test that cannot fail is a defect)', () => {
  const report = ComplianceReport.of(namespacedApp());
  const objects = yamlObjects(renderOpenReports(inputOf(report)));

  test('an unknown field, a result outside the enum, a non-string property, a bad name, a namespace on a ClusterReport', () => {
    const [first] = objects;
    const broken = [
      { ...first, unknownField: 1 },
      { ...first, results: [{ ...first.results[0], result: 'ok' }] },
      { ...first, results: [{ ...first.results[0], properties: { count: 3 } }] },
      { ...first, metadata: { ...first.metadata, name: 'Not_DNS' } },
      { ...objects.find((o) => o.kind === 'ClusterReport'), metadata: { name: 'x', namespace: 'y' } },
      { ...first, apiVersion: 'openreports.io/v1' },
    ];
    broken.forEach((o) => expect([o.kind, openReportsCrds.problems([o])]).not.toEqual([o.kind, []]));
  });

  test('an OSCAL uuid that is not RFC 4122, a prop value with a line break, a missing import-ap', () => {
    const ar = JSON.parse(renderOscalAssessmentResults(inputOf(report)));
    const file = 'oscal_assessment-results_schema.json';
    expect(oscalProblems(file, { 'assessment-results': { ...ar['assessment-results'], uuid: 'not-a-uuid' } })).not.toEqual([]);
    const metadata = { ...ar['assessment-results'].metadata, props: [{ name: 'x', value: 'two\nlines' }] };
    expect(oscalProblems(file, { 'assessment-results': { ...ar['assessment-results'], metadata } })).not.toEqual([]);
    const { 'import-ap': _, ...withoutPlan } = ar['assessment-results'];
    expect(oscalProblems(file, { 'assessment-results': withoutPlan })).not.toEqual([]);
  });
});
