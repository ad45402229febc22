// Which kind of workload a pod template belongs to: a model server, a training job, or a generic service. The rules that
// depend on it (META-2, the model-load and OIP parts of PRB-1) read it from PodView.profile, set once from the object that
// owns the pod template (a Deployment or Job of ours, or a custom resource such as a KServe InferenceService).

/**
 * The profile of a workload, decided from its kind, API group and labels.
 *
 * @internal
 */
export enum WorkloadProfile {
  /** Serves a model: our CompliantModelService, or a known ML serving kind, or `app.kubernetes.io/component: model-server`. */
  MODEL_SERVER = 'model-server',
  /** Trains a model: our CompliantTrainingJob, or a known ML training kind, or `app.kubernetes.io/component: training-job`. */
  TRAINING = 'training',
  /** Anything else (nginx, an ingress controller, a database): model provenance and OIP probe paths do not apply. */
  GENERIC = 'generic',
}

/** The label our constructs set to say what a workload is (src/k8s/model-service.ts, training-job.ts). */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

const COMPONENT_PROFILES = new Map<string, WorkloadProfile>([
  ['model-server', WorkloadProfile.MODEL_SERVER],
  ['training-job', WorkloadProfile.TRAINING],
]);

/** Known ML serving and training kinds, by API group then kind. RayCluster is handled apart (training unless labelled). */
const KIND_PROFILES: Record<string, Record<string, WorkloadProfile>> = {
  'serving.kserve.io': {
    InferenceService: WorkloadProfile.MODEL_SERVER,
    ServingRuntime: WorkloadProfile.MODEL_SERVER,
    ClusterServingRuntime: WorkloadProfile.MODEL_SERVER,
    InferenceGraph: WorkloadProfile.MODEL_SERVER,
  },
  'machinelearning.seldon.io': { SeldonDeployment: WorkloadProfile.MODEL_SERVER },
  'mlops.seldon.io': { Server: WorkloadProfile.MODEL_SERVER, Model: WorkloadProfile.MODEL_SERVER },
  'ray.io': { RayService: WorkloadProfile.MODEL_SERVER, RayJob: WorkloadProfile.TRAINING },
  'kubeflow.org': {
    PyTorchJob: WorkloadProfile.TRAINING,
    TFJob: WorkloadProfile.TRAINING,
    MPIJob: WorkloadProfile.TRAINING,
    XGBoostJob: WorkloadProfile.TRAINING,
    PaddleJob: WorkloadProfile.TRAINING,
    JAXJob: WorkloadProfile.TRAINING,
    Experiment: WorkloadProfile.TRAINING,
  },
  'trainer.kubeflow.org': {
    TrainJob: WorkloadProfile.TRAINING,
    TrainingRuntime: WorkloadProfile.TRAINING,
    ClusterTrainingRuntime: WorkloadProfile.TRAINING,
  },
};

/**
 * The API group of an `apiVersion` (`serving.kserve.io/v1beta1` → `serving.kserve.io`; the core group `v1` → '').
 *
 * @internal
 */
export function apiGroup(apiVersion: unknown): string {
  const value = String(apiVersion ?? '');
  const slash = value.indexOf('/');
  return slash >= 0 ? value.slice(0, slash) : '';
}

/**
 * The profile of a workload: the `app.kubernetes.io/component` label our constructs set (`model-server`, `training-job`)
 * decides first; otherwise a known ML serving or training kind of its API group (KServe, Seldon, KubeRay, Kubeflow Training
 * and Trainer, Katib); a KubeRay RayCluster is training unless labelled `model-server`; everything else is generic.
 *
 * @param kind the kind of the object that owns the pod template (`InferenceService` for a KServe predictor's pods)
 * @param apiVersion that object's `apiVersion`; the kind is matched only together with its API group
 * @param labels that object's labels
 * @internal
 */
export function workloadProfile(kind: string | undefined, apiVersion: string | undefined,
  labels: Record<string, string> | undefined): WorkloadProfile {
  const byLabel = COMPONENT_PROFILES.get(String(labels?.[COMPONENT_LABEL] ?? ''));
  if (byLabel !== undefined) {
    return byLabel;
  }
  const group = apiGroup(apiVersion);
  if (group === 'ray.io' && kind === 'RayCluster') {
    return WorkloadProfile.TRAINING;
  }
  const kinds = Object.prototype.hasOwnProperty.call(KIND_PROFILES, group) ? KIND_PROFILES[group] : {};
  return Object.prototype.hasOwnProperty.call(kinds, kind ?? '') ? kinds[kind!] : WorkloadProfile.GENERIC;
}

/**
 * True for the profiles that carry a model: model servers and training jobs (META-2 applies to them).
 *
 * @internal
 */
export function carriesModel(profile: WorkloadProfile): boolean {
  return profile === WorkloadProfile.MODEL_SERVER || profile === WorkloadProfile.TRAINING;
}
