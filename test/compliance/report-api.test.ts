/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { CfnTaskDefinition } from 'aws-cdk-lib/aws-ecs';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { ComplianceMode, ComplianceReport } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import * as ecs from '../../src/ecs';
import * as k8s from '../../src/k8s';

// The in-app report API without surprises: ComplianceReport.of() returns the report in enforce mode (only synthesis fails),
// and a change made after ComplianceReport.of() or complianceEntry() is never silently lost.

const IMAGE = `ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`;
const ECR_IMAGE = `123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud@sha256:${'a'.repeat(64)}`;
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cml-report-api-'));

let stderr: jest.SpyInstance;
beforeEach(() => {
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => stderr.mockRestore());

const statusOf = (report: any, pathSuffix: string, id: string) =>
  report.workloads.find((w: any) => w.path.endsWith(pathSuffix)).controls.find((c: any) => c.id === id).status;

function ecsApp() {
  const app = new CdkApp({ outdir: tmp() });
  const stack = new Stack(app, 'FraudServing', { env: { account: '123456789012', region: 'eu-central-1' } });
  const service = new ecs.CompliantModelService(stack, 'Scorer', { image: ImageReference.fromString(ECR_IMAGE), model: MODEL });
  const taskDefinition = stack.node.findAll().find((c): c is CfnTaskDefinition => c instanceof CfnTaskDefinition)!;
  return { app, stack, service, taskDefinition };
}

function k8sApp() {
  const app = new App({ outdir: tmp() });
  const chart = new Chart(app, 'fraud');
  const service = new k8s.CompliantModelService(chart, 'scorer', { image: ImageReference.fromString(IMAGE), model: MODEL });
  const deployment = chart.node.findAll().find((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Deployment')!;
  return { app, chart, service, deployment };
}

const readReport = (outdir: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf-8'));

describe('ECS: ComplianceReport.of(app)', () => {
  test('returns the report in enforce mode; only synthesis fails', () => {
    const { app, taskDefinition } = ecsApp();
    ComplianceReport.setMode(app, ComplianceMode.ENFORCE);
    taskDefinition.addPropertyOverride('ContainerDefinitions.0.User', '0');
    const report = ComplianceReport.of(app).toJson();
    expect(statusOf(report, 'FraudServing/Scorer', 'SEC-1')).toBe('violated');
    expect(() => app.synth()).toThrow(/SEC-1/);
  });

  test('a property override after ComplianceReport.of(app) reaches the synthesized template and the report', () => {
    const { app, stack, taskDefinition } = ecsApp();
    expect(statusOf(ComplianceReport.of(app).toJson(), 'FraudServing/Scorer', 'SEC-1')).toBe('enforced');
    taskDefinition.addPropertyOverride('ContainerDefinitions.0.User', '0');
    const assembly = app.synth();
    const template = assembly.getStackArtifact(stack.artifactId).template;
    const task = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition');
    expect(task.Properties.ContainerDefinitions[0].User).toBe('0');
    expect(statusOf(readReport(app.outdir), 'FraudServing/Scorer', 'SEC-1')).toBe('violated');
  });
});

test('ECS: a property override after complianceEntry() reaches the template, the report and the next entry', () => {
  const { app, service, taskDefinition } = ecsApp();
  const sec1 = () => service.complianceEntry().controls.find((c) => c.id === 'SEC-1')!.status;
  expect(sec1()).toBe('enforced');
  taskDefinition.addPropertyOverride('ContainerDefinitions.0.User', '0');
  expect(sec1()).toBe('violated');
  app.synth();
  expect(statusOf(readReport(app.outdir), 'FraudServing/Scorer', 'SEC-1')).toBe('violated');
});

test('Kubernetes: a JSON patch after complianceEntry() reaches the report and the next entry', () => {
  const { app, service, deployment } = k8sApp();
  const sec6 = () => service.complianceEntry().controls.find((c) => c.id === 'SEC-6')!.status;
  expect(sec6()).toBe('enforced');
  deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));
  expect(sec6()).toBe('violated');
  app.synth();
  expect(statusOf(readReport(app.outdir), 'fraud/scorer', 'SEC-6')).toBe('violated');
});

describe('Kubernetes: ComplianceReport.of(app)', () => {
  test('returns the report in enforce mode; only synthesis fails', () => {
    const { app, deployment } = k8sApp();
    ComplianceReport.setMode(app, ComplianceMode.ENFORCE);
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));
    const report = ComplianceReport.of(app).toJson();
    expect(statusOf(report, 'fraud/scorer', 'SEC-6')).toBe('violated');
    expect(() => app.synth()).toThrow(/SEC-6/);
  });

  test('a JSON patch after ComplianceReport.of(app) reaches the manifest and the report', () => {
    const { app, deployment } = k8sApp();
    expect(statusOf(ComplianceReport.of(app).toJson(), 'fraud/scorer', 'SEC-6')).toBe('enforced');
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));
    app.synth();
    const manifest = fs.readFileSync(path.join(app.outdir, fs.readdirSync(app.outdir).find((f) => f.endsWith('.k8s.yaml'))!), 'utf-8');
    expect(manifest).toMatch(/privileged: true\n/);
    expect(statusOf(readReport(app.outdir), 'fraud/scorer', 'SEC-6')).toBe('violated');
  });
});
