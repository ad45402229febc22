/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { App, Chart } from 'cdk8s';
import { ComplianceReport } from '../../src/compliance';
import { writeReportFiles } from '../../src/compliance/report-output';
import { ImageReference } from '../../src/core';
import * as ecs from '../../src/ecs';
import * as k8s from '../../src/k8s';

// Two apps writing into one output directory: their reports are merged, never silently overwritten (docs/REPORT.md).

const DIGEST = `sha256:${'a'.repeat(64)}`;
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cml-report-outdir-'));
const paths = (outdir: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf-8')).workloads.map((w: any) => w.path);

let stderr: jest.SpyInstance;
beforeEach(() => {
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => stderr.mockRestore());

function k8sApp(outdir: string, chartId = 'fraud') {
  const app = new App({ outdir });
  new k8s.CompliantModelService(new Chart(app, chartId), 'scorer', { image: ImageReference.fromString(`ghcr.io/acme/scorer@${DIGEST}`), model: MODEL });
  return app;
}

function ecsApp(outdir: string) {
  const app = new CdkApp({ outdir });
  const stack = new Stack(app, 'FraudServing', { env: { account: '123456789012', region: 'eu-central-1' } });
  new ecs.CompliantModelService(stack, 'Scorer', {
    image: ImageReference.fromString(`123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud@${DIGEST}`), model: MODEL,
  });
  return app;
}

describe('two apps, one output directory', () => {
  test('a cdk8s app and an aws-cdk app: the report files hold the workloads of both', () => {
    const outdir = tmp();
    k8sApp(outdir).synth();
    ecsApp(outdir).synth();
    expect(paths(outdir)).toEqual(['FraudServing/Scorer', 'fraud/scorer']);
    const markdown = fs.readFileSync(path.join(outdir, 'compliance-report.md'), 'utf-8');
    expect(markdown).toContain('## FraudServing/Scorer');
    expect(markdown).toContain('## fraud/scorer');
  });

  test('an app synthesized again replaces its own entries; the other app\'s stay', () => {
    const outdir = tmp();
    const first = k8sApp(outdir, 'one');
    first.synth();
    k8sApp(outdir, 'two').synth();
    first.synth();
    expect(paths(outdir)).toEqual(['one/scorer', 'two/scorer']);
  });

  test('fails clearly when two apps have a workload of the same path', () => {
    const outdir = tmp();
    k8sApp(outdir).synth();
    expect(() => k8sApp(outdir).synth()).toThrow(new RegExp(`two apps write their compliance report into ${outdir.replace(/[/.]/g, '\\$&')} `
      + 'and both have a workload "fraud/scorer": one report cannot hold both; give each app its own output directory'));
  });

  test('a report without an app (check, fromWorkloads) replaces the files', () => {
    const outdir = tmp();
    k8sApp(outdir).synth();
    writeReportFiles(outdir, ComplianceReport.fromWorkloads([]));
    expect(paths(outdir)).toEqual([]);
  });
});
