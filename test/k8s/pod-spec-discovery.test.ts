/* eslint-disable @typescript-eslint/no-explicit-any */
import { objectWorkloads } from '../../src/k8s/checks/foreign';
import { K8sObjectIndex } from '../../src/k8s/checks/object-index';
import { POD_SPEC_LOCATIONS } from '../../src/k8s/checks/pod-spec-locations';

const IMAGE = `ghcr.io/acme/model@sha256:${'a'.repeat(64)}`;
const container = (name = 'main') => ({ name, image: IMAGE });
const podSpec = (extra: any = {}) => ({ containers: [container()], ...extra });
const template = (labels: Record<string, string> = { app: 'x' }, extra: any = {}) => ({ metadata: { labels }, spec: podSpec(extra) });
const meta = (name: string) => ({ name, namespace: 'ml' });

/** Evaluates one object as `check` does: every workload in it, with the object itself as the only other object. */
function evaluate(obj: any) {
  return objectWorkloads(`f.yaml#${obj.kind}/${obj.metadata.name}`, obj, K8sObjectIndex.of([obj]), 'test');
}
const ids = (w: any) => w.controls.map((c: any) => c.id);
const control = (w: any, id: string) => w.controls.find((c: any) => c.id === id);

// One small realistic manifest per kind of the table, with the paths its workloads get and their scope.
const CASES: Array<{ name: string; obj: any; paths: string[]; scope: 'service' | 'job'; evidence?: RegExp; notEvaluated?: RegExp }> = [
  {
    name: 'KServe InferenceService with a custom predictor container',
    obj: { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: meta('isvc'), spec: { predictor: { minReplicas: 2, containers: [container('kserve-container')] } } },
    paths: ['f.yaml#InferenceService/isvc/predictor'],
    scope: 'service',
    evidence: /^InferenceService isvc spec\.predictor\.containers\[0\]\.image=/,
  },
  {
    name: 'KFServing (serving.kubeflow.org) InferenceService with only a model: built by the controller, so not evaluated',
    obj: { apiVersion: 'serving.kubeflow.org/v1beta1', kind: 'InferenceService', metadata: meta('kfs'), spec: { predictor: { tensorflow: { storageUri: 'gs://m/f' } } } },
    paths: [],
    scope: 'service',
    notEvaluated: /built by the KServe controller/,
  },
  {
    name: 'KServe ServingRuntime',
    obj: { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ServingRuntime', metadata: meta('rt'), spec: { supportedModelFormats: [{ name: 'sklearn' }], containers: [container('kserve-container')] } },
    paths: ['f.yaml#ServingRuntime/rt'],
    scope: 'service',
    evidence: /^ServingRuntime rt spec\.containers\[0\]\.image=/,
  },
  {
    name: 'KServe ClusterServingRuntime',
    obj: { apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ClusterServingRuntime', metadata: { name: 'crt' }, spec: { containers: [container()] } },
    paths: ['f.yaml#ClusterServingRuntime/crt'],
    scope: 'service',
  },
  {
    name: 'KubeRay RayCluster',
    obj: { apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: meta('rc'), spec: { headGroupSpec: { rayStartParams: {}, template: template() }, workerGroupSpecs: [{ groupName: 'gpu', replicas: 2, template: template() }] } },
    paths: ['f.yaml#RayCluster/rc/headGroupSpec', 'f.yaml#RayCluster/rc/workerGroupSpecs[0]'],
    scope: 'service',
    evidence: /^RayCluster rc spec\.(headGroupSpec|workerGroupSpecs\[0\])\.template\.spec\.containers\[0\]\.image=/,
  },
  {
    name: 'KubeRay RayJob',
    obj: { apiVersion: 'ray.io/v1', kind: 'RayJob', metadata: meta('rj'), spec: { entrypoint: 'python train.py', rayClusterSpec: { headGroupSpec: { template: template() }, workerGroupSpecs: [] } } },
    paths: ['f.yaml#RayJob/rj/rayClusterSpec.headGroupSpec'],
    scope: 'job',
  },
  {
    name: 'KubeRay RayService',
    obj: { apiVersion: 'ray.io/v1', kind: 'RayService', metadata: meta('rs'), spec: { rayClusterConfig: { headGroupSpec: { template: template() }, workerGroupSpecs: [{ template: template() }] } } },
    paths: ['f.yaml#RayService/rs/rayClusterConfig.headGroupSpec', 'f.yaml#RayService/rs/rayClusterConfig.workerGroupSpecs[0]'],
    scope: 'service',
  },
  {
    name: 'LeaderWorkerSet',
    obj: { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: meta('lws'), spec: { replicas: 2, leaderWorkerTemplate: { size: 4, leaderTemplate: template(), workerTemplate: template() } } },
    paths: ['f.yaml#LeaderWorkerSet/lws/leaderWorkerTemplate.leaderTemplate', 'f.yaml#LeaderWorkerSet/lws/leaderWorkerTemplate.workerTemplate'],
    scope: 'service',
  },
  {
    name: 'JobSet (each replicated job is evaluated as the Job it becomes)',
    obj: { apiVersion: 'jobset.x-k8s.io/v1alpha2', kind: 'JobSet', metadata: meta('js'), spec: { replicatedJobs: [{ name: 'workers', replicas: 2, template: { spec: { backoffLimit: 2, activeDeadlineSeconds: 3600, template: template({ app: 'x' }, { restartPolicy: 'Never' }) } } }] } },
    paths: ['f.yaml#JobSet/js/replicatedJobs[0]'],
    scope: 'job',
    evidence: /^JobSet js spec\.replicatedJobs\[0\]\.template\.spec\.template\.spec\.containers\[0\]\.image=/,
  },
  {
    name: 'Kubeflow TrainingRuntime',
    obj: { apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainingRuntime', metadata: meta('tr'), spec: { template: { spec: { replicatedJobs: [{ name: 'node', template: { spec: { template: template() } } }] } } } },
    paths: ['f.yaml#TrainingRuntime/tr/template.spec.replicatedJobs[0]'],
    scope: 'job',
  },
  {
    name: 'Kubeflow ClusterTrainingRuntime',
    obj: { apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'ClusterTrainingRuntime', metadata: { name: 'ctr' }, spec: { template: { spec: { replicatedJobs: [{ name: 'node', template: { spec: { template: template() } } }] } } } },
    paths: ['f.yaml#ClusterTrainingRuntime/ctr/template.spec.replicatedJobs[0]'],
    scope: 'job',
  },
  {
    name: 'PyTorchJob',
    obj: { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', metadata: meta('pt'), spec: { pytorchReplicaSpecs: { Worker: { replicas: 2, template: template() }, Master: { replicas: 1, template: template() } } } },
    paths: ['f.yaml#PyTorchJob/pt/pytorchReplicaSpecs.Master', 'f.yaml#PyTorchJob/pt/pytorchReplicaSpecs.Worker'],
    scope: 'job',
  },
  {
    name: 'TFJob',
    obj: { apiVersion: 'kubeflow.org/v1', kind: 'TFJob', metadata: meta('tf'), spec: { tfReplicaSpecs: { Chief: { template: template() } } } },
    paths: ['f.yaml#TFJob/tf/tfReplicaSpecs.Chief'],
    scope: 'job',
  },
  {
    name: 'MPIJob',
    obj: { apiVersion: 'kubeflow.org/v2beta1', kind: 'MPIJob', metadata: meta('mpi'), spec: { mpiReplicaSpecs: { Launcher: { template: template() }, Worker: { template: template() } } } },
    paths: ['f.yaml#MPIJob/mpi/mpiReplicaSpecs.Launcher', 'f.yaml#MPIJob/mpi/mpiReplicaSpecs.Worker'],
    scope: 'job',
  },
  {
    name: 'XGBoostJob',
    obj: { apiVersion: 'kubeflow.org/v1', kind: 'XGBoostJob', metadata: meta('xgb'), spec: { xgbReplicaSpecs: { Master: { template: template() } } } },
    paths: ['f.yaml#XGBoostJob/xgb/xgbReplicaSpecs.Master'],
    scope: 'job',
  },
  {
    name: 'Argo Workflow: container, script and containerSet templates; steps run no pod of their own',
    obj: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: meta('wf'),
      spec: {
        entrypoint: 'main',
        securityContext: { runAsNonRoot: true },
        templates: [
          { name: 'main', steps: [[{ name: 'a', template: 'train' }]] },
          { name: 'train', container: { image: IMAGE, command: ['python'] }, sidecars: [{ name: 'proxy', image: IMAGE }] },
          { name: 'prep', script: { image: IMAGE, source: 'print(1)' } },
          { name: 'multi', containerSet: { containers: [{ name: 'a', image: IMAGE }, { name: 'b', image: IMAGE }] } },
        ],
      },
    },
    paths: ['f.yaml#Workflow/wf/templates[1]', 'f.yaml#Workflow/wf/templates[2]', 'f.yaml#Workflow/wf/templates[3]'],
    scope: 'job',
    evidence: /^Workflow wf spec\.templates\[\d\]\.containers\[0\]\.image=/,
  },
  {
    name: 'Argo CronWorkflow',
    obj: { apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: meta('cwf'), spec: { schedule: '@daily', workflowSpec: { templates: [{ name: 't', container: { image: IMAGE } }] } } },
    paths: ['f.yaml#CronWorkflow/cwf/workflowSpec.templates[0]'],
    scope: 'job',
  },
  {
    name: 'Argo WorkflowTemplate',
    obj: { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: meta('wft'), spec: { templates: [{ name: 't', container: { image: IMAGE } }] } },
    paths: ['f.yaml#WorkflowTemplate/wft/templates[0]'],
    scope: 'job',
  },
  {
    name: 'Argo ClusterWorkflowTemplate',
    obj: { apiVersion: 'argoproj.io/v1alpha1', kind: 'ClusterWorkflowTemplate', metadata: { name: 'cwft' }, spec: { templates: [{ name: 't', script: { image: IMAGE, source: 'x' } }] } },
    paths: ['f.yaml#ClusterWorkflowTemplate/cwft/templates[0]'],
    scope: 'job',
  },
  {
    name: 'Katib Experiment with a Job trial',
    obj: {
      apiVersion: 'kubeflow.org/v1beta1',
      kind: 'Experiment',
      metadata: meta('exp'),
      spec: { trialTemplate: { primaryContainerName: 'main', trialSpec: { apiVersion: 'batch/v1', kind: 'Job', spec: { activeDeadlineSeconds: 600, template: { spec: podSpec({ restartPolicy: 'Never' }) } } } } },
    },
    paths: ['f.yaml#Experiment/exp/trialTemplate.trialSpec'],
    scope: 'job',
    evidence: /^Experiment exp spec\.trialTemplate\.trialSpec\.spec\.template\.spec\.containers\[0\]\.image=/,
  },
  {
    name: 'Katib Experiment with a PyTorchJob trial',
    obj: {
      apiVersion: 'kubeflow.org/v1beta1',
      kind: 'Experiment',
      metadata: meta('exp2'),
      spec: { trialTemplate: { trialSpec: { apiVersion: 'kubeflow.org/v1', kind: 'PyTorchJob', spec: { pytorchReplicaSpecs: { Master: { template: template() } } } } } },
    },
    paths: ['f.yaml#Experiment/exp2/trialTemplate.trialSpec/pytorchReplicaSpecs.Master'],
    scope: 'job',
    evidence: /^Experiment exp2 spec\.trialTemplate\.trialSpec\.spec\.pytorchReplicaSpecs\.Master\.template\.spec\.containers\[0\]\.image=/,
  },
  {
    name: 'Seldon Server with a complete podSpec (appended to the ServerConfig\'s pod: that part is not evaluated)',
    obj: { apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Server', metadata: meta('srv'), spec: { serverConfig: 'mlserver', podSpec: podSpec() } },
    paths: ['f.yaml#Server/srv'],
    scope: 'service',
    notEvaluated: /appends spec\.podSpec to the pod of ServerConfig mlserver/,
  },
  {
    name: 'Seldon ServerConfig',
    obj: { apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'ServerConfig', metadata: meta('mlserver'), spec: { podSpec: podSpec() } },
    paths: ['f.yaml#ServerConfig/mlserver'],
    scope: 'service',
  },
  {
    name: 'SeldonDeployment',
    obj: { apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment', metadata: meta('sd'), spec: { predictors: [{ name: 'default', graph: { name: 'main' }, componentSpecs: [{ spec: podSpec() }] }] } },
    paths: ['f.yaml#SeldonDeployment/sd/predictors[0].componentSpecs[0]'],
    scope: 'service',
  },
  {
    name: 'Knative Service',
    obj: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: meta('kn'), spec: { template: { metadata: { labels: { app: 'kn' } }, spec: podSpec() } } },
    paths: ['f.yaml#Service/kn'],
    scope: 'service',
    evidence: /^Service kn spec\.template\.spec\.containers\[0\]\.image=/,
  },
  {
    name: 'Argo Rollout (evaluated as its own object)',
    obj: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta('ro'), spec: { replicas: 3, selector: { matchLabels: { app: 'x' } }, template: template(), strategy: { canary: {} } } },
    paths: ['f.yaml#Rollout/ro'],
    scope: 'service',
    evidence: /^Rollout ro spec\.template\.spec\.containers\[0\]\.image=/,
  },
  {
    name: 'ReplicationController',
    obj: { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta('rc'), spec: { replicas: 3, selector: { app: 'x' }, template: template() } },
    paths: ['f.yaml#ReplicationController/rc'],
    scope: 'service',
  },
  {
    name: 'PodTemplate',
    obj: { apiVersion: 'v1', kind: 'PodTemplate', metadata: meta('pt'), template: template() },
    paths: ['f.yaml#PodTemplate/pt'],
    scope: 'service',
    evidence: /^PodTemplate pt template\.spec\.containers\[0\]\.image=/,
  },
  {
    name: 'generic fallback: an unknown kind with pod specs under spec (Volcano Job tasks)',
    obj: { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: meta('vc'), spec: { tasks: [{ name: 'a', template: template() }, { name: 'b', template: template() }] } },
    paths: ['f.yaml#Job/vc/spec.tasks[0].template.spec', 'f.yaml#Job/vc/spec.tasks[1].template.spec'],
    scope: 'job',
    evidence: /^Job vc spec\.tasks\[\d\]\.template\.spec\.containers\[0\]\.image=/,
  },
];

describe('pod specs inside custom resources are found and evaluated', () => {
  test.each(CASES.map((c) => [c.name, c]))('%s', (_name, c) => {
    const found = evaluate(c.obj);
    expect(found.notEvaluated).toEqual(c.notEvaluated ? [expect.objectContaining({ reason: expect.stringMatching(c.notEvaluated) })] : []);
    expect(found.workloads.map((w) => w.path).sort()).toEqual([...c.paths].sort());
    for (const w of found.workloads) {
      expect(w.kind).toBe(c.obj.kind);
      expect(w.images).toContain(IMAGE);
      expect(ids(w)).toContain(c.scope === 'job' ? 'JOB-1' : 'AVL-1');
      expect(ids(w)).not.toContain(c.scope === 'job' ? 'AVL-1' : 'JOB-1');
      expect(control(w, 'IMG-1').status).toBe('enforced');
      if (c.evidence) {
        expect(control(w, 'IMG-1').evidence[0]).toMatch(c.evidence);
      }
    }
  });

  test('every kind of the table has a case here', () => {
    const covered = new Set(CASES.map((c) => `${String(c.obj.apiVersion).split('/')[0]}/${c.obj.kind}`));
    const missing = Object.keys(POD_SPEC_LOCATIONS).filter((k) => !covered.has(k) && !k.endsWith('/TrainJob') && !k.endsWith('/PaddleJob') && !k.endsWith('/JAXJob'));
    expect(missing).toEqual([]);
  });
});

describe('controllers that manage replicas, rollout and job fields leave those controls unverified, never enforced', () => {
  test('RayCluster workers: AVL-1 and AVL-4 unverified, a missing PDB unverified; PyTorchJob: JOB-1..3 unverified', () => {
    const ray = evaluate(CASES.find((c) => c.obj.kind === 'RayCluster')!.obj).workloads[0];
    expect(control(ray, 'AVL-1')).toMatchObject({ status: 'unverified', evidence: [expect.stringMatching(/managed by the RayCluster controller/)] });
    expect(control(ray, 'AVL-4').status).toBe('unverified');
    expect(control(ray, 'AVL-2').status).toBe('unverified');
    const pt = evaluate(CASES.find((c) => c.obj.kind === 'PyTorchJob')!.obj).workloads[0];
    expect(['JOB-1', 'JOB-2', 'JOB-3'].map((id) => control(pt, id).status)).toEqual(['unverified', 'unverified', 'unverified']);
  });

  test('a JobSet replicated job is judged by its Job fields: deadline set, TTL unset, backoff 2', () => {
    const js = evaluate(CASES.find((c) => c.obj.kind === 'JobSet')!.obj).workloads[0];
    expect(control(js, 'JOB-2')).toMatchObject({ status: 'enforced', evidence: ['JobSet js spec.replicatedJobs[0].template.spec.activeDeadlineSeconds=3600'] });
    expect(control(js, 'JOB-1').status).toBe('enforced');
  });

  test('a Katib Job trial is judged as a Job; its missing restartPolicy Never fails JOB-1', () => {
    const trial = { ...CASES.find((c) => c.obj.metadata.name === 'exp')!.obj };
    expect(control(evaluate(trial).workloads[0], 'JOB-1').status).toBe('enforced');
    trial.spec = { trialTemplate: { trialSpec: { apiVersion: 'batch/v1', kind: 'Job', spec: { template: { spec: podSpec({ restartPolicy: 'OnFailure' }) } } } } };
    expect(control(evaluate(trial).workloads[0], 'JOB-1').evidence[0]).toMatch(/^Experiment exp spec\.trialTemplate\.trialSpec\.spec\.template\.spec\.restartPolicy="OnFailure"/);
  });

  test('a foreign pod spec inside a CRD is judged like any pod: a root container fails SEC-1 with the real path', () => {
    const obj = { apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: meta('root'), spec: { headGroupSpec: { template: { spec: { containers: [{ ...container(), securityContext: { runAsUser: 0 } }] } } } } };
    expect(control(evaluate(obj).workloads[0], 'SEC-1')).toMatchObject({
      status: 'violated', evidence: [expect.stringMatching(/^RayCluster root spec\.headGroupSpec\.template\.spec\..*containers\[0\]\.securityContext\.runAsUser=0/)],
    });
  });
});

describe('notEvaluated: objects that may hold a workload the checker cannot read', () => {
  test('a KServe predictor with only a model storageUri: the pod is built by the KServe controller', () => {
    const obj = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: meta('sk'), spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://models/iris' } } } };
    expect(evaluate(obj)).toMatchObject({
      workloads: [],
      notEvaluated: [{ path: 'f.yaml#InferenceService/sk/predictor', kind: 'InferenceService', reason: expect.stringMatching(/the pod is built by the KServe controller from spec\.predictor \(model\)/) }],
    });
  });

  test('TrainJob, a Seldon Server without images, an Argo resource template, a Rollout with workloadRef, a RayCluster worker without containers', () => {
    const cases: Array<[any, string, RegExp]> = [
      [{ apiVersion: 'trainer.kubeflow.org/v1alpha1', kind: 'TrainJob', metadata: meta('tj'), spec: { runtimeRef: { name: 'torch-distributed' }, trainer: { image: IMAGE } } },
        'f.yaml#TrainJob/tj', /built by the Kubeflow Trainer controller from ClusterTrainingRuntime torch-distributed/],
      [{ apiVersion: 'mlops.seldon.io/v1alpha1', kind: 'Server', metadata: meta('s'), spec: { serverConfig: 'mlserver', podSpec: { containers: [{ name: 'agent', resources: {} }] } } },
        'f.yaml#Server/s', /the pod of ServerConfig mlserver; the merged pod is not in the output \(spec\.podSpec containers carry no images\)/],
      [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: meta('w'), spec: { templates: [{ name: 'r', resource: { action: 'create', manifest: 'kind: Job' } }] } },
        'f.yaml#Workflow/w/templates[0]', /resource creates an object at runtime \(action create\)/],
      [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: meta('r'), spec: { workloadRef: { kind: 'Deployment', name: 'web' } } },
        'f.yaml#Rollout/r', /spec\.workloadRef/],
      [{ apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: meta('rc'), spec: { headGroupSpec: { template: template() }, workerGroupSpecs: [{ template: { spec: {} } }] } },
        'f.yaml#RayCluster/rc/workerGroupSpecs[0]', /no pod spec with containers and images at spec\.workerGroupSpecs\[0\]\.template\.spec/],
      [{ apiVersion: 'example.com/v1', kind: 'ModelServer', metadata: meta('ms'), spec: { server: { image: IMAGE, replicas: 2 } } },
        'f.yaml#ModelServer/ms', /holds images \(spec\.server\.image\) outside any pod spec/],
    ];
    for (const [obj, path, reason] of cases) {
      expect(evaluate(obj).notEvaluated).toContainEqual({ path, kind: obj.kind, reason: expect.stringMatching(reason) });
    }
  });

  test('objects of built-in kinds without pods, and unknown kinds without images, are neither workloads nor notEvaluated', () => {
    for (const obj of [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cm'), data: {} },
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta('c'), spec: { secretName: 's', dnsNames: ['a.example.com'] } }]) {
      expect(evaluate(obj)).toEqual({ workloads: [], notEvaluated: [], problems: [] });
    }
  });
});
