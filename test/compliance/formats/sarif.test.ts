/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { ControlCatalogue, ControlSeverity, ControlStatus, ComplianceReport, Backend, ReportFormat } from '../../../src/compliance';
import { artifactLocation, fingerprint, SARIF_MAX_RESULTS, SECURITY_SEVERITY } from '../../../src/compliance/formats/sarif';
import { githubAnchor } from '../../../src/compliance/report-people';
import { runCli } from '../../cli/support';
import { mixedCheckDirectory, validateSarif } from '../../support/report-schemas';

// SARIF 2.1.0 as GitHub code scanning reads it: one run, one rule per control, one result per failing or waived control.

const PACKAGE_VERSION = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf-8')).version;

/** `check --format sarif` of the given paths, run from `cwd` (so that relative paths are relative to it). */
async function checkSarif(paths: string[], cwd?: string): Promise<{ log: any; text: string; code: number }> {
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const r = await runCli(['check', '--no-report', '--quiet', '--format', 'sarif', ...paths]);
    return { log: JSON.parse(r.stdout), text: r.stdout, code: r.code };
  } finally {
    process.chdir(before);
  }
}

let mixed: { log: any; text: string; dir: string; json: any };
beforeAll(async () => {
  const dir = mixedCheckDirectory();
  const { log, text } = await checkSarif([path.basename(dir)], path.dirname(dir));
  const json = JSON.parse((await runCli(['check', '--no-report', '--quiet', '--format', 'json', dir])).stdout);
  mixed = { log, text, dir, json };
});
const run = () => mixed.log.runs[0];

describe('SARIF: the log and its tool', () => {
  test('one SARIF 2.1.0 run that validates against the official schema, tool cdk-compliant-ml with the package version', () => {
    expect(mixed.log.version).toBe('2.1.0');
    expect(mixed.log.$schema).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    expect(mixed.log.runs).toHaveLength(1);
    expect(validateSarif(mixed.log)).toEqual([]);
    expect(run().tool.driver).toMatchObject({
      name: 'cdk-compliant-ml', version: PACKAGE_VERSION, informationUri: 'https://github.com/cdk-compliant-ml/cdk-compliant-ml',
    });
    expect(run().automationDetails).toEqual({ id: 'cdk-compliant-ml/check/' });
  });

  test('one rule per control of the catalogue, in catalogue order, with title, rationale, articles, the fix and a link', () => {
    const rules = run().tool.driver.rules;
    const controls = ControlCatalogue.controls();
    expect(rules.map((r: any) => r.id)).toEqual(controls.map((c) => c.id));
    const headings = new Set(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'CONTROLS.md'), 'utf-8')
      .split('\n').filter((l) => l.startsWith('## ')).map((l) => githubAnchor(l.slice(3))));
    for (const [i, c] of controls.entries()) {
      const rule = rules[i];
      expect(rule.shortDescription.text).toBe(c.title);
      expect(rule.fullDescription.text).toBe(c.rationale);
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      for (const article of c.articles) {
        expect(rule.help.text).toContain(article);
        expect(rule.help.markdown).toContain(article);
      }
      expect(rule.help.text).toContain(c.action.kubernetes);
      expect(rule.help.text).toContain(c.ecs);
      const [doc, anchor] = rule.helpUri.split('#');
      expect(doc).toBe('https://github.com/cdk-compliant-ml/cdk-compliant-ml/blob/main/docs/CONTROLS.md');
      expect([c.id, headings.has(anchor)]).toEqual([c.id, true]);
      expect(rule.properties.tags).toEqual(expect.arrayContaining(['security', 'eu-ai-act', ...c.articles]));
      expect(rule.properties.tags.length).toBeLessThanOrEqual(20); // GitHub's limit per rule
      expect(rule.properties['security-severity']).toBe(SECURITY_SEVERITY[c.severity]);
    }
  });

  test('security-severity: each severity in GitHub\'s band (critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9)', () => {
    const bands: Record<ControlSeverity, [number, number]> = {
      [ControlSeverity.CRITICAL]: [9.0001, 10],
      [ControlSeverity.HIGH]: [7, 8.9],
      [ControlSeverity.MEDIUM]: [4, 6.9],
      [ControlSeverity.LOW]: [0.1, 3.9],
    };
    for (const [severity, [low, high]] of Object.entries(bands)) {
      const score = Number(SECURITY_SEVERITY[severity as ControlSeverity]);
      expect([severity, score >= low && score <= high]).toEqual([severity, true]);
    }
  });
});

