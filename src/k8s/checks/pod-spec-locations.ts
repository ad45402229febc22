/* eslint-disable @typescript-eslint/no-explicit-any */
import { Manifest } from './manifest';
import { apiGroup } from './profile';
import { ControlScope } from '../../compliance/control';

/**
 * A pod spec found inside an object.
 *
 * @internal
 */
export interface PodSpecLocation {
  /**
   * Appended to the owner's report path: '' when the owner's `spec` is the pod spec, else `/` and the JSON path below `spec`
   * without the trailing `template.spec`, e.g. `/workerGroupSpecs[0]`, `/rayClusterSpec.headGroupSpec`.
   */
  readonly suffix: string;
  /** The JSON path of the pod spec in the owner object, as evidence writes it (`spec.workerGroupSpecs[0].template.spec`). */
  readonly path: string;
  /** The pod spec (or the pod spec an Argo template is wrapped into). */
  readonly podSpec: Manifest;
  /** The pod template's metadata (labels, annotations), when the location has one. */
  readonly podMetadata?: Manifest;
  /** A Job template (JobSet, TrainingRuntime, a nested Job): its JobSpec and path; it is evaluated as the Job it becomes. */
  readonly job?: { readonly spec: Manifest; readonly path: string };
}

/** @internal */
export interface NotEvaluatedLocation {
  readonly suffix: string;
  readonly reason: string;
}

/** @internal */
export interface Located {
  readonly locations: PodSpecLocation[];
  readonly notEvaluated: NotEvaluatedLocation[];
}

/**
 * What a kind holds and how it runs: the scope of its pods (jobs for run-to-completion kinds), the controller that manages their
 * replicas, rollout and job fields (AVL-1/2/4 and JOB-1..3 are then unverified, never enforced), and where its pod specs sit.
 *
 * @internal
 */
export interface KindLocations {
  readonly scope: ControlScope;
  /** The controller that turns the object into pods; undefined when the pod template's own fields are evaluated (JobSet jobs). */
  readonly controller?: string;
  readonly locate: (obj: Manifest) => Located;
}

/** `spec.a[0].b` from path segments. @internal */
export function jsonPath(segments: Array<string | number>): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

const at = (obj: any, segments: Array<string | number>): any => segments.reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);

/** True when a value is a pod spec: a `containers` list of objects, each with an `image` string. @internal */
export function isPodSpec(value: any): boolean {
  return !!value && typeof value === 'object' && Array.isArray(value.containers) && value.containers.length > 0
    && value.containers.every((c: any) => c && typeof c === 'object' && typeof c.image === 'string');
}

/**
 * The report-path suffix of a location: `/` and the JSON path below the owner's `spec` (trailing `template`/`spec` dropped),
 * e.g. `/rayClusterSpec.workerGroupSpecs[0]`, `/leaderWorkerTemplate.workerTemplate`, `/workflowSpec.templates[2]`.
 */
const subPath = (base: string, part: string): string => (base ? `${base}.${part}` : `/${part}`);

const found = (locations: PodSpecLocation[] = [], notEvaluated: NotEvaluatedLocation[] = []): Located => ({ locations, notEvaluated });

/** The PodTemplateSpec at `segments`: its spec as a location, or a not-evaluated entry when it holds no pod spec. */
function template(obj: Manifest, segments: Array<string | number>, suffix: string, required = true): Located {
  const tmpl = at(obj, segments);
  if (tmpl === undefined && !required) {
    return found();
  }
  if (!isPodSpec(tmpl?.spec)) {
    return found([], [{ suffix, reason: `no pod spec with containers and images at ${jsonPath([...segments, 'spec'])}` }]);
  }
  return found([{ suffix, path: jsonPath([...segments, 'spec']), podSpec: tmpl.spec, podMetadata: tmpl.metadata }]);
}

