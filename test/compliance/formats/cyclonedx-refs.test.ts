/* eslint-disable @typescript-eslint/no-explicit-any */
// Property: for any report (paths and references from a grammar that includes the characters refs are built from, shared and
// colliding models and datasets, duplicate paths), every bom-ref of the ML-BOM is unique, every reference resolves, the
// failing claims are the report's failures(), and the order of the workloads does not change a byte.
import * as fc from 'fast-check';
import { controls, digest } from './cyclonedx-fixtures';
import { failingClaims, refProblems, renderBom, reportFailures, schemaErrors } from './cyclonedx-support';
import { ComplianceReport } from '../../../src/compliance/compliance-report';
import { ControlScope } from '../../../src/compliance/control';
import { formatJson } from '../../../src/compliance/formats/cyclonedx';
import { BomRefs } from '../../../src/compliance/formats/cyclonedx-refs';
import { ArtifactReport, Backend, ControlStatus, WorkloadReport } from '../../../src/compliance/report-model';

// few distinct values, so that collisions (same path, same model name and version with other content) are frequent
const word = fc.constantFrom('a', 'b', 'a~1', 'a#SEC-1', 'x/y', 'fraud', 'claim:a', 'workload:a');
const path = fc.array(word, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const hex = fc.constantFrom('1', '2', 'a');
const image = fc.oneof(
  fc.tuple(fc.constantFrom('ghcr.io/acme', 'localhost:5000/x/y', 'nginx', '${AWS::AccountId}.dkr.ecr.eu-west-1.amazonaws.com'), word, hex)
    .map(([registry, name, h]) => `${registry}/${name.replace(/[^a-z0-9]/g, '')}x@${digest(h)}`),
  fc.constantFrom('nginx:latest', 'busybox', 'ghcr.io/acme/x:1.0'),
);
const model = fc.record({ name: word, version: fc.constantFrom('1', '2'), digest: fc.option(hex.map(digest), { nil: undefined }) },
  { requiredKeys: ['name', 'version'] });
const artifact: fc.Arbitrary<ArtifactReport> = fc.record({
  source: fc.constantFrom('oci', 'uri', 'volume-claim'),
  reference: fc.constantFrom('s3://m/a/', `ghcr.io/acme/model@${digest('e')}`, 'claim-1', 'models:/x/1'),
  digest: hex.map(digest),
});
const dataset = fc.record({
  name: word,
  version: fc.constantFrom('1', '2'),
  uri: fc.option(fc.constantFrom('s3://d/1/', 'hf://d'), { nil: undefined }),
  digest: fc.option(hex.map(digest), { nil: undefined }),
}, { requiredKeys: ['name', 'version'] });
const status = fc.constantFrom(...Object.values(ControlStatus));

const workload: fc.Arbitrary<WorkloadReport> = fc.record({
  path,
  kind: fc.constantFrom('CompliantModelService', 'CompliantTrainingJob', 'Deployment'),
  backend: fc.constantFrom(Backend.KUBERNETES, Backend.ECS),
  images: fc.array(image, { maxLength: 3 }),
  model: fc.option(model, { nil: undefined }),
  modelArtifact: fc.option(artifact, { nil: undefined }),
  datasets: fc.option(fc.array(dataset, { maxLength: 3 }), { nil: undefined }),
  datasetArtifacts: fc.option(fc.array(artifact, { maxLength: 2 }), { nil: undefined }),
  scope: fc.constantFrom(ControlScope.SERVICE, ControlScope.JOB),
  failing: fc.dictionary(fc.constantFrom('IMG-1', 'SEC-1', 'NET-1', 'LOG-2', 'SEC-5'), status),
}).map(({ scope, failing, ...w }) => ({ ...w, controls: controls(scope, failing as Record<string, ControlStatus>) }));

describe('ML-BOM references', () => {
  test('property: unique bom-refs, every reference resolves, failing claims = failures(), independent of input order', () => {
    fc.assert(fc.property(fc.array(workload, { maxLength: 5 }), fc.context(), (workloads, ctx) => {
      const report = ComplianceReport.fromWorkloads(workloads);
      const text = renderBom(report, 'check');
      const bom = JSON.parse(text);
      ctx.log(bom.components.map((c: any) => c['bom-ref']).join('\n'));
      expect(refProblems(bom)).toEqual({ dangling: [], duplicates: [] });
      expect(failingClaims(bom).sort()).toEqual(reportFailures(report).sort());
      expect(renderBom(ComplianceReport.fromWorkloads([...workloads].reverse()), 'check')).toBe(text);
    }), { numRuns: 150 });
  });

  test('property: the BOMs validate against the 1.6 schema', () => {
    fc.assert(fc.property(fc.array(workload, { maxLength: 3 }), (workloads) => {
      expect(schemaErrors(JSON.parse(renderBom(ComplianceReport.fromWorkloads(workloads), 'synth')))).toEqual([]);
    }), { numRuns: 40 });
  });

  test('BomRefs: one content per base keeps the base; several get a content hash; a taken ref gets ~2', () => {
    const refs = new BomRefs();
    expect(refs.take('model:a@1')).toBe('model:a@1');
    const byKey = refs.forContents([{ base: 'model:b@1', key: 'x' }, { base: 'model:b@1', key: 'y' }, { base: 'model:a@1', key: 'z' }, { base: 'model:c@1', key: 'w' }]);
    expect(byKey.get('w')).toBe('model:c@1');
    expect(byKey.get('x')).toMatch(/^model:b@1~[0-9a-f]{8}$/);
    expect(byKey.get('y')).toMatch(/^model:b@1~[0-9a-f]{8}$/);
    expect(byKey.get('x')).not.toBe(byKey.get('y'));
    expect(byKey.get('z')).toBe('model:a@1~2');
    // the same pairs in another order give the same refs
    const again = new BomRefs();
    again.take('model:a@1');
    const reordered = again.forContents([{ base: 'model:c@1', key: 'w' }, { base: 'model:a@1', key: 'z' }, { base: 'model:b@1', key: 'y' }, { base: 'model:b@1', key: 'x' }]);
    expect([...reordered.entries()].sort()).toEqual([...byKey.entries()].sort());
  });

  test('property: the BOM\'s JSON layout parses back to the same value; what fits in 150 columns is one line, the rest is indented', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
      const text = formatJson(value, '');
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    }), { numRuns: 300 });
    expect(formatJson({ a: [1, 2], b: 'x'.repeat(200) }, '')).toBe(`{\n  "a": [1,2],\n  "b": "${'x'.repeat(200)}"\n}`);
    expect(formatJson({ a: [], b: {} }, '')).toBe('{"a":[],"b":{}}');
  });
});
