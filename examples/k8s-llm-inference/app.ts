// Reference architecture 1: a large-language-model inference service on Kubernetes GPU nodes.
//
// * two or more GPU pods, scaled by a HorizontalPodAutoscaler, spread across zones and nodes, with a PodDisruptionBudget;
// * a 20-minute model-load budget for the startup probe (weights are large), and a 40 GiB model cache on an emptyDir;
// * inference records shipped by a Fluent Bit native sidecar over OTLP/HTTP to an OpenTelemetry Collector (Art. 12);
// * the weights come from a digest-pinned modelcar image (an OCI artifact with the files under /models): an init container
//   copies them into the model cache, which the server mounts read-only, with MODEL_DIGEST in its environment (MOD-1);
// * ingress only from the API gateway's pods, egress only to DNS and the collector.
//
// The image names and digests are examples: they do not point at published images.
import { App, Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { ImageReference, k8s, ModelArtifact } from '../../src';

/** The inference server (an OpenAI-compatible server exposing the Open Inference Protocol health endpoints). */
/** The model weights packaged as a KServe-style modelcar (files under /models; the image has sh and cp). */
export const LLM_MODELCAR_IMAGE = 'ghcr.io/acme/support-assistant-modelcar:3.1.0@sha256:9a4e1c7b3d5f2a8c6e0b4d2f1a3c5e7b9d0f2a4c6e8b1d3f5a7c9e0b2d4f6a8c';

export const LLM_SERVER_IMAGE = 'ghcr.io/acme/llm-server:0.9.1@sha256:5f0c2a7e9b1d3c5e7a9b0d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c0e2b4d6f8a1c';

/**
 * Builds the app without synthesizing it.
 *
 * @param outdir where `app.synth()` writes the manifests and the compliance report (default: `CDK8S_OUTDIR`, else `dist`)
 */
export function createApp(outdir?: string): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'assistant', { namespace: 'assistant' });
  new k8s.CompliantModelService(chart, 'llm', {
    image: ImageReference.fromString(LLM_SERVER_IMAGE),
    model: {
      name: 'support-assistant',
      version: '3.1.0',
      framework: 'vllm',
    },
    modelArtifact: ModelArtifact.fromOci(ImageReference.fromString(LLM_MODELCAR_IMAGE)),
    gpuCount: 1,
    nodeSelector: { 'nvidia.com/gpu.present': 'true' },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    resources: {
      cpu: { request: Cpu.units(4), limit: Cpu.units(8) },
      memory: { request: Size.gibibytes(32), limit: Size.gibibytes(32) },
      ephemeralStorage: { request: Size.gibibytes(4), limit: Size.gibibytes(8) },
    },
    modelLoadTimeout: Duration.minutes(20),
    modelCacheSize: Size.gibibytes(40),
    autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 60 },
    logShipping: k8s.LogShipping.sidecar(k8s.LogDestination.otlpHttp({ host: 'otel-collector.observability.svc', port: 4318 })),
    allowIngressFrom: [k8s.NetworkPeer.podsInNamespace('gateway', { 'app.kubernetes.io/name': 'api-gateway' })],
    priorityClassName: 'inference-critical',
    imageProvenance: {
      source: 'https://github.com/acme/llm-server',
      revision: '4b7d9e2a1c3f5b7d9e0a2c4e6b8d0f1a3c5e7b9d',
      version: '0.9.1',
      created: '2026-10-02T09:30:00Z',
    },
    partOf: 'support-assistant',
  });
  return app;
}
