/* eslint-disable @typescript-eslint/no-explicit-any */
// The CycloneDX 1.6 ML-BOM of hand-built reports (modelArtifact and datasetArtifacts as #19 will fill them): inventory,
// dependencies, the catalogue as a standard, declarations, determinism, and both validators.
import { ALL, digest, ECS_IMAGE, ECS_SERVICE, FOREIGN, SCORER_IMAGE, SERVICE, SHIPPER_IMAGE, TRAINER_IMAGE, TRAINING_JOB } from './cyclonedx-fixtures';
import { failingClaims, libraryErrors, refProblems, renderBom, reportFailures, schemaErrors } from './cyclonedx-support';
import { ControlCatalogue } from '../../../src/compliance/catalogue';
import { ComplianceReport } from '../../../src/compliance/compliance-report';
import { nameBasedUuidUrn } from '../../../src/compliance/formats/cyclonedx-refs';
import { ControlStatus } from '../../../src/compliance/report-model';
import { reportGeneratorVersion } from '../../../src/compliance/report-render';

const report = ComplianceReport.fromWorkloads(ALL, [{ path: 'manifests/app.yaml#RayService/serve', kind: 'RayService', reason: 'no pod template' }]);
const text = renderBom(report, 'check');
const bom = JSON.parse(text);
const component = (ref: string) => {
  const found = bom.components.find((c: any) => c['bom-ref'] === ref);
  if (!found) {
    throw new Error(`no component ${ref} in ${bom.components.map((c: any) => c['bom-ref']).join(', ')}`);
  }
  return found;
};
const dependsOn = (ref: string) => bom.dependencies.find((d: any) => d.ref === ref)?.dependsOn;
const props = (c: any, name: string) => (c.properties ?? c.modelCard?.properties ?? [])
  .filter((p: any) => p.name === `cdk-compliant-ml:${name}`).map((p: any) => p.value);

