/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ImageReference } from '../../src/core';
import { CompliantModelService, CompliantTrainingJob } from '../../src/k8s';

export const SCORER_IMAGE = `ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`;
export const TRAIN_IMAGE = `ghcr.io/acme/fraud-train@sha256:${'b'.repeat(64)}`;

export function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-compliant-ml-report-'));
}

/** A raw Deployment as people write it by hand: `nginx:latest`, no hardening. */
export function rawDeployment(chart: Chart, id: string, name = id): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:latest' }] } },
    },
  });
}

/**
 * The mixed app of the report tests: ours (a model service and a training job) next to a raw ApiObject Deployment, a
 * cdk8s-plus Deployment and a CronJob (L1), in two charts so cdk8s validates the app several times per synth.
 */
export function mixedApp(props: AppProps = {}, context: Record<string, unknown> = {}) {
  const app = new App({ outdir: tmpdir(), ...props });
  for (const [k, v] of Object.entries(context)) {
    app.node.setContext(k, v);
  }
  const fraud = new Chart(app, 'fraud');
  const service = new CompliantModelService(fraud, 'scorer', {
    image: ImageReference.fromString(SCORER_IMAGE),
    model: { name: 'fraud-scorer', version: '1.4.2' },
  });
  const job = new CompliantTrainingJob(fraud, 'retrain', {
    image: ImageReference.fromString(TRAIN_IMAGE),
    model: { name: 'fraud-scorer', version: '1.5.0' },
  });
  const legacy = new Chart(app, 'legacy');
  rawDeployment(legacy, 'nginx');
  new kplus.Deployment(legacy, 'web', { containers: [{ image: 'ghcr.io/acme/web:2', portNumber: 8080 }] });
  new kplus.k8s.KubeCronJob(legacy, 'nightly', {
    metadata: { name: 'nightly' },
    spec: {
      schedule: '0 3 * * *',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'busybox:1.36' }] } } } },
    },
  });
  return { app, fraud, legacy, service, job };
}

/** The workloads of a report's JSON by path. */
export function byPath(json: any): Record<string, any> {
  return Object.fromEntries(json.workloads.map((w: any) => [w.path, w]));
}

/** The control results of a workload entry by ID. */
export function controls(workload: any): Record<string, any> {
  return Object.fromEntries(workload.controls.map((c: any) => [c.id, c]));
}

/** The IDs of the violated controls of a workload entry. */
export function violatedIds(workload: any): string[] {
  return workload.controls.filter((c: any) => c.status === 'violated').map((c: any) => c.id);
}
