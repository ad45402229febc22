/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ComplianceMode, ComplianceReport } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import { CompliantModelService } from '../../src/k8s';
import { byPath, controls, mixedApp, rawDeployment, SCORER_IMAGE, tmpdir, violatedIds } from '../support/k8s-report-app';

const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf-8');
const WARNING = '[cdk-compliant-ml] warning:';

let stderr: jest.SpyInstance;
beforeEach(() => {
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => stderr.mockRestore());
const warnings = () => stderr.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith(WARNING));

describe('the report of a mixed app', () => {
  test('lists ours without violations and every foreign workload (raw, cdk8s-plus, L1 CronJob) with its violations', () => {
    const { app } = mixedApp();
    const json = ComplianceReport.of(app).toJson();
    const w = byPath(json);
    expect(Object.keys(w)).toEqual(['fraud/retrain', 'fraud/scorer', 'legacy/nginx', 'legacy/nightly', 'legacy/web/Resource']);
    expect([w['fraud/scorer'].kind, w['fraud/retrain'].kind]).toEqual(['CompliantModelService', 'CompliantTrainingJob']);
    expect(violatedIds(w['fraud/scorer'])).toEqual([]);
    expect(violatedIds(w['fraud/retrain'])).toEqual([]);

    const raw = w['legacy/nginx'];
    expect(raw).toMatchObject({ kind: 'Deployment', backend: 'kubernetes', images: ['nginx:latest'] });
    expect(controls(raw)['IMG-2']).toMatchObject({ status: 'violated', evidence: ['Deployment nginx spec.template.spec.containers[0].image="nginx:latest" (tag latest)'] });
    expect(controls(raw)['AVL-1']).toMatchObject({ status: 'violated', evidence: ['Deployment nginx spec.replicas=1'] });

    const plus = w['legacy/web/Resource'];
    expect(plus).toMatchObject({ kind: 'Deployment', images: ['ghcr.io/acme/web:2'] });
    expect(controls(plus)['IMG-1'].status).toBe('violated');
    expect(controls(plus)['IMG-1'].evidence[0]).toMatch(/^Deployment legacy-web-c8\w+ spec\.template\.spec\.containers\[0\]\.image="ghcr\.io\/acme\/web:2" \(no sha256\/sha512 digest\)$/);

    const cron = w['legacy/nightly'];
    expect(cron).toMatchObject({ kind: 'CronJob', images: ['busybox:1.36'] });
    expect(controls(cron)['JOB-2']).toMatchObject({ status: 'violated', evidence: ['CronJob nightly spec.jobTemplate.spec.activeDeadlineSeconds=null'] });
    expect(controls(cron)['AVL-1']).toBeUndefined();
    expect(controls(cron)['PRB-1'].status).toBe('not-applicable');
  });

  test('the same workloads give the same report whatever the call (entry of the construct = entry in the app report)', () => {
    const { app, service } = mixedApp();
    expect(byPath(ComplianceReport.of(app).toJson())['fraud/scorer']).toEqual(ComplianceReport.fromWorkloads([service.complianceEntry()]).toJson().workloads[0]);
  });
});

