/* eslint-disable @typescript-eslint/no-explicit-any */
// The reports the format tests render: the four reference architectures, a cdk8s app with foreign objects in several namespaces
// (and one without a namespace, waivers in annotations), and `check` on the mixed fixture directory (manifests, CloudFormation
// templates, Dockerfiles), built from the CLI's own JSON.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as ecsGpuTraining from '../../../examples/ecs-gpu-training/app';
import * as ecsModelApi from '../../../examples/ecs-model-api/app';
import * as k8sLlmInference from '../../../examples/k8s-llm-inference/app';
import * as k8sRetraining from '../../../examples/k8s-retraining/app';
import { ComplianceReport } from '../../../src/compliance/compliance-report';
import type { ReportFormatInput } from '../../../src/compliance/formats/format-input';
import { ImageReference } from '../../../src/core';
import { CompliantModelService } from '../../../src/k8s';
import { WAIVERS_ANNOTATION } from '../../../src/k8s/metadata';
import { FIXTURES, runCli } from '../../cli/support';
import { captureOutput } from '../../support/captured-output';

export const IMAGE = `ghcr.io/acme/scorer:1.0.0@sha256:${'c'.repeat(64)}`;
export const WAIVER = { control: 'SEC-1', reason: 'vendor image runs as root until 4.2', expires: '2099-12-31', approvedBy: 'ML platform' };

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ccml-formats-'));
}

/** A render input without source locations. */
export function inputOf(report: ComplianceReport, origin: 'synth' | 'check' = 'synth'): ReportFormatInput {
  return { report, locate: () => undefined, origin };
}

/** The report of each reference architecture (computed from its app, which is built but not written). */
export function exampleReports(): Array<[string, ComplianceReport]> {
  const examples = { 'ecs-gpu-training': ecsGpuTraining, 'ecs-model-api': ecsModelApi, 'k8s-llm-inference': k8sLlmInference, 'k8s-retraining': k8sRetraining };
  const output = captureOutput(); // aws-cdk prints its policy-validation report when the ECS collector synthesizes
  try {
    return Object.entries(examples).map(([name, example]) => [name, ComplianceReport.of(example.createApp(path.join(tmp(), 'out')) as any)]);
  } finally {
    output.restore();
  }
}

/** A hand-written Deployment, optionally in a namespace and with waivers in its annotation. */
function foreignDeployment(chart: Chart, id: string, namespace: string | undefined, waivers?: object[]): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: id,
      ...(namespace ? { namespace } : {}),
      ...(waivers ? { annotations: { [WAIVERS_ANNOTATION]: JSON.stringify(waivers) } } : {}),
    },
    spec: {
      selector: { matchLabels: { app: id } },
      template: { metadata: { labels: { app: id } }, spec: { containers: [{ name: 'main', image: 'nginx:latest' }] } },
    },
  });
}

/**
 * Our model service in namespace `serving`, foreign Deployments in namespaces `team-a` (with a waiver) and `team-b`, one
 * without a namespace, and a foreign NetworkPolicy in `team-b`.
 */
export function namespacedApp(): App {
  const app = new App({ outdir: tmp() });
  const serving = new Chart(app, 'serving', { namespace: 'serving' });
  new CompliantModelService(serving, 'scorer', { image: ImageReference.fromString(IMAGE), model: { name: 'scorer', version: '1.0.0' } });
  const legacy = new Chart(app, 'legacy');
  foreignDeployment(legacy, 'alpha', 'team-a', [WAIVER]);
  foreignDeployment(legacy, 'beta', 'team-b');
  foreignDeployment(legacy, 'gamma', undefined);
  new ApiObject(legacy, 'beta-policy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'beta-policy', namespace: 'team-b' },
    spec: { podSelector: { matchLabels: { app: 'beta' } }, policyTypes: ['Ingress', 'Egress'] },
  });
  return app;
}

/** `check` of the mixed fixture directory (test/fixtures/cli: manifests, templates, Dockerfiles), rebuilt from its JSON. */
export async function checkReport(): Promise<ComplianceReport> {
  const run = await runCli(['check', '--format', 'json', '--no-report', '--quiet', FIXTURES]);
  const json = JSON.parse(run.stdout);
  return ComplianceReport.fromWorkloads(json.workloads, json.notEvaluated);
}
