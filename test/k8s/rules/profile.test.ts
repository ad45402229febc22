/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { nginxDeployment, ourDeployment } from './support';
import { ControlStatus } from '../../../src';
import { VERDICT_RULES } from '../../../src/compliance/verdict-rules';
import * as api from '../../../src/index';
import { PodView } from '../../../src/k8s/checks/manifest';
import { probeCheck, metadataChecks } from '../../../src/k8s/checks/pod-checks';
import { WorkloadProfile, workloadProfile } from '../../../src/k8s/checks/profile';

describe('workloadProfile: model server, training or generic', () => {
  test('our constructs are recognised by their component label', () => {
    expect(workloadProfile('Deployment', 'apps/v1', { 'app.kubernetes.io/component': 'model-server' })).toBe(WorkloadProfile.MODEL_SERVER);
    expect(workloadProfile('Job', 'batch/v1', { 'app.kubernetes.io/component': 'training-job' })).toBe(WorkloadProfile.TRAINING);
    expect(new PodView(ourDeployment()).profile).toBe(WorkloadProfile.MODEL_SERVER);
  });

  test.each([
    ['InferenceService', 'serving.kserve.io/v1beta1', WorkloadProfile.MODEL_SERVER],
    ['ServingRuntime', 'serving.kserve.io/v1alpha1', WorkloadProfile.MODEL_SERVER],
    ['ClusterServingRuntime', 'serving.kserve.io/v1alpha1', WorkloadProfile.MODEL_SERVER],
    ['InferenceGraph', 'serving.kserve.io/v1alpha1', WorkloadProfile.MODEL_SERVER],
    ['SeldonDeployment', 'machinelearning.seldon.io/v1', WorkloadProfile.MODEL_SERVER],
    ['Server', 'mlops.seldon.io/v1alpha1', WorkloadProfile.MODEL_SERVER],
    ['Model', 'mlops.seldon.io/v1alpha1', WorkloadProfile.MODEL_SERVER],
    ['RayService', 'ray.io/v1', WorkloadProfile.MODEL_SERVER],
    ['RayJob', 'ray.io/v1', WorkloadProfile.TRAINING],
    ['RayCluster', 'ray.io/v1', WorkloadProfile.TRAINING],
    ['PyTorchJob', 'kubeflow.org/v1', WorkloadProfile.TRAINING],
    ['TFJob', 'kubeflow.org/v1', WorkloadProfile.TRAINING],
    ['MPIJob', 'kubeflow.org/v2beta1', WorkloadProfile.TRAINING],
    ['XGBoostJob', 'kubeflow.org/v1', WorkloadProfile.TRAINING],
    ['PaddleJob', 'kubeflow.org/v1', WorkloadProfile.TRAINING],
    ['JAXJob', 'kubeflow.org/v1', WorkloadProfile.TRAINING],
    ['Experiment', 'kubeflow.org/v1beta1', WorkloadProfile.TRAINING],
    ['TrainJob', 'trainer.kubeflow.org/v1alpha1', WorkloadProfile.TRAINING],
    ['TrainingRuntime', 'trainer.kubeflow.org/v1alpha1', WorkloadProfile.TRAINING],
    ['ClusterTrainingRuntime', 'trainer.kubeflow.org/v1alpha1', WorkloadProfile.TRAINING],
  ])('%s (%s) is %s', (kind, apiVersion, profile) => {
    expect(workloadProfile(kind, apiVersion, {})).toBe(profile);
  });

  test('a RayCluster labelled model-server serves', () => {
    expect(workloadProfile('RayCluster', 'ray.io/v1', { 'app.kubernetes.io/component': 'model-server' })).toBe(WorkloadProfile.MODEL_SERVER);
  });

  test('kinds count only with their API group; prototype names are not kinds', () => {
    expect(workloadProfile('InferenceService', 'example.com/v1', {})).toBe(WorkloadProfile.GENERIC);
    expect(workloadProfile('Server', 'apps/v1', {})).toBe(WorkloadProfile.GENERIC);
    expect(workloadProfile('Model', 'v1', {})).toBe(WorkloadProfile.GENERIC);
    expect(workloadProfile('toString', 'ray.io/v1', {})).toBe(WorkloadProfile.GENERIC);
    expect(workloadProfile('Deployment', 'constructor/v1', { 'app.kubernetes.io/component': 'constructor' })).toBe(WorkloadProfile.GENERIC);
    expect(workloadProfile('Deployment', 'apps/v1', { 'app.kubernetes.io/component': 'frontend' })).toBe(WorkloadProfile.GENERIC);
  });

  test('the owner a caller passes decides the profile of the pod spec found inside it', () => {
    const predictorPods = nginxDeployment();
    const plain = new PodView(predictorPods);
    const owned = new PodView(predictorPods, { kind: 'InferenceService', apiVersion: 'serving.kserve.io/v1beta1', labels: {} });
    expect([plain.profile, owned.profile]).toEqual([WorkloadProfile.GENERIC, WorkloadProfile.MODEL_SERVER]);
    expect(metadataChecks(plain)[1].status).toBe(ControlStatus.NOT_APPLICABLE);
    expect(metadataChecks(owned)[1].status).toBe(ControlStatus.VIOLATED);
    expect(probeCheck(owned).evidence).toContainEqual(expect.stringMatching(/startupProbe=not set/));
  });

  test('the profile is internal: not exported from the package', () => {
    expect(Object.keys(api)).not.toContain('WorkloadProfile');
    expect(Object.keys(api)).not.toContain('workloadProfile');
  });
});

describe('every pod-level rule quotes its verdict rule word for word', () => {
  const dir = path.join(__dirname, '../../../src/k8s/checks');
  const quoted = new Map<string, string>();
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('-rules.ts'))) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const comment of text.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
      const flat = comment.replace(/^\s*\/?\*+\/?/gm, ' ').replace(/\s+/g, ' ');
      const match = /([A-Z]+-\d)(?: \([a-z]+\))?\. Rule: "(.*)" @internal/.exec(flat);
      if (match) {
        quoted.set(match[1], match[2].trim());
      }
    }
  }

  test.each(['IMG-1', 'IMG-2', 'IMG-3', 'IMG-4', 'META-1', 'META-2', 'SEC-1', 'SEC-2', 'SEC-3', 'SEC-4', 'SEC-5', 'SEC-6', 'SEC-7', 'SEC-8', 'SEC-9',
    'RES-1', 'PRB-1'])('%s', (id) => {
    expect(quoted.get(id)).toBe(VERDICT_RULES[id].kubernetes);
  });
});
