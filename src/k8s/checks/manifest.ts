/* eslint-disable @typescript-eslint/no-explicit-any */

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
 * A view of a workload's pod template: spec, metadata and every container with its field path.
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
  public readonly containers: Array<{ c: any; path: string; init: boolean }>;

  constructor(public readonly obj: Manifest) {
    this.kind = obj.kind;
    this.name = obj.metadata?.name ?? '(unnamed)';
    this.namespace = obj.metadata?.namespace;
    const path = podSpecPath(obj.kind) ?? ['spec'];
    this.spec = path.reduce((o: any, k) => (o ? o[k] : undefined), obj) ?? {};
    this.specPath = path.join('.');
    const templatePath = path.slice(0, -1);
    const template = templatePath.reduce((o: any, k) => (o ? o[k] : undefined), obj);
    this.templateLabels = (obj.kind === 'Pod' ? obj.metadata?.labels : template?.metadata?.labels) ?? {};
    this.containers = [
      ...(this.spec.initContainers ?? []).map((c: any, i: number) => ({ c, path: `${this.specPath}.initContainers[${i}]`, init: true })),
      ...(this.spec.containers ?? []).map((c: any, i: number) => ({ c, path: `${this.specPath}.containers[${i}]`, init: false })),
    ];
  }

  /**
   * `Kind name path=value` evidence text, built flat by `join` (a template literal would give a tree of concatenations that
   * every later reader, such as the report's `JSON.stringify`, first has to copy into one piece).
   */
  public ev(path: string, value: unknown): string {
    return [this.kind, ' ', this.name, ' ', path, '=', JSON.stringify(value)].join('');
  }

  /** Containers that run for the pod's lifetime: regular containers and native sidecars. */
  public get longRunning(): Array<{ c: any; path: string; init: boolean }> {
    return this.containers.filter((x) => !x.init || x.c.restartPolicy === 'Always');
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