describe('CycloneDX ML-BOM of hand-built workloads', () => {
  test('validates against the published 1.6 schema (ajv strict, formats) and the CycloneDX library\'s strict validator', async () => {
    expect(schemaErrors(bom)).toEqual([]);
    expect(await libraryErrors(text)).toBeNull();
  });

  test('header: 1.6, version 1, no timestamp, the tool with its version, the app as metadata.component', () => {
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(bom.metadata.timestamp).toBeUndefined();
    expect(bom.metadata.tools.components).toEqual([expect.objectContaining({ name: 'cdk-compliant-ml', version: reportGeneratorVersion() })]);
    expect(bom.metadata.component).toMatchObject({ 'type': 'application', 'bom-ref': 'app' });
    expect(dependsOn('app')).toEqual(['workload:CreditRiskApi/Service', 'workload:fraud/retrain', 'workload:fraud/scorer',
      'workload:manifests/legacy.yaml#Deployment/legacy-web']);
    expect(bom.properties).toEqual([{ name: 'cdk-compliant-ml:not-evaluated', value: 'manifests/app.yaml#RayService/serve (RayService): no pod template' }]);
  });

  test('serialNumber: the name-based (v5) UUID of the document without it', () => {
    const { serialNumber, ...rest } = bom;
    expect(serialNumber).toBe(nameBasedUuidUrn(JSON.stringify(rest)));
    // the same algorithm as Python's uuid.uuid5(uuid.NAMESPACE_URL, 'cdk-compliant-ml')
    expect(nameBasedUuidUrn('cdk-compliant-ml')).toBe('urn:uuid:901483f9-d65d-551e-8c82-be0d06236047');
  });

  test('one container component per distinct image, hashes and purl from the digest; an unpinned image has neither', () => {
    expect(bom.components.filter((c: any) => c.type === 'container').map((c: any) => c['bom-ref']))
      .toEqual([ECS_IMAGE, SHIPPER_IMAGE, SCORER_IMAGE, TRAINER_IMAGE, 'nginx:latest'].map((i) => `image:${i}`).sort());
    expect(component(`image:${SCORER_IMAGE}`)).toMatchObject({
      name: 'ghcr.io/acme/fraud-scorer',
      version: '1.4.2',
      hashes: [{ alg: 'SHA-256', content: '3b'.repeat(32) }],
      purl: `pkg:oci/fraud-scorer@sha256:${'3b'.repeat(32)}?repository_url=ghcr.io%2Facme%2Ffraud-scorer&tag=1.4.2`,
    });
    expect(component(`image:${TRAINER_IMAGE}`).purl).toBe(`pkg:oci/fraud-train@sha256:${'7d'.repeat(32)}?repository_url=localhost:5000%2Fml%2Fteam%2Ffraud-train`);
    // an image whose registry is an intrinsic: the digest is known, the repository is not
    expect(component(`image:${ECS_IMAGE}`)).toMatchObject({ hashes: [{ alg: 'SHA-256', content: '0c'.repeat(32) }] });
    expect(component(`image:${ECS_IMAGE}`).purl).toBeUndefined();
    const unpinned = component('image:nginx:latest');
    expect(unpinned).toMatchObject({ name: 'nginx', version: 'latest' });
    expect(unpinned.hashes).toBeUndefined();
    expect(unpinned.purl).toBeUndefined();
    expect(props(unpinned, 'image:pinned')).toEqual(['false']);
  });

  test('a served model: name and version from the metadata, the hash from the pinned artifact, the declared digest kept', () => {
    const model = component('model:fraud-scorer@1.4.2');
    expect(model).toMatchObject({
      type: 'machine-learning-model',
      name: 'fraud-scorer',
      version: '1.4.2',
      hashes: [{ alg: 'SHA-256', content: 'aa'.repeat(32) }],
      purl: `pkg:oci/scorer@sha256:${'aa'.repeat(32)}?repository_url=registry.acme.example:8443%2Fmodels%2Ffraud%2Fscorer&tag=1.4.2`,
    });
    expect(props(model, 'model:role')).toEqual(['served']);
    expect(props(model, 'model:framework')).toEqual(['sklearn']);
    expect(props(model, 'model:registry')).toEqual(['mlflow.acme.internal']);
    expect(props(model, 'model:declared-digest')).toEqual([digest('11')]);
    expect(props(model, 'artifact:verifier')).toEqual(['model-verifier']);
    // MLflow's models:/ scheme is not IANA-registered: a property, not an externalReference
    expect(props(model, 'model:location')).toEqual(['models:/fraud-scorer/7']);
    expect(model.externalReferences).toBeUndefined();
    expect(model.modelCard.modelParameters).toBeUndefined(); // nothing known about task, approach or architecture
    expect(dependsOn('workload:fraud/scorer')).toEqual(['model:fraud-scorer@1.4.2', `image:${SHIPPER_IMAGE}`, `image:${SCORER_IMAGE}`].sort());
  });

  test('a trained model: its datasets in the model card and as dependencies; the job depends on data, images and input weights', () => {
    const trained = component('model:fraud-scorer@1.5.0');
    expect(trained.hashes).toBeUndefined(); // an output has no digest yet
    expect(props(trained, 'model:role')).toEqual(['trained']);
    expect(props(trained, 'model:trained-by')).toEqual(['workload:fraud/retrain']);
    expect(props(trained, 'model:training-run-id')).toEqual(['run-42']);
    const datasets = ['dataset:chargebacks@2026-10', 'dataset:labels-2026-11', 'dataset:transactions@2026-11'];
    expect(trained.modelCard.modelParameters.datasets).toEqual(datasets.map((ref) => ({ ref })));
    const input = 'model:https://models.acme.example/base/fraud-base-v3.safetensors';
    expect(component(input)).toMatchObject({
      type: 'machine-learning-model',
      hashes: [{ alg: 'SHA-256', content: 'bb'.repeat(32) }],
      externalReferences: [{ type: 'distribution', url: 'https://models.acme.example/base/fraud-base-v3.safetensors' }],
    });
    expect(props(component(input), 'model:role')).toEqual(['input']);
    expect(dependsOn('model:fraud-scorer@1.5.0')).toEqual([...datasets, input].sort());
    expect(dependsOn('workload:fraud/retrain')).toEqual([...datasets, input, `image:${SHIPPER_IMAGE}`, `image:${TRAINER_IMAGE}`].sort());
    expect(props(component('workload:fraud/retrain'), 'workload:trains')).toEqual(['model:fraud-scorer@1.5.0']);
  });

  test('datasets: a recorded dataset joined with its pinned artifact, an artifact of its own, a URI that cannot be linked', () => {
    expect(component('dataset:transactions@2026-11')).toMatchObject({
      type: 'data',
      name: 'transactions',
      version: '2026-11',
      hashes: [{ alg: 'SHA-256', content: 'cc'.repeat(32) }],
      externalReferences: [{ type: 'distribution', url: 's3://acme-data/transactions/2026-11/' }],
      data: [{ type: 'dataset', name: 'transactions', contents: { url: 's3://acme-data/transactions/2026-11/' } }],
    });
    expect(props(component('dataset:transactions@2026-11'), 'artifact:verifier')).toEqual(['dataset-verifier']);
    const claim = component('dataset:labels-2026-11');
    expect(claim).toMatchObject({ name: 'labels-2026-11', hashes: [{ alg: 'SHA-256', content: 'dd'.repeat(32) }], data: [{ type: 'dataset' }] });
    expect(props(claim, 'artifact:source')).toEqual(['volume-claim']);
    const chargebacks = component('dataset:chargebacks@2026-10');
    expect(chargebacks.hashes).toBeUndefined();
    expect(props(chargebacks, 'dataset:location')).toEqual(['models:/not-a-linkable-scheme']);
  });

  test('a workload is an application component with its kind, backend, every control status and acknowledged rules', () => {
    const ecs = component('workload:CreditRiskApi/Service');
    expect(ecs).toMatchObject({ type: 'application', name: 'CreditRiskApi/Service', description: 'Service (ecs)' });
    expect(props(ecs, 'workload:backend')).toEqual(['ecs']);
    expect(props(ecs, 'control:SEC-1')).toEqual(['unverified']);
    expect(props(ecs, 'acknowledged-rule')).toEqual(['AwsSolutions-ECS2 on CreditRiskApi/Service/TaskDef: the environment holds no secret']);
    expect(ecs.properties.filter((p: any) => p.name.startsWith('cdk-compliant-ml:control:'))).toHaveLength(ECS_SERVICE.controls.length);
  });

  test('the catalogue is a standard: a requirement per control under its family, with articles, severity and a doc link', () => {
    const [standard] = bom.definitions.standards;
    expect(standard).toMatchObject({ 'bom-ref': 'standard:cdk-compliant-ml', 'version': reportGeneratorVersion(), 'owner': 'cdk-compliant-ml' });
    const ids = ControlCatalogue.ids();
    const controlRequirements = standard.requirements.filter((r: any) => r.identifier.includes('-'));
    expect(controlRequirements.map((r: any) => r.identifier)).toEqual(ids);
    const img1 = controlRequirements[0];
    expect(img1).toMatchObject({ 'bom-ref': 'requirement:IMG-1', 'parent': 'requirement:IMG', 'text': ControlCatalogue.get('IMG-1').title });
    expect(props(img1, 'eu-ai-act:article')).toEqual(ControlCatalogue.get('IMG-1').articles);
    expect(props(img1, 'severity')).toEqual([ControlCatalogue.get('IMG-1').severity]);
    expect(img1.externalReferences[0].url).toMatch(/docs\/CONTROLS\.md#img-1-/);
    expect(standard.requirements.find((r: any) => r.identifier === 'IMG')).toMatchObject({ text: 'Image references and their provenance' });
  });

  test('declarations: one claim per control result, the failing ones exactly the report\'s failures()', () => {
    const results = ALL.reduce((n, w) => n + w.controls.length, 0);
    expect(bom.declarations.claims).toHaveLength(results);
    expect(bom.declarations.assessors).toEqual([{ 'bom-ref': 'assessor:cdk-compliant-ml', 'thirdParty': false, 'organization': { name: 'cdk-compliant-ml' } }]);
    expect(bom.declarations.attestations).toHaveLength(ALL.length);
    expect(failingClaims(bom).sort()).toEqual(reportFailures(report).sort());
    expect(reportFailures(report).length).toBeGreaterThan(0);
    const claims = bom.declarations.claims.filter((c: any) => c.counterEvidence);
    expect(claims.map((c: any) => c['bom-ref']).sort()).toEqual(bom.declarations.attestations
      .flatMap((a: any) => a.map.flatMap((m: any) => m.counterClaims ?? [])).sort());
    expect(bom.declarations.claims.filter((c: any) => c.evidence && c.counterEvidence)).toEqual([]);
  });

  test('claims: predicate, evidence lines as attachments, conformance 1 for met, 0 for failing and waived, none for external', () => {
    const claim = (id: string) => bom.declarations.claims.find((c: any) => c['bom-ref'] === `claim:fraud/scorer#${id}`);
    const mapEntry = (id: string) => bom.declarations.attestations.find((a: any) => a.summary.includes(' fraud/scorer '))
      .map.find((m: any) => m.requirement === `requirement:${id}`);
    expect(claim('NET-1')).toMatchObject({ target: 'workload:fraud/scorer', counterEvidence: ['evidence:fraud/scorer#NET-1'] });
    expect(claim('NET-1').predicate).toBe('fraud/scorer does not meet NET-1');
    expect(claim('PRB-1').predicate).toBe('fraud/scorer cannot be shown to meet PRB-1');
    expect(mapEntry('NET-1')).toMatchObject({ counterClaims: ['claim:fraud/scorer#NET-1'], conformance: { score: 0 } });
    expect(mapEntry('SEC-1')).toMatchObject({ claims: ['claim:fraud/scorer#SEC-1'], conformance: { score: 1 } });
    expect(mapEntry('AVL-2').conformance.score).toBe(1);
    expect(mapEntry('LOG-2').conformance.score).toBeUndefined();
    expect(mapEntry('LOG-2').conformance.rationale).toMatch(/^external: /);
    const evidence = bom.declarations.evidence.find((e: any) => e['bom-ref'] === 'evidence:fraud/scorer#NET-1');
    expect(evidence).toMatchObject({
      propertyName: 'cdk-compliant-ml:control:NET-1',
      data: [{ name: 'evidence 1', contents: { attachment: { content: SERVICE.controls.find((c) => c.id === 'NET-1')!.evidence[0] } } }],
    });
  });

  test('a waiver is a mitigation strategy: reason, approver as author, valid through its last day', () => {
    const claim = bom.declarations.claims.find((c: any) => c['bom-ref'] === 'claim:fraud/scorer#SEC-5');
    expect(claim).toMatchObject({ mitigationStrategies: ['waiver:fraud/scorer#SEC-5'], evidence: ['evidence:fraud/scorer#SEC-5'] });
    expect(claim.predicate).toBe('SEC-5 is waived for fraud/scorer');
    const waiver = bom.declarations.evidence.find((e: any) => e['bom-ref'] === 'waiver:fraud/scorer#SEC-5');
    expect(waiver).toMatchObject({ expires: '2027-06-30T23:59:59Z', author: { name: 'ciso@acme.example' } });
    expect(waiver.description).toBe('waiver of SEC-5: accepted for SEC-5; approved by ciso@acme.example; valid through 2027-06-30; written in construct fraud/scorer');
    const entry = bom.declarations.attestations[2].map.find((m: any) => m.requirement === 'requirement:SEC-5');
    expect(entry.conformance).toMatchObject({ score: 0, mitigationStrategies: ['waiver:fraud/scorer#SEC-5'] });
  });

  test('evidence names the file and line when the caller can locate it', () => {
    const located = JSON.parse(renderBom(ComplianceReport.fromWorkloads([FOREIGN]), 'check',
      (_w, e) => (e.includes('IMG-1') ? { file: 'manifests/legacy.yaml', line: 12, column: 7 } : undefined)));
    const names = located.declarations.evidence.flatMap((e: any) => (e.data ?? []).map((d: any) => d.name));
    expect(names).toContain('manifests/legacy.yaml:12:7');
    expect(names).toContain('evidence 1');
  });

  test('every bom-ref is unique and every reference resolves', () => {
    expect(refProblems(bom)).toEqual({ dangling: [], duplicates: [] });
  });
});

describe('CycloneDX ML-BOM determinism', () => {
  test('byte-identical twice and for any order of the workloads', () => {
    expect(renderBom(report, 'check')).toBe(text);
    const reversed = ComplianceReport.fromWorkloads([...ALL].reverse(), report.notEvaluated);
    expect(renderBom(reversed, 'check')).toBe(text);
    const shuffled = ComplianceReport.fromWorkloads([ALL[2], ALL[0], ALL[3], ALL[1]], report.notEvaluated);
    expect(renderBom(shuffled, 'check')).toBe(text);
  });

  test('two workloads equal in path and kind are ordered by content, not input order', () => {
    const a = { ...FOREIGN, images: ['nginx:1.27'] };
    const b = { ...FOREIGN, images: ['nginx:1.28'] };
    const ab = renderBom(ComplianceReport.fromWorkloads([a, b]), 'check');
    expect(renderBom(ComplianceReport.fromWorkloads([b, a]), 'check')).toBe(ab);
    expect(refProblems(JSON.parse(ab))).toEqual({ dangling: [], duplicates: [] });
  });

  test('the same entry twice is one component with the claims of both entries', () => {
    const twice = JSON.parse(renderBom(ComplianceReport.fromWorkloads([FOREIGN, FOREIGN]), 'check'));
    expect(twice.components.filter((c: any) => c.type === 'application')).toHaveLength(1);
    expect(twice.dependencies.filter((d: any) => d.ref.startsWith('workload:'))).toHaveLength(1);
    expect(twice.declarations.claims).toHaveLength(2 * FOREIGN.controls.length);
    expect(refProblems(twice)).toEqual({ dangling: [], duplicates: [] });
    expect(schemaErrors(twice)).toEqual([]);
  });

  test('fails when the content changes: another status gives another serial number', () => {
    const changed = { ...SERVICE, controls: SERVICE.controls.map((c) => (c.id === 'SEC-1' ? { ...c, status: ControlStatus.VIOLATED } : c)) };
    const other = JSON.parse(renderBom(ComplianceReport.fromWorkloads([changed, TRAINING_JOB, ECS_SERVICE, FOREIGN], report.notEvaluated), 'check'));
    expect(other.serialNumber).not.toBe(bom.serialNumber);
    expect(failingClaims(other)).toContain('fraud/scorer SEC-1 violated');
  });

  test('an empty report is a valid BOM too', async () => {
    const empty = renderBom(ComplianceReport.fromWorkloads([]), 'synth');
    expect(schemaErrors(JSON.parse(empty))).toEqual([]);
    expect(await libraryErrors(empty)).toBeNull();
    expect(JSON.parse(empty).metadata.component.name).toBe('app');
  });
});
