/* eslint-disable @typescript-eslint/no-explicit-any */
import { Manifest, selects } from './manifest';
import { apiGroup } from './profile';


/** The namespace key of an object: its `metadata.namespace`, or '' when unset (the namespace of the apply context). @internal */
export function namespaceOf(obj: Manifest): string {
  const ns = obj?.metadata?.namespace;
  return typeof ns === 'string' ? ns : '';
}

/**
 * An autoscaler that targets a workload: a HorizontalPodAutoscaler, or a KEDA ScaledObject (which creates one at runtime).
 *
 * @internal
 */
export interface Autoscaler {
  readonly object: Manifest;
  /** `HorizontalPodAutoscaler name` or `ScaledObject name`. */
  readonly label: string;
  /** The minimum replica count the autoscaler keeps (HPA `minReplicas` default 1; KEDA `minReplicaCount` default 0). */
  readonly minReplicas: unknown;
  /** The field that holds it, for evidence. */
  readonly minField: string;
}

/**
 * Objects that select pods by a label selector, bucketed by one `key=value` of their matchLabels: a lookup tests only the
 * objects whose bucket label the pod carries, plus those without matchLabels (`{}`, or matchExpressions only), so evaluating
 * n workloads against n policies of one namespace stays near-linear. Each candidate is then matched in full (`selects`).
 */
class SelectorBuckets {
  private readonly buckets = new Map<string, Array<{ order: number; obj: Manifest }>>();
  private readonly unbucketed: Array<{ order: number; obj: Manifest }> = [];
  private count = 0;

  constructor(private readonly selectorOf: (obj: Manifest) => any, private readonly absentSelectsAll: boolean) {}

  public add(obj: Manifest): void {
    const entry = { order: this.count++, obj };
    const labels = this.selectorOf(obj)?.matchLabels;
    const keys = labels && typeof labels === 'object' ? Object.keys(labels).sort() : [];
    if (keys.length === 0) {
      this.unbucketed.push(entry);
      return;
    }
    const key = `${keys[0]}\u0000${labels[keys[0]]}`;
    const list = this.buckets.get(key) ?? [];
    list.push(entry);
    this.buckets.set(key, list);
  }

  /** The objects whose selector selects these labels, in the order they were added. */
  public selecting(labels: Record<string, string>): Manifest[] {
    const candidates = [...this.unbucketed];
    for (const [k, v] of Object.entries(labels)) {
      candidates.push(...(this.buckets.get(`${k}\u0000${v}`) ?? []));
    }
    return candidates.filter((c) => selects(this.selectorOf(c.obj) ?? (this.absentSelectsAll ? {} : undefined), labels))
      .sort((a, b) => a.order - b.order).map((c) => c.obj);
  }
}

/** A NetworkPolicy's podSelector (absent means `{}`: every pod of the namespace). */
const podSelector = (obj: Manifest) => obj.spec?.podSelector;
/** A PodDisruptionBudget's selector (absent selects nothing in policy/v1). */
const pdbSelector = (obj: Manifest) => obj.spec?.selector;

/** The objects of one namespace that select pods. */
interface NamespaceObjects {
  readonly networkPolicies: SelectorBuckets;
  readonly podDisruptionBudgets: SelectorBuckets;
  readonly services: Manifest[];
}

const APPS_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet'];

const SIGNATURE_POLICY_KINDS: Record<string, string> = {
  ClusterPolicy: 'kyverno.io',
  Policy: 'kyverno.io',
  ClusterImagePolicy: 'policy.sigstore.dev',
};

/**
 * Every object of one evaluation (an app across all its charts, or all inputs of `cdk-compliant-ml check`), indexed once so
 * that evaluating a workload looks up only what can select or target it: NetworkPolicies, PodDisruptionBudgets and Services by
 * namespace; autoscalers by namespace and target; ServiceAccounts and Namespaces by name; the signature policies (cluster-scoped
 * or namespaced). Building it is linear in the number of objects; a lookup costs the size of the namespace's list (selector
 * matching within one namespace is per policy).
 *
 * @internal
 */
export class K8sObjectIndex {
  /** An index over no objects (a construct evaluated outside an app's collection still gets its own objects). */
  public static of(objects: Manifest[]): K8sObjectIndex {
    return new K8sObjectIndex(objects);
  }

  /** Every object indexed, in input order. */
  public readonly objects: readonly Manifest[];
  /** The Kyverno ClusterPolicies and Policies and sigstore ClusterImagePolicies. */
  public readonly signaturePolicies: readonly Manifest[];
  private readonly byNamespace = new Map<string, NamespaceObjects>();
  private readonly autoscalers = new Map<string, Autoscaler[]>();
  private readonly serviceAccounts = new Map<string, Manifest>();
  private readonly namespaces = new Map<string, Manifest>();
  private readonly configMaps = new Map<string, Manifest>();