/** A JobTemplateSpec at `segments` (a JobSet replicated job): evaluated as the Job it becomes. */
function jobTemplate(obj: Manifest, segments: Array<string | number>, suffix: string): Located {
  const tmpl = at(obj, segments);
  const pod = template(obj, [...segments, 'spec', 'template'], suffix);
  return found(pod.locations.map((l) => ({ ...l, job: { spec: tmpl.spec, path: jsonPath([...segments, 'spec']) } })), pod.notEvaluated);
}

function merge(results: Located[]): Located {
  return found(results.flatMap((r) => r.locations), results.flatMap((r) => r.notEvaluated));
}

/** Sorted keys (by code unit, no locale), so a map of roles is walked deterministically. */
const keysOf = (value: any): string[] => (value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).sort() : []);
const listOf = (value: any): any[] => (Array.isArray(value) ? value : []);

/** KubeRay RayClusterSpec at `base`: the head group and every worker group. */
function rayCluster(obj: Manifest, base: string[], suffixBase: string): Located {
  return merge([
    template(obj, [...base, 'headGroupSpec', 'template'], subPath(suffixBase, 'headGroupSpec')),
    ...listOf(at(obj, [...base, 'workerGroupSpecs'])).map((_, i) =>
      template(obj, [...base, 'workerGroupSpecs', i, 'template'], subPath(suffixBase, `workerGroupSpecs[${i}]`))),
  ]);
}

/** JobSetSpec at `base`: every replicated job. */
function jobSet(obj: Manifest, base: string[], suffixBase: string): Located {
  return merge(listOf(at(obj, [...base, 'replicatedJobs'])).map((_, i) =>
    jobTemplate(obj, [...base, 'replicatedJobs', i, 'template'], subPath(suffixBase, `replicatedJobs[${i}]`))));
}

/** Kubeflow training-operator v1 jobs: `spec.<x>ReplicaSpecs.<Role>.template`. */
function replicaSpecs(field: string): (obj: Manifest) => Located {
  return (obj) => merge(keysOf(obj.spec?.[field]).map((role) => template(obj, ['spec', field, role, 'template'], `/${field}.${role}`)));
}

/**
 * The pod spec an Argo template runs: its `container`, `script` or `containerSet` containers with its init containers and
 * sidecars (sidecars run beside the main container), under the template's and the workflow's pod-level settings.
 */
function argoTemplatePod(tmpl: any, workflow: any): Manifest | undefined {
  const main = tmpl.container ? [{ name: 'main', ...tmpl.container }]
    : tmpl.script ? [{ name: 'main', ...tmpl.script }]
      : listOf(tmpl.containerSet?.containers);
  if (main.length === 0) {
    return undefined;
  }
  const pick = (field: string) => tmpl[field] ?? workflow[field];
  const spec: Manifest = {
    containers: [...main, ...listOf(tmpl.sidecars)],
    initContainers: listOf(tmpl.initContainers),
    volumes: [...listOf(workflow.volumes), ...listOf(tmpl.volumes)],
    restartPolicy: 'Never',
  };
  for (const field of ['securityContext', 'serviceAccountName', 'automountServiceAccountToken', 'nodeSelector', 'affinity', 'tolerations',
    'hostNetwork', 'priorityClassName', 'activeDeadlineSeconds', 'imagePullSecrets']) {
    if (pick(field) !== undefined) {
      spec[field] = pick(field);
    }
  }
  return spec;
}

/** Argo WorkflowSpec at `base`: each template that runs a pod; `resource` templates create objects at runtime. */
function argoWorkflow(obj: Manifest, base: string[]): Located {
  const workflow = at(obj, base) ?? {};
  const results: Located[] = listOf(workflow.templates).map((tmpl: any, i: number): Located => {
    const suffix = subPath(base.slice(1).join('.') ? `/${base.slice(1).join('.')}` : '', `templates[${i}]`);
    const path = jsonPath([...base, 'templates', i]);
    if (tmpl?.resource) {
      return found([], [{ suffix, reason: `${path}.resource creates an object at runtime (action ${tmpl.resource.action ?? '?'}); its pods are not in the output` }]);
    }
    const podSpec = tmpl && typeof tmpl === 'object' ? argoTemplatePod(tmpl, workflow) : undefined;
    if (!podSpec) {
      return found(); // steps, dag, suspend, http, plugin: no pod of its own
    }
    if (!isPodSpec(podSpec)) {
      return found([], [{ suffix, reason: `${path} has a container without an image` }]);
    }
    const metadata = {
      labels: { ...workflow.podMetadata?.labels, ...tmpl.metadata?.labels },
      annotations: { ...workflow.podMetadata?.annotations, ...tmpl.metadata?.annotations },
    };
    return found([{ suffix, path, podSpec, podMetadata: metadata }]);
  });
  return merge(results);
}

