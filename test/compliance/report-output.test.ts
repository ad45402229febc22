import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { Backend, ComplianceMode, ComplianceReport, ControlStatus, WorkloadReport } from '../../src/compliance';
import { complianceModeOf, modeErrors, violationMessages, writeReportFiles } from '../../src/compliance/report-output';

const clean: WorkloadReport = {
  path: 'fraud/scorer',
  kind: 'CompliantModelService',
  backend: Backend.KUBERNETES,
  images: ['ghcr.io/acme/scorer@sha256:' + 'a'.repeat(64)],
  controls: [{ id: 'IMG-1', status: ControlStatus.ENFORCED, articles: ['Art. 15(1)'], evidence: ['pinned'] }],
};
const bad: WorkloadReport = {
  path: 'legacy/web',
  kind: 'Deployment',
  backend: Backend.KUBERNETES,
  images: ['nginx:latest'],
  controls: [
    { id: 'SEC-1', status: ControlStatus.VIOLATED, articles: ['Art. 15(5)'], evidence: ['Deployment web a=1', 'Deployment web b=2'] },
    { id: 'IMG-2', status: ControlStatus.VIOLATED, articles: ['Art. 15(1)'], evidence: ['Deployment web image="nginx:latest"'] },
  ],
};

function root(context?: Record<string, unknown>): Construct {
  const r = new Construct(undefined as any, '');
  for (const [k, v] of Object.entries(context ?? {})) {
    r.node.setContext(k, v);
  }
  return r;
}

test('violationMessages: one line per violation, most severe first, with title, severity, evidence and the annotation hint', () => {
  const hint = (id: string) => `compliance.cdk-compliant-ml.io/waivers: '[{"control":"${id}","reason":"..."}]' to the workload's metadata`;
  expect(violationMessages(ComplianceReport.fromWorkloads([bad, clean]))).toEqual([
    'legacy/web: SEC-1 Runs as non-root with a non-zero UID/GID >= 10000 [high] violated: Deployment web a=1 | Deployment web b=2; '
      + `fix the field or add the annotation ${hint('SEC-1')}`,
    'legacy/web: IMG-2 No `:latest` and no untagged references [medium] violated: Deployment web image="nginx:latest"; '
      + `fix the field or add the annotation ${hint('IMG-2')}`,
  ]);
  expect(violationMessages(ComplianceReport.fromWorkloads([clean]))).toEqual([]);
});

test('writeReportFiles creates the directory and writes the JSON and Markdown renderings', () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-output-')), 'a', 'b');
  const report = ComplianceReport.fromWorkloads([bad, clean]);
  writeReportFiles(dir, report);
  expect(fs.readFileSync(path.join(dir, ComplianceReport.JSON_FILE_NAME), 'utf-8')).toBe(report.toJsonString());
  expect(fs.readFileSync(path.join(dir, ComplianceReport.MARKDOWN_FILE_NAME), 'utf-8')).toBe(report.toMarkdown());
  expect([ComplianceReport.JSON_FILE_NAME, ComplianceReport.MARKDOWN_FILE_NAME]).toEqual(['compliance-report.json', 'compliance-report.md']);
});

test('writeReportFiles: files of several megabytes, non-ASCII text and a chunk larger than the write buffer come out byte for byte', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-output-'));
  const many: WorkloadReport[] = Array.from({ length: 400 }, (_, i) => ({
    ...bad,
    path: `team-${String(i).padStart(3, '0')}/web`,
    controls: bad.controls.map((c) => ({ ...c, evidence: [...c.evidence, `Überprüfung ✓ ${'x'.repeat(2000)} ${i}`] })),
  }));
  // one evidence string of 600 000 characters: larger than a third of the 1 MiB buffer, so it is written on its own
  many.push({ ...clean, controls: [{ ...clean.controls[0], evidence: ['é'.repeat(600_000)] }] });
  const report = ComplianceReport.fromWorkloads(many);
  writeReportFiles(dir, report);
  const json = fs.readFileSync(path.join(dir, ComplianceReport.JSON_FILE_NAME), 'utf-8');
  const md = fs.readFileSync(path.join(dir, ComplianceReport.MARKDOWN_FILE_NAME), 'utf-8');
  expect(Buffer.byteLength(json)).toBeGreaterThan(2 * 1024 * 1024);
  expect(json).toBe(report.toJsonString());
  expect(md).toBe(report.toMarkdown());
  expect(JSON.parse(json).workloads).toHaveLength(401);
  // a second write replaces the files instead of appending
  writeReportFiles(dir, ComplianceReport.fromWorkloads([clean]));
  expect(fs.readFileSync(path.join(dir, ComplianceReport.JSON_FILE_NAME), 'utf-8')).toBe(ComplianceReport.fromWorkloads([clean]).toJsonString());
});

test('mode resolution: REPORT by default, the context key, setMode first; other values are errors', () => {
  expect(complianceModeOf(root())).toBe(ComplianceMode.REPORT);
  expect(complianceModeOf(root({ 'cdk-compliant-ml:mode': 'enforce' }))).toBe(ComplianceMode.ENFORCE);
  expect(complianceModeOf(root({ 'cdk-compliant-ml:mode': 'report' }))).toBe(ComplianceMode.REPORT);
  const r = root({ 'cdk-compliant-ml:mode': 'report' });
  ComplianceReport.setMode(new Construct(r, 'child'), ComplianceMode.ENFORCE);
  expect(ComplianceReport.modeOf(r)).toBe(ComplianceMode.ENFORCE);
  expect(() => complianceModeOf(root({ 'cdk-compliant-ml:mode': 'ENFORCE' }))).toThrow(/invalid value "ENFORCE" of the context key "cdk-compliant-ml:mode"/);
  expect(() => complianceModeOf(root({ 'cdk-compliant-ml:mode': true }))).toThrow(/invalid value true .* allowed values are "report" and "enforce"/);
  expect(ComplianceReport.MODE_CONTEXT_KEY).toBe('cdk-compliant-ml:mode');
});

test('modeErrors: errors in ENFORCE, stderr warnings (and no error) in REPORT', () => {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const report = ComplianceReport.fromWorkloads([bad]);
    expect(modeErrors(root({ 'cdk-compliant-ml:mode': 'enforce' }), report)).toEqual(violationMessages(report));
    expect(spy).not.toHaveBeenCalled();
    expect(modeErrors(root(), report)).toEqual([]);
    expect(spy.mock.calls.map((c) => c[0])).toEqual(violationMessages(report).map((m) => `[cdk-compliant-ml] warning: ${m}\n`));
  } finally {
    spy.mockRestore();
  }
});

test('Markdown: a violations table only when something is violated, and a legend of the controls used', () => {
  const withViolations = ComplianceReport.fromWorkloads([bad, clean]).toMarkdown();
  expect(withViolations).toContain('## Violations\n\nMost severe first.\n\n| severity | workload | control | title | evidence |\n|---|---|---|---|---|\n'
    + '| high | legacy/web | SEC-1 | Runs as non-root with a non-zero UID/GID >= 10000 | Deployment web a=1<br>Deployment web b=2 |\n'
    + '| medium | legacy/web | IMG-2 | No `:latest` and no untagged references | Deployment web image="nginx:latest" |\n');
  expect(withViolations).toContain('## Controls\n\n| control | title | severity | articles |\n|---|---|---|---|\n| IMG-1 |');
  const none = ComplianceReport.fromWorkloads([clean]).toMarkdown();
  expect(none).not.toContain('## Violations');
  expect(none.split('## Controls')[1]).not.toContain('SEC-1');
});
