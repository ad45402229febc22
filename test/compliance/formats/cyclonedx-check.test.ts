/* eslint-disable @typescript-eslint/no-explicit-any */
// The ML-BOM of `cdk-compliant-ml check` on a mixed directory: Kubernetes YAML, a CloudFormation template and a Dockerfile
// from the test fixtures. The report is built as the CLI builds it (its JSON read back into ComplianceReport.fromWorkloads,
// which check.test.ts shows to be byte-identical to the CLI's own files).
import * as fs from 'fs';
import * as path from 'path';
import { failingClaims, libraryErrors, refProblems, renderBom, reportFailures, schemaErrors } from './cyclonedx-support';
import { ComplianceReport } from '../../../src/compliance/compliance-report';
import { FIXTURES, runCli, tmpdir } from '../../cli/support';

const INPUTS = ['helm-release.yaml', 'legacy-ecs.template.yaml', 'serving.template.json', path.join('dockerfiles', 'bad', 'Dockerfile')];

/** Copies the fixtures into a fresh directory (a Dockerfile keeps its name) and runs check on the directory. */
async function checkMixedDirectory(): Promise<{ dir: string; report: ComplianceReport; json: any }> {
  const dir = tmpdir();
  for (const input of INPUTS) {
    fs.copyFileSync(path.join(FIXTURES, input), path.join(dir, path.basename(input)));
  }
  const run = await runCli(['check', '--format', 'json', '--quiet', '--no-report', dir]);
  expect(run.stderr).toBe('');
  const json = JSON.parse(run.stdout);
  return { dir, json, report: ComplianceReport.fromWorkloads(json.workloads, json.notEvaluated) };
}

describe('ML-BOM of check on a mixed directory', () => {
  let checked: Awaited<ReturnType<typeof checkMixedDirectory>>;
  let text: string;
  let bom: any;
  beforeAll(async () => {
    checked = await checkMixedDirectory();
    text = renderBom(checked.report, 'check');
    bom = JSON.parse(text);
  });

  test('the inputs hold workloads of all three backends', () => {
    expect([...new Set(checked.json.workloads.map((w: any) => w.backend))].sort()).toEqual(['ecs', 'image', 'kubernetes']);
  });

  test('validates against the 1.6 schema (ajv strict, formats) and the CycloneDX library', async () => {
    expect(schemaErrors(bom)).toEqual([]);
    expect(await libraryErrors(text)).toBeNull();
  });

  test('the counter-claims are exactly the report\'s failures(), and there are some', () => {
    expect(reportFailures(checked.report).length).toBeGreaterThan(10);
    expect(failingClaims(bom).sort()).toEqual(reportFailures(checked.report).sort());
    expect(refProblems(bom)).toEqual({ dangling: [], duplicates: [] });
  });

  test('the foreign images: pinned ones with purl and hash, unpinned and intrinsic ones flagged, none invented', () => {
    const containers = bom.components.filter((c: any) => c.type === 'container');
    const images = [...new Set(checked.json.workloads.flatMap((w: any) => w.images))];
    expect(containers.map((c: any) => c.properties.find((p: any) => p.name === 'cdk-compliant-ml:image:reference').value).sort()).toEqual(images.sort());
    for (const c of containers) {
      const pinned = /@sha(256|512):[0-9a-f]+$/.test(c.properties[0].value);
      expect(c.hashes !== undefined).toBe(pinned);
      if (!pinned) {
        expect(c.purl).toBeUndefined();
        expect(c.properties).toContainEqual({ name: 'cdk-compliant-ml:image:pinned', value: 'false' });
      }
    }
    expect(containers.find((c: any) => c.name === 'nginx')).toMatchObject({ version: 'latest' });
  });

  test('the app is named after the input files; lifecycle post-build', () => {
    expect(bom.metadata.component.name.split(', ').map((f: string) => path.basename(f)).sort())
      .toEqual(INPUTS.map((i) => path.basename(i)).sort());
    expect(bom.metadata.lifecycles).toEqual([{ phase: 'post-build' }]);
  });

  test('the same directory checked again gives the same bytes', async () => {
    // another temporary directory would change the paths: check the same one again
    const again = await runCli(['check', '--format', 'json', '--quiet', '--no-report', checked.dir]);
    const json = JSON.parse(again.stdout);
    expect(renderBom(ComplianceReport.fromWorkloads([...json.workloads].reverse(), json.notEvaluated), 'check')).toBe(text);
  });
});