describe('SARIF: results', () => {
  test('one result per violated (error), unverified (warning) and waived (note, suppressed) control of each workload', () => {
    const expected = mixed.json.workloads.flatMap((w: any) => w.controls
      .filter((c: any) => ['violated', 'unverified', 'waived'].includes(c.status))
      .map((c: any) => [w.path.slice(mixed.dir.length - path.basename(mixed.dir).length), c.id, { violated: 'error', unverified: 'warning', waived: 'note' }[c.status as string]]));
    const results = run().results.map((r: any) => [r.properties.workload, r.ruleId, r.level]);
    expect(results).toEqual(expected);
    expect(results.map((r: any) => r[2])).toEqual(expect.arrayContaining(['error', 'warning', 'note']));
    const rules = run().tool.driver.rules;
    for (const r of run().results) {
      expect(rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.kind).toBe('fail');
      for (const evidence of r.properties.evidence) {
        expect(r.message.text).toContain(evidence);
      }
    }
  });

  test('a waived control: suppressed (external, accepted) with the waiver\'s reason as justification', () => {
    const waived = run().results.filter((r: any) => r.level === 'note');
    expect(waived).toHaveLength(1);
    expect(waived[0]).toMatchObject({ ruleId: 'AVL-1', properties: { status: 'waived' } });
    expect(waived[0].suppressions).toEqual([{
      kind: 'external',
      status: 'accepted',
      justification: 'a one-off debugging pod',
      properties: { source: expect.stringMatching(/^manifest annotation at .*list\.yaml:22$/) },
    }]);
    expect(run().results.filter((r: any) => r.level !== 'note').every((r: any) => r.suppressions === undefined)).toBe(true);
  });

  test('physical location: the file relative to %SRCROOT% (the current directory) and the line of the offending field', () => {
    const base = path.basename(mixed.dir);
    for (const r of run().results) {
      const { artifactLocation: at, region } = r.locations[0].physicalLocation;
      expect(at.uriBaseId).toBe('%SRCROOT%');
      expect(at.uri.startsWith(`${base}/`)).toBe(true);
      const lines = fs.readFileSync(path.join(path.dirname(mixed.dir), decodeURIComponent(at.uri)), 'utf-8').split('\n');
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.startLine).toBeLessThanOrEqual(lines.length);
      expect(r.locations[0].logicalLocations).toEqual([expect.objectContaining({ fullyQualifiedName: r.properties.workload, kind: 'resource' })]);
      expect(r.locations.length).toBeLessThanOrEqual(10);
    }
    const line = (ruleId: string, workload: RegExp) => {
      const r = run().results.find((x: any) => x.ruleId === ruleId && workload.test(x.properties.workload));
      const file = path.join(path.dirname(mixed.dir), r.locations[0].physicalLocation.artifactLocation.uri);
      return fs.readFileSync(file, 'utf-8').split('\n')[r.locations[0].physicalLocation.region.startLine - 1];
    };
    expect(line('SEC-6', /#Pod\/lone-pod$/)).toMatch(/^\s+privileged: true$/);
    expect(line('AVL-1', /#Deployment\/vllm-gemma-deployment$/)).toMatch(/^\s+replicas: 1$/);
    expect(line('SEC-9', /legacy-ecs\.template\.yaml#ScorerService$/)).toMatch(/^\s+Environment:$/);
    expect(line('SEC-1', /\/Dockerfile$/)).toMatch(/^USER root/);
  });

  test('further evidence of a result: relatedLocations with their own lines', () => {
    const r = run().results.find((x: any) => x.ruleId === 'IMG-1' && /\/Dockerfile$/.test(x.properties.workload));
    expect(r.relatedLocations.map((l: any) => [l.id, l.physicalLocation.region.startLine, l.message.text.split(' ')[0]]))
      .toEqual(r.properties.evidence.map((e: string, i: number) => [i + 1, Number(/^Dockerfile:(\d+)/.exec(e)![1]), e.split(' ')[0]]));
  });

  test('the same inputs give the same bytes', async () => {
    const again = await checkSarif([path.basename(mixed.dir)], path.dirname(mixed.dir));
    expect(again.text).toBe(mixed.text);
  });

  test('partialFingerprints survive moved lines and change with the evidence, the control or the workload', async () => {
    const dir = mixedCheckDirectory();
    const before = await checkSarif([dir]);
    const file = path.join(dir, 'vllm-deployment.yaml');
    fs.writeFileSync(file, `# moved down\n# by three\n# lines\n${fs.readFileSync(file, 'utf-8')}`);
    const after = await checkSarif([dir]);
    const of = (log: any) => log.runs[0].results.filter((r: any) => r.properties.workload.endsWith('vllm-gemma-deployment'))
      .map((r: any) => [r.ruleId, r.partialFingerprints['cdkCompliantMlResult/v1'], r.locations[0].physicalLocation.region.startLine]);
    const [b, a] = [of(before.log), of(after.log)];
    expect(a.map((x: any) => x.slice(0, 2))).toEqual(b.map((x: any) => x.slice(0, 2)));
    expect(a.map((x: any) => x[2])).toEqual(b.map((x: any) => x[2] + 3));
    expect(new Set(b.map((x: any) => x[1])).size).toBe(b.length);
    expect(fingerprint('SEC-1', 'a', ['Dockerfile:3 USER root'])).toBe(fingerprint('SEC-1', 'a', ['Dockerfile:9 USER  root']));
    expect(fingerprint('SEC-1', 'a', ['Deployment x spec.replicas=1'])).not.toBe(fingerprint('SEC-1', 'a', ['Deployment x spec.replicas=0']));
    expect(fingerprint('SEC-1', 'a', ['e'])).not.toBe(fingerprint('SEC-2', 'a', ['e']));
    expect(fingerprint('SEC-1', 'a', ['e'])).not.toBe(fingerprint('SEC-1', 'b', ['e']));
    expect(fingerprint('SEC-1', 'a', ['e'])).toMatch(/^[0-9a-f]{64}$/);
  });

  test('standard input has no file: logical location only', async () => {
    const text = fs.readFileSync(path.join(mixed.dir, 'vllm-deployment.yaml'), 'utf-8');
    const r = await runCli(['check', '--no-report', '--quiet', '--format', 'sarif', '-'], { stdin: text });
    const results = JSON.parse(r.stdout).runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((x: any) => x.locations[0].physicalLocation === undefined && x.locations[0].logicalLocations.length === 1)).toBe(true);
    expect(validateSarif(JSON.parse(r.stdout))).toEqual([]);
  });
});

describe('SARIF: GitHub code scanning limits', () => {
  test(`at most ${SARIF_MAX_RESULTS} results per run: the most severe are kept, the rest counted in properties.omittedResults`, () => {
    const critical = ControlCatalogue.controls().find((c) => c.severity === ControlSeverity.CRITICAL)!;
    const low = ControlCatalogue.controls().find((c) => c.severity === ControlSeverity.LOW)!;
    const workloads = Array.from({ length: 13000 }, (_, i) => ({
      path: `w${String(i).padStart(5, '0')}`,
      kind: 'Deployment',
      backend: Backend.KUBERNETES,
      images: [],
      controls: [critical, low].map((c) => ({ id: c.id, status: ControlStatus.VIOLATED, articles: c.articles, evidence: [`Deployment w${i} spec.x=1`] })),
    }));
    const log = JSON.parse(ComplianceReport.fromWorkloads(workloads).render(ReportFormat.SARIF));
    const results = log.runs[0].results;
    expect(results).toHaveLength(SARIF_MAX_RESULTS);
    expect(log.runs[0].properties).toEqual({ omittedResults: 26000 - SARIF_MAX_RESULTS });
    expect(results.filter((r: any) => r.ruleId === critical.id)).toHaveLength(13000);
    expect(results.map((r: any) => r.properties.workload)).toEqual([...results.map((r: any) => r.properties.workload)].sort());
  });

  test('artifact locations: relative below the root, percent-encoded; absolute and ../ paths as file: URIs', () => {
    expect(artifactLocation('dist/fraud.k8s.yaml')).toEqual({ uri: 'dist/fraud.k8s.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('./my dir/a#b.yaml')).toEqual({ uri: 'my%20dir/a%23b.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/tmp/x/t.template.json')).toEqual({ uri: 'file:///tmp/x/t.template.json' });
    expect(artifactLocation('../other/t.yaml').uri).toMatch(/^file:\/\/\/.*\/other\/t\.yaml$/);
  });
});
