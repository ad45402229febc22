// Reference architecture 2: the nightly retraining CronJob of a fraud-scoring model, next to the Deployment that serves it.
//
// * `scorer`: the serving Deployment with the library's defaults (2 replicas, PDB, spread, probes, Fluent Bit sidecar);
// * `scorer-canary`: the next model version, autoscaled, shipping its logs over OTLP/HTTP to an OpenTelemetry Collector;
// * `scorer` serves the released model from a PersistentVolumeClaim, verified by its manifest digest before the server starts;
// * `retrain`: a CronJob at 03:00 on a GPU node that fine-tunes the verified base model from S3 on a verified dataset snapshot
//   (each fetched and checked against its sha256 manifest digest by an init container, MOD-1): bounded retries and deadline,
//   checkpoints on a PVC so that a retried pod resumes, provenance (datasets, code revision) in annotations. The downloads
//   may go only to the S3 interface endpoint's subnet.
//
// The image names and digests are examples: they do not point at published images.
import { App, Chart } from 'cdk8s';
import { DatasetArtifact, ImageReference, k8s, ModelArtifact } from '../../src';

const TRAINER = 'ghcr.io/acme/fraud-train:2.0.1@sha256:7d2e4f6a8b0c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e';
/** The sha256 of the manifest (sha256sum lines of every file, sorted) of the released model 1.4.2, as `cdk-compliant-ml pin` writes it. */
const MODEL_1_4_2 = 'sha256:6c1e8a4f2b9d7c5e3a1f0b8d6e4c2a9f7b5d3e1c0a8f6b4d2e9c7a5f3b1d0e8c';
/** The manifest digest of the transactions snapshot of 2026-11. */
const TRANSACTIONS_2026_11 = 'sha256:2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a';
/** The subnet of the S3 interface VPC endpoint: the only place the verifiers may download from. */
const S3_ENDPOINT = k8s.NetworkPeer.cidr('10.40.16.0/24');
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
    model: { name: 'fraud-scorer', version: '1.4.2', registry: 'mlflow.acme.internal' },
    modelArtifact: ModelArtifact.fromVolumeClaim('fraud-scorer-1-4-2', MODEL_1_4_2),
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
    datasets: [{ name: 'transactions', version: '2026-11', uri: 's3://acme-data/transactions/2026-11/', digest: TRANSACTIONS_2026_11 }],
    modelArtifact: ModelArtifact.fromUri('s3://acme-models/fraud-scorer/1.4.2/', MODEL_1_4_2),
    datasetArtifacts: [DatasetArtifact.fromUri('s3://acme-data/transactions/2026-11/', TRANSACTIONS_2026_11)],
    artifactEgress: [{ peer: S3_ENDPOINT, port: 443 }],
    codeRevision: '9f2c4e1a7b3d',
    schedule: '0 3 * * *',
    checkpointClaimName: 'fraud-retrain-checkpoints',
    gpuCount: 1,
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    priorityClassName: 'batch',
  });
  return app;
}