describe('files written on synth', () => {
  test('app.synth() writes compliance-report.json (= ComplianceReport.of(app)) and .md into app.outdir; synthYaml() writes nothing', () => {
    const { app } = mixedApp();
    app.synthYaml();
    expect(fs.existsSync(path.join(app.outdir, 'compliance-report.json'))).toBe(false);
    expect(fs.existsSync(path.join(app.outdir, 'compliance-report.md'))).toBe(false);
    app.synth();
    const written = read(app.outdir, 'compliance-report.json');
    expect(written).toBe(ComplianceReport.of(app).toJsonString());
    expect(JSON.parse(written)).toEqual(ComplianceReport.of(app).toJson());
    expect(read(app.outdir, 'compliance-report.md')).toBe(ComplianceReport.of(app).toMarkdown());
    expect(fs.readdirSync(app.outdir).sort()).toEqual(['compliance-report.json', 'compliance-report.md', 'fraud.k8s.yaml', 'legacy.k8s.yaml']);
  });

  test('two synths into two temp dirs give byte-identical report files', () => {
    const one = mixedApp().app;
    const two = mixedApp().app;
    expect(one.outdir).not.toBe(two.outdir);
    one.synth();
    two.synth();
    for (const file of ['compliance-report.json', 'compliance-report.md']) {
      expect(read(two.outdir, file)).toBe(read(one.outdir, file));
    }
    expect(read(one.outdir, 'compliance-report.json')).not.toMatch(/20\d\d-\d\d-\d\dT/);
    one.synth();
    expect(read(one.outdir, 'compliance-report.json')).toBe(read(two.outdir, 'compliance-report.json'));
  });

  test('the Markdown report is readable: summary, violations table, a table per workload and a control legend', () => {
    const { app } = mixedApp();
    app.synth();
    const md = read(app.outdir, 'compliance-report.md');
    expect(md.startsWith('# Compliance report\n')).toBe(true);
    expect(md).toContain('| status | control results |');
    expect(md).toContain('## Violations');
    expect(md).toContain('| legacy/nginx | IMG-2 | No `:latest` and no untagged references | Deployment nginx spec.template.spec.containers[0].image="nginx:latest" (tag latest) |');
    expect(md).toContain('## fraud/scorer\n\n- kind: CompliantModelService\n- backend: kubernetes\n');
    expect(md).toContain('| control | title | severity | status | articles | evidence |');
    expect(md).toMatch(/\| SEC-1 \| [^|]+ \| high \| enforced \| Art\. 15\(5\) \| Deployment fraud-scorer-\w+ spec\.template\.spec\.initContainers\[0\]\.securityContext/);
    expect(md).toContain('## Controls\n\n| control | title | severity | articles |');
    const violationRows = md.split('## Violations')[1].split('\n## ')[0].split('\n').filter((l) => /^\| \w+ \| legacy\//.test(l));
    expect(violationRows.length).toBe(ComplianceReport.of(app).violations().length);
  });
});

describe('modes', () => {
  test('REPORT (default): synth succeeds and warns once per violation on stderr, once per synth', () => {
    const { app } = mixedApp();
    expect(ComplianceReport.modeOf(app)).toBe(ComplianceMode.REPORT);
    app.synth();
    const expected = ComplianceReport.of(app).violations();
    expect(expected.length).toBeGreaterThan(20);
    const lines = warnings();
    expect(lines.length).toBe(expected.length);
    expect(lines).toContain(`${WARNING} legacy/nginx: IMG-2 No \`:latest\` and no untagged references [medium] violated: `
      + 'Deployment nginx spec.template.spec.containers[0].image="nginx:latest" (tag latest); fix the field or add the annotation '
      + 'compliance.cdk-compliant-ml.io/waivers: \'[{"control":"IMG-2","reason":"..."}]\' to the workload\'s metadata\n');
    expect(lines.some((l) => l.includes('fraud/'))).toBe(false);
  });

  test('ENFORCE via ComplianceReport.setMode: synth fails listing ALL violations in one error, and still writes the report', () => {
    const { app } = mixedApp();
    ComplianceReport.setMode(app.node.findChild('fraud'), ComplianceMode.ENFORCE);
    expect(ComplianceReport.modeOf(app)).toBe(ComplianceMode.ENFORCE);
    const violations = ComplianceReport.of(app).violations();
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Validation failed with the following errors:/);
    const listed = message.split('\n').filter((l) => / (violated|unverified): /.test(l) && l.includes(' or add '));
    expect(listed.length).toBe(violations.length);
    for (const v of violations) {
      expect(listed.some((l) => l.includes(`${v.path}: ${v.control} `))).toBe(true);
    }
    expect(message).toContain('legacy/nightly: JOB-2 ');
    expect(message).toContain('legacy/web/Resource: IMG-1 ');
    expect(warnings()).toEqual([]);
    expect(JSON.parse(read(app.outdir, 'compliance-report.json'))).toEqual(ComplianceReport.of(app).toJson());
  });

  test('ENFORCE via the context key: synth and synthYaml fail; an app of ours only passes', () => {
    const { app } = mixedApp({}, { 'cdk-compliant-ml:mode': 'enforce' });
    expect(() => app.synthYaml()).toThrow(/legacy\/nginx: IMG-2 No `:latest`/);
    expect(() => app.synth()).toThrow(/Validation failed with the following errors/);

    const clean = new App({ outdir: tmpdir() });
    clean.node.setContext(ComplianceReport.MODE_CONTEXT_KEY, 'enforce');
    new CompliantModelService(new Chart(clean, 'c'), 'scorer', { image: ImageReference.fromString(SCORER_IMAGE), model: MODEL });
    expect(() => clean.synth()).not.toThrow();
    expect(fs.existsSync(path.join(clean.outdir, 'compliance-report.json'))).toBe(true);
  });

  test('setMode wins over the context key', () => {
    const { app } = mixedApp({}, { 'cdk-compliant-ml:mode': 'enforce' });
    ComplianceReport.setMode(app, ComplianceMode.REPORT);
    expect(() => app.synth()).not.toThrow();
    expect(warnings().length).toBe(ComplianceReport.of(app).violations().length);
  });

  test('an invalid mode value is a clear error naming the key, the value and the allowed values', () => {
    expect(() => mixedApp({}, { 'cdk-compliant-ml:mode': 'strict' })).toThrow(
      'invalid value "strict" of the context key "cdk-compliant-ml:mode": allowed values are "report" and "enforce"');
    const app = new App({ outdir: tmpdir() });
    expect(() => ComplianceReport.setMode(app, 'strict' as ComplianceMode)).toThrow(/invalid compliance mode "strict"/);
  });
});

