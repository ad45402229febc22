/* eslint-disable @typescript-eslint/no-explicit-any */
// The ML-BOM of the four reference architectures (both backends): valid against the published schema and the CycloneDX
// library, its failing claims exactly the report's failures(), a component for every image, model and dataset the report
// records, and the same bytes for a second build of the app.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { failingClaims, libraryErrors, refProblems, renderBom, reportFailures, schemaErrors } from './cyclonedx-support';
import * as ecsGpuTraining from '../../../examples/ecs-gpu-training/app';
import * as ecsModelApi from '../../../examples/ecs-model-api/app';
import * as k8sLlmInference from '../../../examples/k8s-llm-inference/app';
import * as k8sRetraining from '../../../examples/k8s-retraining/app';
import { ComplianceReport } from '../../../src/compliance/compliance-report';
import { parseRenderedImage } from '../../../src/compliance/formats/cyclonedx-purl';
import { captureOutput } from '../../support/captured-output';

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function bomOf(example: { createApp(outdir: string): any }): { report: ComplianceReport; text: string; bom: any } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-cdx-'));
  tmpDirs.push(tmp);
  // aws-cdk prints its policy-validation report while the report synthesizes the app; the reference-architecture tests check it
  const output = captureOutput();
  let report: ComplianceReport;
  try {
    report = ComplianceReport.of(example.createApp(path.join(tmp, 'out')));
  } finally {
    output.restore();
  }
  const text = renderBom(report, 'synth');
  return { report, text, bom: JSON.parse(text) };
}

const EXAMPLES: Array<[string, { createApp(outdir: string): any }, string]> = [
  ['k8s-llm-inference', k8sLlmInference, 'kubernetes'],
  ['k8s-retraining', k8sRetraining, 'kubernetes'],
  ['ecs-model-api', ecsModelApi, 'ecs'],
  ['ecs-gpu-training', ecsGpuTraining, 'ecs'],
];

describe.each(EXAMPLES)('ML-BOM of examples/%s', (name, example, backend) => {
  let built: ReturnType<typeof bomOf>;
  beforeAll(() => {
    built = bomOf(example);
  });

  test('validates against the 1.6 schema (ajv strict, formats) and the CycloneDX library', async () => {
    expect(schemaErrors(built.bom)).toEqual([]);
    expect(await libraryErrors(built.text)).toBeNull();
  });

  test('the counter-claims are exactly the report\'s failures(); unique refs that all resolve', () => {
    expect(failingClaims(built.bom).sort()).toEqual(reportFailures(built.report).sort());
    expect(refProblems(built.bom)).toEqual({ dangling: [], duplicates: [] });
    expect(built.bom.declarations.claims).toHaveLength(built.report.workloads.reduce((n, w) => n + w.controls.length, 0));
  });

  test('a component for every workload, image (pinned: with its purl and hash), model and dataset of the report', () => {
    const byRef = new Map<string, any>(built.bom.components.map((c: any) => [c['bom-ref'], c]));
    const workloads = built.report.workloads;
    expect(workloads.length).toBeGreaterThan(0);
    expect(workloads.every((w) => w.backend === backend)).toBe(true);
    for (const w of workloads) {
      const workload = byRef.get(`workload:${w.path}`);
      expect(workload).toMatchObject({ type: 'application', name: w.path });
      const dependency = built.bom.dependencies.find((d: any) => d.ref === `workload:${w.path}`);
      for (const image of w.images) {
        const parsed = parseRenderedImage(image);
        expect(byRef.get(`image:${image}`)).toMatchObject({ type: 'container', hashes: [{ alg: 'SHA-256', content: parsed.digest!.slice(7) }] });
        expect(byRef.get(`image:${image}`).purl).toMatch(new RegExp(`^pkg:oci/[a-z0-9._-]+@${parsed.digest}\\?repository_url=`));
        expect(dependency.dependsOn).toContain(`image:${image}`);
      }
      if (w.model) {
        const model = byRef.get(`model:${w.model.name}@${w.model.version}`);
        expect(model).toMatchObject({ type: 'machine-learning-model', name: w.model.name, version: w.model.version });
      }
      for (const d of w.datasets ?? []) {
        expect(byRef.get(`dataset:${d.name}@${d.version}`)).toMatchObject({ type: 'data', name: d.name, version: d.version });
        expect(dependency.dependsOn).toContain(`dataset:${d.name}@${d.version}`);
      }
    }
  });

  test('a second build of the app gives the same bytes', () => {
    expect(bomOf(example).text).toBe(built.text);
  });

  if (name.endsWith('training')) {
    test('the training job\'s datasets are read from the output into the report and the trained model\'s card', () => {
      const jobs = built.report.workloads.filter((w) => w.kind === 'CompliantTrainingJob');
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) {
        expect(job.datasets?.length).toBeGreaterThan(0);
        const trained = built.bom.components.find((c: any) => c['bom-ref'] === `model:${job.model!.name}@${job.model!.version}`);
        expect(trained.modelCard.modelParameters.datasets).toEqual(job.datasets!.map((d) => ({ ref: `dataset:${d.name}@${d.version}` })));
      }
    });
  }
});

test('examples/k8s-retraining: the datasets of the CronJob, as its annotations record them', () => {
  const { report } = bomOf(k8sRetraining);
  expect(report.workloads.find((w) => w.path === 'fraud/retrain')?.datasets)
    .toEqual([{
      name: 'transactions',
      version: '2026-11',
      uri: 's3://acme-data/transactions/2026-11/',
      digest: 'sha256:2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a',
    }]);
  // services record none
  expect(report.workloads.filter((w) => w.kind === 'CompliantModelService').map((w) => w.datasets)).toEqual([undefined, undefined]);
});

test('examples/ecs-gpu-training: the datasets of the task, as its docker labels record them', () => {
  const { report } = bomOf(ecsGpuTraining);
  expect(report.workloads.filter((w) => w.kind === 'CompliantTrainingJob').map((w) => w.datasets))
    .toEqual([[{ name: 'sales', version: '2026-11', uri: 's3://acme-datasets-eu/sales/2026-11/' }]]);
});
