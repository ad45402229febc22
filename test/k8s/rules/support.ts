/* eslint-disable @typescript-eslint/no-explicit-any */
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { ControlResult, ControlScope, ControlStatus, ImageReference, k8s } from '../../../src';
import { evaluateK8sWorkload } from '../../../src/k8s/checks/workload-checks';

export const SCORER_IMAGE = `ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`;
export const TRAIN_IMAGE = `ghcr.io/acme/fraud-train@sha256:${'b'.repeat(64)}`;
export const POD = '/spec/template/spec';

/** Our model service in a fresh chart. */
export function ourService(props: Partial<k8s.CompliantModelServiceProps> = {}): { chart: Chart; service: k8s.CompliantModelService } {
  const chart = Testing.chart();
  const service = new k8s.CompliantModelService(chart, 'scorer', {
    image: ImageReference.fromString(SCORER_IMAGE), model: { name: 'fraud-scorer', version: '1.4.2' }, ...props,
  });
  return { chart, service };
}

/** Our training job in a fresh chart. */
export function ourJob(props: Partial<k8s.CompliantTrainingJobProps> = {}): { chart: Chart; job: k8s.CompliantTrainingJob } {
  const chart = Testing.chart();
  const job = new k8s.CompliantTrainingJob(chart, 'retrain', { image: ImageReference.fromString(TRAIN_IMAGE), ...props });
  return { chart, job };
}

/** The control result of our service after the given escape-hatch patches on its Deployment. */
export function patchedService(id: string, ...patches: JsonPatch[]): ControlResult {
  const { service } = ourService();
  if (patches.length > 0) {
    service.deployment.addJsonPatch(...patches);
  }
  return service.complianceEntry().controls.find((c) => c.id === id)!;
}

/** The rendered objects of our service (a Deployment plus its ServiceAccount, ...): the base of foreign manifests. */
export function ourServiceDocs(props: Partial<k8s.CompliantModelServiceProps> = {}): any[] {
  return Testing.synth(ourService(props).chart);
}

/** A deep copy of our service's rendered Deployment, to hand-edit as a foreign manifest. */
export function ourDeployment(): any {
  return JSON.parse(JSON.stringify(ourServiceDocs().find((d) => d.kind === 'Deployment')));
}

/** Evaluates a (foreign) workload with the given other objects; returns the result of one control. */
export function judge(obj: any, id: string, others: any[] = [], scope = ControlScope.SERVICE): ControlResult {
  return evaluateK8sWorkload(obj, [obj, ...others], scope, []).find((c) => c.id === id)!;
}

/** The hardened pod spec of a foreign Deployment, with a replaced or added part. */
export function withPod(edit: (pod: any) => void): any {
  const deployment = ourDeployment();
  edit(deployment.spec.template.spec);
  return deployment;
}

/** Expects the control to leave `enforced` with the given status and evidence that matches every pattern. */
export function expectFailure(result: ControlResult, status: ControlStatus, ...evidence: RegExp[]): void {
  expect(result.status).toBe(status);
  for (const pattern of evidence) {
    expect(result.evidence.some((line) => pattern.test(line))).toBe(true);
  }
}

/** A plain, unhardened nginx Deployment as many clusters run it. */
export function nginxDeployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx', labels: { app: 'nginx' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: [{
            name: 'web',
            image: 'nginx:1.27.3',
            livenessProbe: { httpGet: { path: '/healthz', port: 80 } },
            readinessProbe: { httpGet: { path: '/ready', port: 80 } },
          }],
        },
      },
    },
  };
}
