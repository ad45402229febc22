/* eslint-disable @typescript-eslint/no-explicit-any */
import { WorkloadProfile, workloadProfile } from './profile';

/**
 * A rendered Kubernetes object (the resolved JSON of a manifest).
 *
 * @internal
 */
export type Manifest = Record<string, any>;

/** Kinds whose objects carry a pod template, and where it sits. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
  // Argo Rollouts (argoproj.io/v1alpha1 Rollout, argoproj/argo-rollouts pkg/apis/rollouts/v1alpha1/types.go RolloutSpec.Template)
  Rollout: ['spec', 'template', 'spec'],
};

/**
 * The JSON path of the pod spec of a workload kind, or undefined for kinds without a pod template.
 *
 * @internal
 */
export function podSpecPath(kind: string): string[] | undefined {
  return POD_SPEC_PATHS[kind];
}

/**
 * One container of a pod template with its field path: `init` for initContainers (native sidecars included), `ephemeral`
 * for ephemeralContainers (added by `kubectl debug`, they run with the pod's identity and count in every per-container control).
 *
 * @internal
 */
export interface PodContainer {
  readonly c: any;
  readonly path: string;
  readonly init: boolean;
  readonly ephemeral: boolean;
}

/**
 * The object that owns a pod template when it is not the manifest itself: a custom resource such as a KServe
 * InferenceService or a Kubeflow PyTorchJob whose pod spec was found inside it. Its kind, API version and labels decide the
 * workload profile.
 *
 * @internal
 */
export interface PodOwner {
  readonly kind: string;
  readonly apiVersion?: string;
  readonly labels?: Record<string, string>;
}

/**
 * A view of a workload's pod template: spec, metadata, every container with its field path, and the workload profile.
 *
 * @internal
 */
export class PodView {
  public readonly kind: string;
  public readonly name: string;
  public readonly namespace?: string;
  public readonly spec: any;
  public readonly specPath: string;
  public readonly templateLabels: Record<string, string>;
  /** Init containers (native sidecars included), regular containers, then ephemeral containers. */
  public readonly containers: PodContainer[];
  /** The kind of the object that holds the pod template (a TrainingRuntime for the Job built from its template). */
  public readonly ownerKind: string;
  /** Model server, training or generic: from the owner when given, else from the object's own kind, API group and labels. */
  public readonly profile: WorkloadProfile;

  /**
   * @param obj the rendered object that holds the pod template (a Deployment, Job, Pod, ... or a pod spec wrapper)
   * @param owner the custom resource that owns the pod template, when it is not `obj` (decides the profile)
   */
  constructor(public readonly obj: Manifest, owner?: PodOwner) {
    this.kind = obj.kind;
    this.ownerKind = owner?.kind ?? obj.kind;
    this.name = obj.metadata?.name ?? obj.metadata?.generateName ?? '(unnamed)';
    this.namespace = obj.metadata?.namespace;
    const path = podSpecPath(obj.kind) ?? ['spec'];
    this.spec = path.reduce((o: any, k) => (o ? o[k] : undefined), obj) ?? {};
    this.specPath = path.join('.');
    const templatePath = path.slice(0, -1);
    const template = templatePath.reduce((o: any, k) => (o ? o[k] : undefined), obj);
    this.templateLabels = (obj.kind === 'Pod' ? obj.metadata?.labels : template?.metadata?.labels) ?? {};
    const list = (field: string, init: boolean, ephemeral: boolean): PodContainer[] => (Array.isArray(this.spec[field]) ? this.spec[field] : [])
      .map((c: any, i: number) => ({ c: c ?? {}, path: `${this.specPath}.${field}[${i}]`, init, ephemeral }));
    this.containers = [
      ...list('initContainers', true, false),
      ...list('containers', false, false),
      ...list('ephemeralContainers', false, true),
    ];
    this.profile = owner
      ? workloadProfile(owner.kind, owner.apiVersion, owner.labels)
      : workloadProfile(obj.kind, obj.apiVersion, { ...this.templateLabels, ...obj.metadata?.labels });
  }

  /**
   * `Kind name path=value` evidence text, built flat by `join` (a template literal would give a tree of concatenations that
   * every later reader, such as the report's `JSON.stringify`, first has to copy into one piece).
   */
  public ev(path: string, value: unknown): string {
    return [this.kind, ' ', this.name, ' ', path, '=', JSON.stringify(value)].join('');
  }

  /**
   * Evidence for one field as the output shows it: `Kind name path=<JSON value>`, or `path=not set` when the field is absent
   * (never a default the checker assumes).
   */
  public field(path: string, value: unknown): string {
    return value === undefined ? [this.kind, ' ', this.name, ' ', path, '=not set'].join('') : this.ev(path, value);
  }

  /** Containers that run for the pod's lifetime: regular containers and native sidecars (not ephemeral debug containers). */
  public get longRunning(): PodContainer[] {
    return this.containers.filter((x) => !x.ephemeral && (!x.init || x.c.restartPolicy === 'Always'));
  }
}

/**
 * True when a label selector (`matchLabels` only, plus `matchExpressions` with `In`/`Exists`) selects the given labels.
 *
 * @internal
 */
export function selects(selector: any, labels: Record<string, string>): boolean {
  if (!selector) {
    return false;
  }
  const ml = selector.matchLabels ?? {};
  if (!Object.keys(ml).every((k) => labels[k] === ml[k])) {
    return false;
  }
  return (selector.matchExpressions ?? []).every((e: any) => {
    const v = labels[e.key];
    switch (e.operator) {
      case 'In': return v !== undefined && (e.values ?? []).includes(v);
      case 'NotIn': return v === undefined || !(e.values ?? []).includes(v);
      case 'Exists': return v !== undefined;
      case 'DoesNotExist': return v === undefined;
      default: return false;
    }
  });
}
