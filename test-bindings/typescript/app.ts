// The TypeScript twin of test-bindings/{python,java,go}: the same model service and training job on both backends, written to
// <outdir>/k8s (cdk8s: manifests and reports) and <outdir>/ecs (the cloud assembly: template and reports). `npx projen
// bindings:test` runs it and compares every file the other languages write with these, byte for byte.
// It loads the compiled library (lib/, with jsii's type information, as the bindings' kernel does), so compile first.
// Usage: ts-node --transpile-only test-bindings/typescript/app.ts <outdir>
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as cdk8s from 'cdk8s';
import { ImageReference, ecs, k8s } from '../../lib';

/** Images pinned by digest (example digests, as in the README). */
export const SCORER_IMAGE = 'ghcr.io/acme/fraud-scorer:1.4.2@sha256:' + 'a'.repeat(64);
export const TRAINER_IMAGE = 'ghcr.io/acme/fraud-train:2.0.1@sha256:' + 'c'.repeat(64);
export const ECR_SCORER_IMAGE = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-scorer:1.4.2@sha256:' + 'b'.repeat(64);
export const ECR_TRAINER_IMAGE = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-train:2.0.1@sha256:' + 'c'.repeat(64);

export function synthKubernetes(outdir: string): void {
  const app = new cdk8s.App({ outdir });
  const chart = new cdk8s.Chart(app, 'fraud', { namespace: 'fraud' });
  new k8s.CompliantModelService(chart, 'scorer', {
    image: ImageReference.fromString(SCORER_IMAGE),
    model: { name: 'fraud-scorer', version: '1.4.2' },
    autoscaling: { minReplicas: 2, maxReplicas: 4 },
    logShipping: k8s.LogShipping.sidecar(k8s.LogDestination.otlpHttp({ host: 'otel-collector.observability.svc' })),
    modelLoadTimeout: cdk8s.Duration.minutes(5),
  });
  new k8s.CompliantTrainingJob(chart, 'retrain', {
    image: ImageReference.fromString(TRAINER_IMAGE),
    model: { name: 'fraud-scorer', version: '1.5.0' },
    schedule: '0 3 * * *',
    gpuCount: 1,
  });
  app.synth();
}

export function synthEcs(outdir: string): void {
  const app = new cdk.App({ outdir });
  const stack = new cdk.Stack(app, 'FraudServing');
  new ecs.CompliantModelService(stack, 'Scorer', {
    image: ImageReference.fromString(ECR_SCORER_IMAGE),
    model: { name: 'fraud-scorer', version: '1.4.2' },
    autoscaling: { maxCapacity: 4 },
  });
  const job = new ecs.CompliantTrainingJob(stack, 'Retrain', {
    image: ImageReference.fromString(ECR_TRAINER_IMAGE),
    model: { name: 'fraud-scorer', version: '1.5.0' },
    schedule: ScheduleExpression.cron({ minute: '0', hour: '3' }),
    timeout: cdk.Duration.hours(2),
  });
  job.onFailure('Alert');
  app.synth();
}

if (require.main === module) {
  const outdir = process.argv[2];
  if (!outdir) throw new Error('usage: app.ts <outdir>');
  synthKubernetes(path.join(outdir, 'k8s'));
  synthEcs(path.join(outdir, 'ecs'));
}
