// Reference architecture: a fraud-scoring model served on Kubernetes with the library's defaults, plus an autoscaled variant
// that ships its logs over OTLP/HTTP to an OpenTelemetry Collector.
import { App, Chart } from 'cdk8s';
import { ImageReference, k8s } from '../../src';

const SCORER = 'ghcr.io/acme/fraud-scorer:1.4.2@sha256:3b1c9d2e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c';

/** Builds the app without synthesizing it; `outdir` is where `synth()` writes. */
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
    imageProvenance: { source: 'https://github.com/acme/fraud-scorer', revision: '9f2c4e1a7b3d', created: '2026-11-20T08:00:00Z' },
  });
  return app;
}