describe('scopes other than a plain App', () => {
  test('Testing.chart(): works, Testing.synth writes no report, the report is reachable from the chart', () => {
    const chart = Testing.chart();
    new CompliantModelService(chart, 'scorer', { image: ImageReference.fromString(SCORER_IMAGE), model: MODEL });
    rawDeployment(chart, 'legacy');
    expect(Testing.synth(chart).length).toBe(7);
    const outdir = (chart.node.root as App).outdir;
    expect(fs.existsSync(path.join(outdir, 'compliance-report.json'))).toBe(false);
    expect(Object.keys(byPath(ComplianceReport.of(chart).toJson()))).toEqual(['test/legacy', 'test/scorer']);
  });

  test('nested charts: a foreign workload is evaluated with the objects of every chart of the app', () => {
    const app = new App({ outdir: tmpdir() });
    const outer = new Chart(app, 'outer');
    const inner = new Chart(outer, 'inner');
    rawDeployment(inner, 'legacy');
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'legacy' } } } };
    new ApiObject(outer, 'pdb', { ...pdb, metadata: { name: 'outer-pdb' } });
    expect(controls(byPath(ComplianceReport.of(app).toJson())['outer/inner/legacy'])['AVL-2']).toMatchObject({
      status: 'enforced', evidence: [expect.stringMatching(/^PodDisruptionBudget outer-pdb selects Deployment legacy/)],
    });
    // a second budget selecting the same pods: the eviction API refuses to evict them
    new ApiObject(inner, 'pdb', { ...pdb, metadata: { name: 'inner-pdb' } });
    expect(controls(byPath(ComplianceReport.of(app).toJson())['outer/inner/legacy'])['AVL-2']).toMatchObject({
      status: 'violated', evidence: [expect.stringMatching(/PodDisruptionBudget inner-pdb, PodDisruptionBudget outer-pdb all select/)],
    });
  });

  test('a foreign object that cannot render becomes one validation error instead of breaking the validation of the app', () => {
    const { app, legacy } = mixedApp();
    new kplus.Deployment(legacy, 'empty');
    expect(() => app.synth()).toThrow(/\[\] cdk-compliant-ml could not build the compliance report: .*legacy\/empty\/Resource.*at least 1 container/);
  });

  test('an expired waiver fails at construct time, before any synth; the half-built construct is left out of the report', () => {
    const app = new App({ outdir: tmpdir() });
    const chart = new Chart(app, 'c');
    expect(() => new CompliantModelService(chart, 'scorer', {
      image: ImageReference.fromString(SCORER_IMAGE),
      model: MODEL,
      replicas: 1,
      waivers: [{ control: 'AVL-1', reason: 'single GPU node', expires: '2020-01-31' }],
    })).toThrow(/c\/scorer: invalid waivers\[0\]\.expires "2020-01-31": the waiver of AVL-1 expired on 2020-01-31/);
    new CompliantModelService(chart, 'ok', { image: ImageReference.fromString(SCORER_IMAGE), model: MODEL });
    expect(Object.keys(byPath(ComplianceReport.of(app).toJson()))).toEqual(['c/ok']);
    expect(() => app.synth()).not.toThrow();
  });
});
