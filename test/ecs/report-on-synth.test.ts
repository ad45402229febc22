import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import { ComplianceMode, ComplianceReport, ControlStatus } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import * as ecs from '../../src/ecs';
import { captureOutputInEachTest, policyValidationReports } from '../support/captured-output';

const IMAGE = `ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'b'.repeat(64)}`;
const WARNING = '[cdk-compliant-ml] warning:';

/** Ours plus a foreign task definition that breaks several controls, in a fresh cloud-assembly directory. */
function mixedApp(context?: Record<string, string>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-ecs-'));
  const app = new App({ outdir, context });
  const stack = new Stack(app, 'FraudServing');
  const service = new ecs.CompliantModelService(stack, 'Scorer', {
    image: ImageReference.fromString(IMAGE), model: { name: 'fraud-scorer', version: '1.4.2' },
  });
  const legacy = new awsecs.FargateTaskDefinition(stack, 'Legacy', { cpu: 256, memoryLimitMiB: 512 });
  legacy.addContainer('app', { image: awsecs.ContainerImage.fromRegistry('nginx:latest') });
  return { app, stack, service, outdir };
}

// report mode prints warnings to stderr and aws-cdk prints the policy-validation report with console.error: both captured
const output = captureOutputInEachTest();
const warnings = () => output().stderr().filter((l) => l.startsWith(WARNING));

describe('the report of an aws-cdk app', () => {
  test('app.synth() writes compliance-report.json and .md into the cloud assembly directory', () => {
    const { app, outdir } = mixedApp();
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf-8'));
    expect(json.workloads.map((w: { path: string; kind: string }) => [w.path, w.kind])).toEqual([
      ['FraudServing/Legacy', 'TaskDefinition'], ['FraudServing/Scorer', 'CompliantModelService'],
    ]);
    const [legacy, ours] = json.workloads;
    expect(ours.controls.filter((c: { status: string }) => c.status === ControlStatus.VIOLATED)).toEqual([]);
    expect(ours.acknowledgedRules.map((r: { rule: string }) => r.rule)).toContain('AwsSolutions-ECS2');
    expect(legacy.controls.find((c: { id: string }) => c.id === 'IMG-2')).toMatchObject({
      status: 'violated', evidence: [expect.stringMatching(/^TaskDefinition Legacy\w+ ContainerDefinitions\[0\]\.Image="nginx:latest"$/)],
    });
    const md = fs.readFileSync(path.join(outdir, 'compliance-report.md'), 'utf-8');
    expect(md).toContain('## FraudServing/Scorer');
    expect(md).toMatch(/\| IMG-2 \| No `:latest` and no untagged references \| medium \| violated \| Art\. 15\(1\), Art\. 15\(4\) \| TaskDefinition Legacy\w+ ContainerDefinitions\[0\]\.Image="nginx:latest" \|/);
    expect(md).toContain('| AwsSolutions-ECS2 | FraudServing/Scorer/TaskDefinition |');
  });

  test('ComplianceReport.of(app) equals the written JSON', () => {
    const { app, outdir } = mixedApp();
    const report = ComplianceReport.of(app);
    // of() writes no report file (it synthesizes for itself); the app's own synth writes the same report
    expect(fs.existsSync(path.join(outdir, 'compliance-report.json'))).toBe(false);
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf-8')).toBe(report.toJsonString());
  });

  test('two synths of the same app give byte-identical files', () => {
    const a = mixedApp();
    const b = mixedApp();
    a.app.synth();
    b.app.synth();
    for (const file of ['compliance-report.json', 'compliance-report.md', 'FraudServing.template.json']) {
      expect(fs.readFileSync(path.join(a.outdir, file), 'utf-8')).toBe(fs.readFileSync(path.join(b.outdir, file), 'utf-8'));
    }
  });

  test('report mode warns once per violated control and succeeds', () => {
    const { app, outdir } = mixedApp();
    app.synth();
    expect(fs.existsSync(path.join(outdir, 'FraudServing.template.json'))).toBe(true);
    const lines = warnings();
    // one warning per failing control: violated or unverified (the bare task definition's NET-1/MON-1 are unverified since
    // its network and cluster are chosen by whoever runs it)
    expect(lines.length).toBe(ComplianceReport.of(app).failures().length);
    expect(lines.join('')).toMatch(/FraudServing\/Legacy: IMG-2 .* violated: TaskDefinition Legacy\w+ ContainerDefinitions\[0\]\.Image="nginx:latest"/);
  });

  test('enforce mode fails synthesis listing every violation at once, after writing the report', () => {
    const { app, outdir } = mixedApp();
    ComplianceReport.setMode(app, ComplianceMode.ENFORCE);
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    const violations = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf-8'))
      .workloads.flatMap((w: { controls: Array<{ status: string; id: string }> }) => w.controls.filter((c) => ['violated', 'unverified'].includes(c.status)));
    expect(violations.length).toBeGreaterThan(5);
    expect(message).toContain(`${violations.length} control(s) violated without a waiver`);
    for (const id of ['IMG-1', 'IMG-2', 'SEC-1', 'SEC-5', 'LOG-1', 'JOB-1']) {
      expect(message).toMatch(new RegExp(`FraudServing/Legacy: ${id} `));
    }
    expect(message).not.toMatch(/FraudServing\/Scorer:/);
  });

  test('enforce mode from the context key; an app without violations synthesizes', () => {
    const { app } = mixedApp({ 'cdk-compliant-ml:mode': 'enforce' });
    expect(() => app.synth()).toThrow(/control\(s\) violated without a waiver/);
    const clean = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-ecs-')), context: { 'cdk-compliant-ml:mode': 'enforce' } });
    new ecs.CompliantModelService(new Stack(clean, 'S'), 'Scorer', { image: ImageReference.fromString(IMAGE), model: { name: 'm', version: '1' } });
    expect(() => clean.synth()).not.toThrow();
  });

  test('an invalid mode in the context is refused with the allowed values', () => {
    expect(() => mixedApp({ 'cdk-compliant-ml:mode': 'strict' })).toThrow(/"strict".*cdk-compliant-ml:mode.*"report" and "enforce"/);
  });
});

