/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import { App, Chart } from 'cdk8s';
import { ComplianceMode, ComplianceReport, ReportFormat } from '../../../src/compliance';
import { REPORT_FORMAT_REGISTRY, reportFormatEntry } from '../../../src/compliance/formats/registry';
import { parseReportFormats } from '../../../src/compliance/report-format';
import { ImageReference } from '../../../src/core';
import * as ecs from '../../../src/ecs';
import * as k8s from '../../../src/k8s';
import { rawDeployment } from '../../support/k8s-report-app';

// Enabling report formats: the public API, the context key, the registry, and the files synthesis writes (docs/REPORT.md).

const DIGEST = `sha256:${'a'.repeat(64)}`;
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cml-formats-'));
const reportFiles = (outdir: string) => fs.readdirSync(outdir).filter((f) => f.startsWith('compliance-report.')).sort();

let stderr: jest.SpyInstance;
beforeEach(() => {
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => stderr.mockRestore());

function k8sApp(outdir: string, context: Record<string, unknown> = {}, chartId = 'fraud') {
  const app = new App({ outdir });
  Object.entries(context).forEach(([k, v]) => app.node.setContext(k, v));
  const chart = new Chart(app, chartId);
  new k8s.CompliantModelService(chart, 'scorer', { image: ImageReference.fromString(`ghcr.io/acme/scorer@${DIGEST}`), model: MODEL });
  rawDeployment(chart, 'nginx');
  return app;
}

function ecsApp(outdir: string, context: Record<string, unknown> = {}) {
  const app = new CdkApp({ outdir, context });
  const stack = new Stack(app, 'FraudServing', { env: { account: '123456789012', region: 'eu-central-1' } });
  new ecs.CompliantModelService(stack, 'Scorer', {
    image: ImageReference.fromString(`123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud@${DIGEST}`), model: MODEL,
  });
  new awsecs.FargateTaskDefinition(stack, 'Legacy').addContainer('web', { image: awsecs.ContainerImage.fromRegistry('nginx:latest') });
  return app;
}

describe('the format registry', () => {
  test('has one entry per ReportFormat, in enum order, with the file names of DESIGN §2', () => {
    expect(REPORT_FORMAT_REGISTRY.map((e) => e.format)).toEqual(Object.values(ReportFormat));
    expect(Object.fromEntries(REPORT_FORMAT_REGISTRY.map((e) => [e.format, e.fileName]))).toEqual({
      sarif: 'compliance-report.sarif',
      openreports: 'compliance-report.openreports.yaml',
      policyreport: 'compliance-report.policyreport.yaml',
      oscal: 'compliance-report.oscal.json',
      cyclonedx: 'compliance-report.cdx.json',
    });
    expect(ComplianceReport.fileNameOf(ReportFormat.SARIF)).toBe('compliance-report.sarif');
    expect(ComplianceReport.mediaTypeOf(ReportFormat.SARIF)).toBe('application/sarif+json');
    expect(ComplianceReport.mediaTypeOf(ReportFormat.CYCLONEDX)).toBe('application/vnd.cyclonedx+json');
    for (const e of REPORT_FORMAT_REGISTRY) {
      expect(e.mediaType).toMatch(/^application\/[\w.+-]+$/);
    }
  });

  test('fails when asked for a format that does not exist', () => {
    expect(() => reportFormatEntry('pdf' as ReportFormat)).toThrow('unknown report format "pdf": use one of sarif, openreports, policyreport, oscal, cyclonedx');
  });
});

describe('ComplianceReport.setFormats / formatsOf and the context key cdk-compliant-ml:formats', () => {
  test('nothing is enabled by default', () => {
    expect(ComplianceReport.formatsOf(new App())).toEqual([]);
    expect(ComplianceReport.FORMATS_CONTEXT_KEY).toBe('cdk-compliant-ml:formats');
  });

  test('the context key takes a comma-separated list, a JSON array in a string or an array; enum order, each once', () => {
    expect(parseReportFormats('sarif,cyclonedx')).toEqual([ReportFormat.SARIF, ReportFormat.CYCLONEDX]);
    expect(parseReportFormats(' CycloneDX , sarif,sarif ')).toEqual([ReportFormat.SARIF, ReportFormat.CYCLONEDX]);
    expect(parseReportFormats('["oscal","sarif"]')).toEqual([ReportFormat.SARIF, ReportFormat.OSCAL]);
    expect(parseReportFormats(['policyreport'])).toEqual([ReportFormat.POLICYREPORT]);
    expect(parseReportFormats('')).toEqual([]);
    const app = new App();
    app.node.setContext('cdk-compliant-ml:formats', 'sarif');
    expect(ComplianceReport.formatsOf(app)).toEqual([ReportFormat.SARIF]);
  });

  test('setFormats wins over the context key, on every construct of the app', () => {
    const app = new App();
    app.node.setContext('cdk-compliant-ml:formats', 'sarif');
    const chart = new Chart(app, 'c');
    ComplianceReport.setFormats(chart, [ReportFormat.CYCLONEDX, ReportFormat.OSCAL]);
    expect(ComplianceReport.formatsOf(app)).toEqual([ReportFormat.OSCAL, ReportFormat.CYCLONEDX]);
    ComplianceReport.setFormats(app, []);
    expect(ComplianceReport.formatsOf(chart)).toEqual([]);
  });

  test('fails when the context key names an unknown format, with the allowed values and an example', () => {
    const message = 'invalid value "sarif,pdf" of the context key "cdk-compliant-ml:formats": unknown format "pdf"; allowed values are a '
      + 'comma-separated list or a JSON array of "sarif", "openreports", "policyreport", "oscal", "cyclonedx" (e.g. -c cdk-compliant-ml:formats=sarif,cyclonedx)';
    expect(() => parseReportFormats('sarif,pdf')).toThrow(message);
    expect(() => parseReportFormats('[sarif')).toThrow(/cdk-compliant-ml:formats": not a JSON array/);
    expect(() => parseReportFormats(42)).toThrow(/not a list of format names/);
    expect(() => parseReportFormats([1])).toThrow(/not a list of format names/);
  });

  test('fails at the first workload when the context key is invalid (k8s and ECS), before any synth', () => {
    expect(() => k8sApp(tmp(), { 'cdk-compliant-ml:formats': 'xml' })).toThrow(/unknown format "xml"/);
    expect(() => ecsApp(tmp(), { 'cdk-compliant-ml:formats': 'xml' })).toThrow(/unknown format "xml"/);
  });

  test('fails when setFormats is given a value that is no ReportFormat', () => {
    expect(() => ComplianceReport.setFormats(new App(), ['xml' as ReportFormat])).toThrow(/invalid report format "xml": use ReportFormat.SARIF, /);
  });
});

describe('files written on synth', () => {
  test('k8s: only compliance-report.json and .md by default', () => {
    const outdir = tmp();
    k8sApp(outdir).synth();
    expect(reportFiles(outdir)).toEqual(['compliance-report.json', 'compliance-report.md']);
  });

  test('k8s: the enabled format beside them, rendered from the same report, located in the manifest cdk8s wrote', () => {
    const outdir = tmp();
    k8sApp(outdir, { 'cdk-compliant-ml:formats': 'sarif' }).synth();
    expect(reportFiles(outdir)).toEqual(['compliance-report.json', 'compliance-report.md', 'compliance-report.sarif']);
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.sarif'), 'utf-8'));
    const manifest = fs.readFileSync(path.join(outdir, 'fraud.k8s.yaml'), 'utf-8').split('\n');
    const avl1 = sarif.runs[0].results.find((r: any) => r.ruleId === 'AVL-1');
    const region = avl1.locations[0].physicalLocation;
    expect(region.artifactLocation.uri).toBe(`file://${path.join(outdir, 'fraud.k8s.yaml')}`); // outside the current directory: absolute
    // the line of `replicas: 1` of the raw Deployment nginx in the written file
    expect(manifest[region.region.startLine - 1]).toMatch(/^\s+replicas: 1$/);
    expect(manifest.slice(0, region.region.startLine).reverse().find((l) => /^\s+name: /.test(l))).toMatch(/name: nginx$/);
  });

  test('ECS: the enabled format in the cloud assembly, located in the stack template', () => {
    const outdir = tmp();
    const app = ecsApp(outdir);
    ComplianceReport.setFormats(app, [ReportFormat.SARIF]);
    app.synth();
    expect(reportFiles(outdir)).toEqual(['compliance-report.json', 'compliance-report.md', 'compliance-report.sarif']);
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.sarif'), 'utf-8'));
    const template = fs.readFileSync(path.join(outdir, 'FraudServing.template.json'), 'utf-8').split('\n');
    const sec1 = sarif.runs[0].results.find((r: any) => r.ruleId === 'SEC-1' && r.properties.workload.startsWith('FraudServing/Legacy'));
    const at = sec1.locations[0].physicalLocation;
    expect(at.artifactLocation.uri).toMatch(/FraudServing\.template\.json$/);
    // User is absent: the closest existing parent, the container definition of the Legacy task definition
    const line = template[at.region.startLine - 1];
    expect(line).toMatch(/^\s+("ContainerDefinitions": \[|\{)$/);
    // the resource it is in: the closest resource key above (aws-cdk indents templates by one space)
    expect(template.slice(0, at.region.startLine).reverse().find((l) => /^ {2}"\w+": \{$/.test(l))).toMatch(/^ {2}"Legacy[0-9A-F]{8}": \{$/);
  });

  test('a format no longer enabled leaves no stale file; the report files stay', () => {
    const outdir = tmp();
    const first = k8sApp(outdir);
    ComplianceReport.setFormats(first, [ReportFormat.SARIF]);
    first.synth();
    expect(reportFiles(outdir)).toContain('compliance-report.sarif');
    ComplianceReport.setFormats(first, []);
    first.synth();
    expect(reportFiles(outdir)).toEqual(['compliance-report.json', 'compliance-report.md']);
  });

  test('two apps in one directory: the format files hold the workloads of both, and the formats either enabled', () => {
    const outdir = tmp();
    const one = k8sApp(outdir, {}, 'one');
    ComplianceReport.setFormats(one, [ReportFormat.SARIF]);
    one.synth();
    k8sApp(outdir, {}, 'two').synth(); // enables none: the SARIF of app one stays, now with the workloads of both
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.sarif'), 'utf-8'));
    const workloads = [...new Set(sarif.runs[0].results.map((r: any) => r.properties.workload))];
    expect(workloads).toEqual(['one/nginx', 'two/nginx']);
    const files = new Set(sarif.runs[0].results.map((r: any) => path.basename(r.locations[0].physicalLocation.artifactLocation.uri)));
    expect([...files].sort()).toEqual(['one.k8s.yaml', 'two.k8s.yaml']);
  });

  test('enforcement fails synthesis: the formats are still written (no manifest was written, so without file locations)', () => {
    const outdir = tmp();
    const app = k8sApp(outdir, { 'cdk-compliant-ml:formats': 'sarif' });
    ComplianceReport.setMode(app, ComplianceMode.ENFORCE);
    expect(() => app.synth()).toThrow(/AVL-1/);
    expect(fs.existsSync(path.join(outdir, 'fraud.k8s.yaml'))).toBe(false);
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.sarif'), 'utf-8'));
    const results = sarif.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r: any) => r.locations[0].physicalLocation === undefined && r.locations[0].logicalLocations[0].fullyQualifiedName === 'fraud/nginx')).toBe(true);
  });

  test('two synths of the same app into the same directory write the same bytes', () => {
    const outdir = tmp();
    const read = () => Object.fromEntries(reportFiles(outdir).map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf-8')]));
    ecsApp(outdir, { 'cdk-compliant-ml:formats': 'sarif' }).synth();
    const first = read();
    fs.rmSync(outdir, { recursive: true }); // a new app, as in a new process: nothing to merge with
    ecsApp(outdir, { 'cdk-compliant-ml:formats': 'sarif' }).synth();
    expect(read()).toEqual(first);
    expect(Object.keys(first)).toContain('compliance-report.sarif');
  });
});

describe('report.render(format): the format in memory', () => {
  test('is the file a synth writes, without file locations', () => {
    const outdir = tmp();
    const app = k8sApp(outdir, { 'cdk-compliant-ml:formats': 'sarif' });
    const inMemory = JSON.parse(ComplianceReport.of(app).render(ReportFormat.SARIF));
    app.synth();
    const written = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.sarif'), 'utf-8'));
    const withoutPlaces = (log: any) => log.runs[0].results
      .map((r: any) => ({ ...r, locations: r.locations.map((l: any) => l.logicalLocations), relatedLocations: undefined }));
    expect(withoutPlaces(inMemory)).toEqual(withoutPlaces(written));
    expect(inMemory.runs[0].tool).toEqual(written.runs[0].tool);
  });
});
