/**
 * PLACEHOLDER (k8s-app-wide branch): the k8s-pod-rules branch owns this file and its real rules; the integrator keeps theirs.
 * It exists here so that pod-spec discovery can name the profile a discovered pod spec is evaluated with.
 */

/**
 * What a workload is, for the rules that differ by kind of workload (e.g. PRB-1's OIP paths apply to model servers).
 *
 * @internal
 */
export enum WorkloadProfile {
  MODEL_SERVER = 'model-server',
  TRAINING = 'training',
  GENERIC = 'generic',
}

/**
 * The profile of a workload from the owning object's kind, apiVersion and pod labels (placeholder: always GENERIC).
 *
 * @internal
 */
export function workloadProfile(_kind: string, _apiVersion: string, _labels: Record<string, string>): WorkloadProfile {
  return WorkloadProfile.GENERIC;
}
