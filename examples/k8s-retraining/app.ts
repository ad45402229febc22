// Reference architecture 2: the nightly retraining CronJob of a fraud-scoring model, next to the Deployment that serves it.
//
// * `scorer`: the serving Deployment with the library's defaults (2 replicas, PDB, spread, probes, Fluent Bit sidecar);
// * `scorer-canary`: the next model version, autoscaled, shipping its logs over OTLP/HTTP to an OpenTelemetry Collector;
// * `retrain`: a CronJob at 03:00 on a GPU node: bounded retries and deadline, datasets mounted read-only from PVCs,
//   checkpoints on a PVC so that a retried pod resumes, provenance (datasets, code revision) in annotations.
//
// The image names and digests are examples: they do not point at published images.
import { App, Chart } from 'cdk8s';
import { ImageReference, k8s } from '../../src';

const TRAINER = 'ghcr.io/acme/fraud-train:2.0.1@sha256:7d2e4f6a8b0c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e';
const SCORER = 'ghcr.io/acme/fraud-scorer:1.4.2@sha256:3b1c9d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c';

/**
 * Builds the app without synthesizing it.
 *
 * @param outdir where `app.synth()` writes the manifests and the compliance report (default: `CDK8S_OUTDIR`, else `dist`)
 */
export function createApp(outdir?: string): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'fraud', { namespace: 'fraud' });
  new k8s.CompliantModelService(chart, 'scorer', {
    image: ImageReference.fromString(SCORER),
    model: { name: 'fraud-scorer', version: '1.4.2', uri: 'models:/fraud-scorer/7' },
    priorityClassName: 'inference',
  });
  new k8s.CompliantModelService(chart, 'scorer-canary', {
    image: ImageReference.fromString(SCORER),
    model: { name: 'fraud-scorer', version: '1.5.0-rc1', framework: 'sklearn' },
    autoscaling: { minReplicas: 2, maxReplicas: 8 },
    priorityClassName: 'inference',
    logShipping: k8s.LogShipping.sidecar(k8s.LogDestination.otlpHttp({ host: 'otel-collector.observability.svc' })),
    imageProvenance: { source: 'https://github.com/acme/fraud-scorer', revision: '9f2c4e1a7b3d', version: '1.5.0-rc1', created: '2026-11-20T08:00:00Z' },
  });
  new k8s.CompliantTrainingJob(chart, 'retrain', {
    image: ImageReference.fromString(TRAINER),
    model: { name: 'fraud-scorer', version: '1.5.0' },
    datasets: [{ name: 'transactions', version: '2026-11', uri: 's3://acme-data/transactions/2026-11/' }],
    codeRevision: '9f2c4e1a7b3d',
    schedule: '0 3 * * *',
    datasetClaims: [{ claimName: 'transactions-2026-11', mountPath: '/data/train' }],
    checkpointClaimName: 'fraud-retrain-checkpoints',
    gpuCount: 1,
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    priorityClassName: 'batch',
  });
  return app;
}