/** A KServe component (predictor, transformer, explainer): a pod spec when it lists containers, else built by the controller. */
function kserveComponents(obj: Manifest): Located {
  return merge(['predictor', 'transformer', 'explainer'].map((component): Located => {
    const value = obj.spec?.[component];
    if (value === undefined) {
      return found();
    }
    if (isPodSpec(value)) {
      return found([{ suffix: `/${component}`, path: `spec.${component}`, podSpec: value, podMetadata: { labels: obj.metadata?.labels, annotations: obj.metadata?.annotations } }]);
    }
    const framework = Object.keys(value).filter((k) => value[k] && typeof value[k] === 'object' && !Array.isArray(value[k])).sort().join(', ');
    return found([], [{ suffix: `/${component}`, reason: `the pod is built by the KServe controller from spec.${component} (${framework || 'no containers'}) and a ServingRuntime; it is not in the output` }]);
  }));
}

/** Seldon Core v1 SeldonDeployment: `spec.predictors[*].componentSpecs[*].spec`; prepackaged servers are built by the operator. */
function seldonDeployment(obj: Manifest): Located {
  return merge(listOf(obj.spec?.predictors).map((predictor: any, i: number): Located => {
    const specs = listOf(predictor?.componentSpecs);
    if (specs.length === 0) {
      return found([], [{ suffix: `/predictors[${i}]`, reason: `the pods of spec.predictors[${i}] (graph implementation ${predictor?.graph?.implementation ?? '?'}) are built by the Seldon operator` }]);
    }
    return merge(specs.map((_, j) => template(obj, ['spec', 'predictors', i, 'componentSpecs', j], `/predictors[${i}].componentSpecs[${j}]`)));
  }));
}

const SERVICE = ControlScope.SERVICE;
const JOB = ControlScope.JOB;

/**
 * Where the pod specs of custom resources sit, by `<API group>/<kind>`. Each path is read from the project's own API types:
 * the source repository and file are named per row.
 *
 * @internal
 */
