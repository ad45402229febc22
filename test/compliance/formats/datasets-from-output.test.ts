/* eslint-disable @typescript-eslint/no-explicit-any */
// WorkloadReport.datasets, which the ML-BOM's data components come from, is read from the output: the training job's
// annotations (Kubernetes) or its main container's docker labels (ECS), for our constructs and for foreign workloads that
// carry the same keys, in the app and in `cdk-compliant-ml check`.
import * as fs from 'fs';
import * as path from 'path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { CfnTaskDefinition } from 'aws-cdk-lib/aws-ecs';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { ComplianceReport } from '../../../src/compliance';
import { ImageReference } from '../../../src/core';
import { datasetsFromProvenance } from '../../../src/core/provenance-keys';
import * as ecs from '../../../src/ecs';
import * as k8s from '../../../src/k8s';
import { runCli, tmpdir } from '../../cli/support';

const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-train:2.0.1@sha256:${'7d'.repeat(32)}`);
const ECR_IMAGE = ImageReference.fromString(`123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-train:1.4.0@sha256:${'c'.repeat(64)}`);
const DATASETS = [
  { name: 'transactions', version: '2026-11', uri: 's3://acme-data/transactions/2026-11/', digest: `sha256:${'a'.repeat(64)}` },
  { name: 'chargebacks', version: '2026-10' },
];
const KEY = (i: number, field: string) => `dataset-${i}.compliance.cdk-compliant-ml.io/${field}`;

describe('datasets read from provenance keys', () => {
  test('the inverse of what the constructs write: index order, every field, only name+version datasets', () => {
    expect(datasetsFromProvenance({
      [KEY(10, 'name')]: 'late',
      [KEY(10, 'version')]: '3',
      [KEY(2, 'name')]: 'early',
      [KEY(2, 'version')]: '1',
      [KEY(2, 'uri')]: 's3://x/',
      [KEY(2, 'digest')]: `sha256:${'b'.repeat(64)}`,
      [KEY(3, 'name')]: 'no-version',
      [KEY(4, 'version')]: 'no-name',
      'dataset-x.compliance.cdk-compliant-ml.io/name': 'not an index',
      'dataset-01.compliance.cdk-compliant-ml.io/name': 'leading zero',
      'model.compliance.cdk-compliant-ml.io/name': 'a model',
    })).toEqual([
      { name: 'early', version: '1', uri: 's3://x/', digest: `sha256:${'b'.repeat(64)}` },
      { name: 'late', version: '3' },
    ]);
  });

  test('fails when nothing is recorded, or values are not text: undefined, never an empty list', () => {
    expect(datasetsFromProvenance(undefined)).toBeUndefined();
    expect(datasetsFromProvenance({})).toBeUndefined();
    expect(datasetsFromProvenance(['x'] as any)).toBeUndefined();
    expect(datasetsFromProvenance({ [KEY(0, 'name')]: { Ref: 'Name' }, [KEY(0, 'version')]: '1' })).toBeUndefined();
    expect(datasetsFromProvenance({ [KEY(0, 'name')]: { Ref: 'Name' }, [KEY(0, 'version')]: '1' }, () => '${Name}'))
      .toEqual([{ name: '${Name}', version: '1' }]);
  });
});

describe('Kubernetes: datasets from the workload\'s annotations', () => {
  const job = (patch?: (o: ApiObject) => void) => {
    const chart = Testing.chart();
    const trainer = new k8s.CompliantTrainingJob(chart, 'retrain', { image: IMAGE, model: { name: 'fraud', version: '1.5.0' }, datasets: DATASETS });
    if (patch) {
      patch(trainer.job!);
    }
    return { chart, trainer };
  };

  test('CompliantTrainingJob: the datasets as its annotations record them, in order', () => {
    expect(job().trainer.complianceEntry().datasets).toEqual(DATASETS);
  });

  test('fails when an escape hatch changes the annotation: the report shows the output, not the props', () => {
    const { trainer } = job((o) => o.addJsonPatch(JsonPatch.replace(`/metadata/annotations/${KEY(1, 'version').replace('/', '~1')}`, '2026-12')));
    expect(trainer.complianceEntry().datasets).toEqual([DATASETS[0], { name: 'chargebacks', version: '2026-12' }]);
    const removed = job((o) => o.addJsonPatch(JsonPatch.remove(`/metadata/annotations/${KEY(0, 'name').replace('/', '~1')}`))).trainer;
    expect(removed.complianceEntry().datasets).toEqual([DATASETS[1]]);
  });

  test('a model service records none', () => {
    const chart = Testing.chart();
    const service = new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: { name: 'fraud', version: '1.4.2' } });
    expect(service.complianceEntry().datasets).toBeUndefined();
  });

  test('a foreign Job in the app with the same annotations gets them too', () => {
    const app = new App();
    const chart = new Chart(app, 'foreign');
    new ApiObject(chart, 'job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'hand-written', annotations: { [KEY(0, 'name')]: 'labels', [KEY(0, 'version')]: 'v7' } },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'train', image: IMAGE.toString() }] } } },
    });
    const entry = ComplianceReport.of(app).workloads.find((w) => w.kind === 'Job');
    expect(entry?.datasets).toEqual([{ name: 'labels', version: 'v7' }]);
  });

  test('check: a hand-written Job manifest with the annotations', async () => {
    const dir = tmpdir();
    const file = path.join(dir, 'job.yaml');
    fs.writeFileSync(file, [
      'apiVersion: batch/v1', 'kind: Job', 'metadata:', '  name: nightly', '  annotations:',
      `    ${KEY(0, 'name')}: transactions`, `    ${KEY(0, 'version')}: "2026-11"`, `    ${KEY(0, 'uri')}: s3://acme-data/tx/`,
      'spec:', '  template:', '    spec:', '      restartPolicy: Never', '      containers:', '        - name: train', `          image: ${IMAGE}`, '',
    ].join('\n'));
    const r = await runCli(['check', '--format', 'json', '--quiet', '--no-report', file]);
    expect(JSON.parse(r.stdout).workloads.map((w: any) => w.datasets)).toEqual([[{ name: 'transactions', version: '2026-11', uri: 's3://acme-data/tx/' }]]);
  });
});