  private constructor(objects: Manifest[]) {
    this.objects = objects;
    const policies: Manifest[] = [];
    for (const obj of objects) {
      if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string') {
        continue;
      }
      const group = apiGroup(obj.apiVersion);
      const ns = namespaceOf(obj);
      switch (obj.kind) {
        case 'NetworkPolicy':
          if (group === 'networking.k8s.io' || group === 'extensions') {
            this.namespaceObjects(ns).networkPolicies.add(obj);
          }
          break;
        case 'PodDisruptionBudget':
          if (group === 'policy') {
            this.namespaceObjects(ns).podDisruptionBudgets.add(obj);
          }
          break;
        case 'Service':
          if (group === '') {
            this.namespaceObjects(ns).services.push(obj);
          }
          break;
        case 'HorizontalPodAutoscaler':
          if (group === 'autoscaling') {
            this.addAutoscaler(ns, obj.spec?.scaleTargetRef, {
              object: obj,
              label: `HorizontalPodAutoscaler ${obj.metadata?.name}`,
              minReplicas: obj.spec?.minReplicas ?? 1,
              minField: 'spec.minReplicas',
            }, undefined);
          }
          break;
        case 'ScaledObject':
          if (group === 'keda.sh') {
            this.addAutoscaler(ns, obj.spec?.scaleTargetRef, {
              object: obj,
              label: `ScaledObject ${obj.metadata?.name}`,
              minReplicas: obj.spec?.minReplicaCount ?? 0,
              minField: 'spec.minReplicaCount',
            }, { kind: 'Deployment', apiVersion: 'apps/v1' });
          }
          break;
        case 'ServiceAccount':
          if (group === '') {
            this.serviceAccounts.set(`${ns}/${obj.metadata?.name}`, obj);
          }
          break;
        case 'Namespace':
          if (group === '') {
            this.namespaces.set(String(obj.metadata?.name), obj);
          }
          break;
        case 'ConfigMap':
          if (group === '') {
            this.configMaps.set(`${ns}/${obj.metadata?.name}`, obj);
          }
          break;
        default:
          if (SIGNATURE_POLICY_KINDS[obj.kind] !== undefined && SIGNATURE_POLICY_KINDS[obj.kind] === group) {
            policies.push(obj);
          }
      }
    }
    this.signaturePolicies = policies;
  }

  /** The NetworkPolicies of a namespace ('' = unset) whose podSelector selects the pod labels (`{}` or absent: every pod). */
  public networkPoliciesSelecting(namespace: string, labels: Record<string, string>): Manifest[] {
    return this.byNamespace.get(namespace)?.networkPolicies.selecting(labels) ?? [];
  }

  /** The PodDisruptionBudgets of a namespace whose selector (matchLabels and matchExpressions) selects the pod labels. */
  public podDisruptionBudgetsSelecting(namespace: string, labels: Record<string, string>): Manifest[] {
    return this.byNamespace.get(namespace)?.podDisruptionBudgets.selecting(labels) ?? [];
  }

  /** The Services of a namespace. */
  public services(namespace: string): readonly Manifest[] {
    return this.byNamespace.get(namespace)?.services ?? [];
  }

  /** The autoscalers whose scaleTargetRef names this workload (same namespace, API group, kind and name). */
  public autoscalersOf(namespace: string, apiVersion: unknown, kind: string, name: string): readonly Autoscaler[] {
    return this.autoscalers.get(targetKey(namespace, apiGroup(apiVersion), kind, name)) ?? [];
  }

  /** A ServiceAccount by namespace and name. */
  public serviceAccount(namespace: string, name: string): Manifest | undefined {
    return this.serviceAccounts.get(`${namespace}/${name}`);
  }

  /** A ConfigMap by namespace ('' = unset) and name (undefined when the output does not hold it). */
  public configMap(namespace: string, name: string): Manifest | undefined {
    return this.configMaps.get(`${namespace}/${name}`);
  }

  /** A Namespace object by name (undefined when the output does not hold it). */
  public namespace(name: string): Manifest | undefined {
    return this.namespaces.get(name);
  }

  private namespaceObjects(ns: string): NamespaceObjects {
    let found = this.byNamespace.get(ns);
    if (!found) {
      found = {
        networkPolicies: new SelectorBuckets(podSelector, true),
        podDisruptionBudgets: new SelectorBuckets(pdbSelector, false),
        services: [],
      };
      this.byNamespace.set(ns, found);
    }
    return found;
  }

  private addAutoscaler(ns: string, ref: any, autoscaler: Autoscaler, defaults?: { kind: string; apiVersion: string }): void {
    const kind = ref?.kind ?? defaults?.kind;
    const name = ref?.name;
    if (typeof kind !== 'string' || typeof name !== 'string') {
      return;
    }
    // scaleTargetRef.apiVersion is optional in the API: without it, the apps kinds are meant
    const apiVersion = ref?.apiVersion ?? defaults?.apiVersion ?? (APPS_KINDS.includes(kind) ? 'apps/v1' : '');
    const key = targetKey(ns, apiGroup(apiVersion), kind, name);
    const list = this.autoscalers.get(key) ?? [];
    list.push(autoscaler);
    this.autoscalers.set(key, list);
  }
}

function targetKey(ns: string, group: string, kind: string, name: string): string {
  // `extensions` Deployments are the same objects as `apps` ones
  const g = group === 'extensions' ? 'apps' : group;
  return [ns, g, kind, name].join('\u0000');
}