describe('the policy validation plugin', () => {
  // aws-cdk sets process.exitCode = 1 when a plugin reports violations; keep jest's own exit code clean
  let exitCode: typeof process.exitCode;
  beforeEach(() => {
    exitCode = process.exitCode;
  });
  afterEach(() => {
    process.exitCode = exitCode;
  });

  test('reports each violated control of foreign task definitions with the resource and the offending field', () => {
    const { app } = mixedApp();
    Validations.of(app).addPlugins(new ecs.CompliancePolicyPlugin());
    const dir = app.synth().directory;
    const report = new ecs.CompliancePolicyPlugin().validate({ templatePaths: [path.join(dir, 'FraudServing.template.json')] });
    expect(report.success).toBe(false);
    const img2 = report.violations.find((v) => v.ruleName === 'IMG-2')!;
    expect(img2.violatingResources).toEqual([expect.objectContaining({
      resourceLogicalId: expect.stringMatching(/^Legacy/), locations: [expect.stringMatching(/Image="nginx:latest"/)],
    })]);
    const flagged = report.violations.flatMap((v) => v.violatingResources.map((r) => r.resourceLogicalId));
    expect(flagged.some((id) => id!.startsWith('Scorer'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'policy-validation-report.json'), 'utf-8')).toContain('"ruleName": "IMG-2"');
    expect(process.exitCode).toBe(1);
    // aws-cdk prints the report with console.error: failure, each violated control of the foreign task definition
    const printed = policyValidationReports(output().consoleErrors());
    expect(printed).toEqual([expect.stringMatching(/Status: failure/)]);
    expect(printed[0]).toMatch(/IMG-2 \(1 occurrences\)[\s\S]*Construct Path: FraudServing\/Legacy\/Resource/);
    expect(printed[0]).not.toMatch(/Construct Path: FraudServing\/Scorer/);
  });

  test('waivers recorded in the template metadata are honoured', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-ecs-')) });
    const stack = new Stack(app, 'S');
    new ecs.CompliantModelService(stack, 'Solo', {
      image: ImageReference.fromString(IMAGE),
      model: { name: 'm', version: '1' },
      replicas: 1,
      waivers: [{ control: 'AVL-1', reason: 'a single task is enough in the sandbox account' }],
    });
    const dir = app.synth().directory;
    const report = new ecs.CompliancePolicyPlugin().validate({ templatePaths: [path.join(dir, 'S.template.json')] });
    expect(report).toEqual({ success: true, violations: [] });
  });
});