export const POD_SPEC_LOCATIONS: Record<string, KindLocations> = {
  // kserve/kserve pkg/apis/serving/v1beta1/predictor.go (PredictorSpec: PodSpec inline), transformer.go, explainer.go
  'serving.kserve.io/InferenceService': { scope: SERVICE, controller: 'InferenceService', locate: kserveComponents },
  // KFServing, KServe's predecessor, served the same v1beta1 InferenceService shape in the serving.kubeflow.org group
  'serving.kubeflow.org/InferenceService': { scope: SERVICE, controller: 'InferenceService', locate: kserveComponents },
  // kserve/kserve pkg/apis/serving/v1alpha1/servingruntime_types.go (ServingRuntimeSpec: ServingRuntimePodSpec inline)
  'serving.kserve.io/ServingRuntime': { scope: SERVICE, controller: 'ServingRuntime', locate: (o) => podSpecAt(o, ['spec'], '') },
  'serving.kserve.io/ClusterServingRuntime': { scope: SERVICE, controller: 'ClusterServingRuntime', locate: (o) => podSpecAt(o, ['spec'], '') },
  // ray-project/kuberay ray-operator/apis/ray/v1/raycluster_types.go (HeadGroupSpec.Template, WorkerGroupSpec.Template)
  'ray.io/RayCluster': { scope: SERVICE, controller: 'RayCluster', locate: (o) => rayCluster(o, ['spec'], '') },
  // ray-project/kuberay ray-operator/apis/ray/v1/rayjob_types.go (RayClusterSpec `rayClusterSpec`, SubmitterPodTemplate)
  'ray.io/RayJob': {
    scope: JOB,
    controller: 'RayJob',
    locate: (o) => merge([rayCluster(o, ['spec', 'rayClusterSpec'], '/rayClusterSpec'), template(o, ['spec', 'submitterPodTemplate'], '/submitterPodTemplate', false)]),
  },
  // ray-project/kuberay ray-operator/apis/ray/v1/rayservice_types.go (RayClusterSpec `rayClusterConfig`)
  'ray.io/RayService': { scope: SERVICE, controller: 'RayService', locate: (o) => rayCluster(o, ['spec', 'rayClusterConfig'], '/rayClusterConfig') },
  // kubernetes-sigs/lws api/leaderworkerset/v1/leaderworkerset_types.go (LeaderWorkerTemplate.LeaderTemplate, .WorkerTemplate)
  'leaderworkerset.x-k8s.io/LeaderWorkerSet': {
    scope: SERVICE,
    controller: 'LeaderWorkerSet',
    locate: (o) => merge([template(o, ['spec', 'leaderWorkerTemplate', 'leaderTemplate'], '/leaderWorkerTemplate.leaderTemplate', false),
      template(o, ['spec', 'leaderWorkerTemplate', 'workerTemplate'], '/leaderWorkerTemplate.workerTemplate')]),
  },
  // kubernetes-sigs/jobset api/jobset/v1alpha2/jobset_types.go (ReplicatedJob.Template batchv1.JobTemplateSpec)
  'jobset.x-k8s.io/JobSet': { scope: JOB, locate: (o) => jobSet(o, ['spec'], '') },
  // kubeflow/trainer pkg/apis/trainer/v1alpha1/trainingruntime_types.go (TrainingRuntimeSpec.Template JobSetTemplateSpec)
  'trainer.kubeflow.org/TrainingRuntime': { scope: JOB, locate: (o) => jobSet(o, ['spec', 'template', 'spec'], '/template.spec') },
  'trainer.kubeflow.org/ClusterTrainingRuntime': { scope: JOB, locate: (o) => jobSet(o, ['spec', 'template', 'spec'], '/template.spec') },
  // kubeflow/trainer pkg/apis/trainer/v1alpha1/trainjob_types.go (RuntimeRef, Trainer, PodTemplateOverrides; kubeflow/training-operator
  // sdk/docs/TrainerV1alpha1TrainJobSpec.md: pod_spec_overrides): overrides carry no complete pod spec
  'trainer.kubeflow.org/TrainJob': {
    scope: JOB,
    controller: 'TrainJob',
    locate: (o) => found([], [{
      suffix: '',
      reason: `the pods are built by the Kubeflow Trainer controller from ${o.spec?.runtimeRef?.kind ?? 'ClusterTrainingRuntime'} ${o.spec?.runtimeRef?.name ?? '?'}`
      + ' (with spec.trainer and spec.podTemplateOverrides/podSpecOverrides merged in); evaluate that runtime',
    }]),
  },
  // kubeflow/training-operator pkg/apis/kubeflow.org/v1/{pytorch,tensorflow,mpi,xgboost,paddlepaddle,jax}_types.go (ReplicaSpec.Template)
  'kubeflow.org/PyTorchJob': { scope: JOB, controller: 'PyTorchJob', locate: replicaSpecs('pytorchReplicaSpecs') },
  'kubeflow.org/TFJob': { scope: JOB, controller: 'TFJob', locate: replicaSpecs('tfReplicaSpecs') },
  'kubeflow.org/MPIJob': { scope: JOB, controller: 'MPIJob', locate: replicaSpecs('mpiReplicaSpecs') },
  'kubeflow.org/XGBoostJob': { scope: JOB, controller: 'XGBoostJob', locate: replicaSpecs('xgbReplicaSpecs') },
  'kubeflow.org/PaddleJob': { scope: JOB, controller: 'PaddleJob', locate: replicaSpecs('paddleReplicaSpecs') },
  'kubeflow.org/JAXJob': { scope: JOB, controller: 'JAXJob', locate: replicaSpecs('jaxReplicaSpecs') },
  // argoproj/argo-workflows pkg/apis/workflow/v1alpha1/workflow_types.go (Template.Container, Script, ContainerSet, InitContainers,
  // Sidecars), cron_workflow_types.go (CronWorkflowSpec.WorkflowSpec)
  'argoproj.io/Workflow': { scope: JOB, controller: 'Workflow', locate: (o) => argoWorkflow(o, ['spec']) },
  'argoproj.io/WorkflowTemplate': { scope: JOB, controller: 'WorkflowTemplate', locate: (o) => argoWorkflow(o, ['spec']) },
  'argoproj.io/ClusterWorkflowTemplate': { scope: JOB, controller: 'ClusterWorkflowTemplate', locate: (o) => argoWorkflow(o, ['spec']) },
  'argoproj.io/CronWorkflow': { scope: JOB, controller: 'CronWorkflow', locate: (o) => argoWorkflow(o, ['spec', 'workflowSpec']) },
  // seldonio/seldon-core operator/apis/mlops/v1alpha1/server_types.go (ServerSpec.PodSpec `podSpec`: "PodSpec overrides. Slices such
  // as containers would be appended not overridden" to the referenced ServerConfig's pod): the merged pod is not in the output
  'mlops.seldon.io/Server': {
    scope: SERVICE,
    controller: 'Server',
    locate: (o) => {
      const merged = { suffix: '', reason: `the Seldon operator appends spec.podSpec to the pod of ServerConfig ${o.spec?.serverConfig ?? '?'}; the merged pod is not in the output` };
      return isPodSpec(o.spec?.podSpec) ? found(podSpecAt(o, ['spec', 'podSpec'], '').locations, [merged])
        : found([], [{ ...merged, reason: `${merged.reason}${o.spec?.podSpec ? ' (spec.podSpec containers carry no images)' : ''}` }]);
    },
  },
  // seldonio/seldon-core operator/apis/mlops/v1alpha1/serverconfig_types.go (ServerConfigSpec.PodSpec, a complete pod spec)
  'mlops.seldon.io/ServerConfig': { scope: SERVICE, controller: 'ServerConfig', locate: (o) => podSpecAt(o, ['spec', 'podSpec'], '') },
  // seldonio/seldon-core operator/apis/machinelearning.seldon.io/v1/seldondeployment_types.go (PredictorSpec.ComponentSpecs[].Spec)
  'machinelearning.seldon.io/SeldonDeployment': { scope: SERVICE, controller: 'SeldonDeployment', locate: seldonDeployment },
  // knative/serving pkg/apis/serving/v1/service_types.go, revision_types.go (RevisionSpec: PodSpec inline)
  'serving.knative.dev/Service': { scope: SERVICE, controller: 'Knative Serving', locate: (o) => template(o, ['spec', 'template'], '') },
  // kubeflow/katib pkg/apis/controller/experiments/v1beta1/experiment_types.go (TrialTemplate.TrialSource.TrialSpec, unstructured):
  // the nested object is discovered in turn (pod-spec-discovery.ts)
};

/** A bare pod spec at `segments` (ServingRuntime, Seldon Server). */
function podSpecAt(obj: Manifest, segments: string[], suffix: string): Located {
  const spec = at(obj, segments);
  if (!isPodSpec(spec)) {
    return found([], [{ suffix, reason: `no pod spec with containers and images at ${jsonPath(segments)}` }]);
  }
  const podMetadata = { labels: obj.metadata?.labels, annotations: obj.metadata?.annotations };
  return found([{ suffix, path: jsonPath(segments), podSpec: spec, podMetadata }]);
}

/** The entry of the table for an object's API group and kind. @internal */
export function kindLocations(apiVersion: unknown, kind: unknown): KindLocations | undefined {
  const group = apiGroup(apiVersion);
  return POD_SPEC_LOCATIONS[`${group}/${String(kind)}`];
}