describe('ECS: datasets from the main container\'s docker labels', () => {
  const synth = (patch?: (t: CfnTaskDefinition) => void) => {
    const app = new CdkApp();
    const stack = new Stack(app, 'Training', { env: { account: '123456789012', region: 'eu-central-1' } });
    const job = new ecs.CompliantTrainingJob(stack, 'Job', { image: ECR_IMAGE, model: { name: 'fraud', version: '1.5.0' }, datasets: DATASETS });
    if (patch) {
      patch(job.taskDefinition.node.defaultChild as CfnTaskDefinition);
    }
    return { app, job };
  };

  test('CompliantTrainingJob: the datasets as its docker labels record them', () => {
    expect(synth().job.complianceEntry().datasets).toEqual(DATASETS);
  });

  test('fails when an escape hatch changes the label: the report shows the template', () => {
    const { job } = synth((t) => t.addPropertyOverride(`ContainerDefinitions.0.DockerLabels.${KEY(1, 'version').replace(/\./g, '\\.')}`, '2026-12'));
    expect(job.complianceEntry().datasets).toEqual([DATASETS[0], { name: 'chargebacks', version: '2026-12' }]);
  });

  test('check: a hand-written task definition with the labels, an intrinsic value flattened', async () => {
    const dir = tmpdir();
    const file = path.join(dir, 'train.template.json');
    fs.writeFileSync(file, JSON.stringify({
      Resources: {
        Train: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: {
            ContainerDefinitions: [
              { Name: 'router', Image: 'amazon/aws-for-fluent-bit:2.32.0', Essential: false, FirelensConfiguration: { Type: 'fluentbit' } },
              {
                Name: 'train',
                Image: ECR_IMAGE.toString(),
                DockerLabels: { [KEY(0, 'name')]: 'sales', [KEY(0, 'version')]: { Ref: 'SalesVersion' }, [KEY(0, 'uri')]: 's3://d/sales/' },
              },
            ],
          },
        },
      },
    }));
    const r = await runCli(['check', '--format', 'json', '--quiet', '--no-report', file]);
    expect(JSON.parse(r.stdout).workloads.map((w: any) => w.datasets)).toEqual([[{ name: 'sales', version: '${SalesVersion}', uri: 's3://d/sales/' }]]);
  });
});
