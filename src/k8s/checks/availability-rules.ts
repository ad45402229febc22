/* eslint-disable @typescript-eslint/no-explicit-any */
import { Manifest, PodView, selects } from './manifest';
import { K8sObjectIndex } from './object-index';
import { apiGroup } from './profile';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';

/** Built-in (and Argo Rollouts) kinds whose replica count is `spec.replicas` (default 1). */
const REPLICATED_KINDS: Record<string, string[]> = {
  Deployment: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  ReplicaSet: ['apps', 'extensions'],
  ReplicationController: [''],
  Rollout: ['argoproj.io'],
};

const finding = (id: string, status: ControlStatus, ...evidence: string[]): Finding => ({ id, status, evidence });

function isReplicated(p: PodView): boolean {
  return (REPLICATED_KINDS[p.kind] ?? []).includes(apiGroup(p.obj.apiVersion));
}

/** A non-negative integer, or a percentage string `N%`, as the API writes IntOrString. */
function intOrPercent(value: unknown): { n: number; percent: boolean } | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    return { n: value, percent: false };
  }
  const m = typeof value === 'string' ? /^(\d+)%$/.exec(value) : null;
  return m ? { n: Number(m[1]), percent: true } : undefined;
}

/**
 * The replica count the workload runs with: the single autoscaler's minimum when one targets it (it overrides spec.replicas),
 * else spec.replicas (default 1); undefined when the output cannot say.
 */
function replicaCount(p: PodView, index: K8sObjectIndex): { value?: number; evidence: string; problem?: string } {
  const autoscalers = index.autoscalersOf(p.namespace ?? '', p.obj.apiVersion, p.kind, p.name);
  if (autoscalers.length > 1) {
    return { evidence: autoscalers.map((a) => a.label).join(', '), problem: `${autoscalers.length} autoscalers (${autoscalers.map((a) => a.label).join(', ')}) target ${p.kind} ${p.name}; they fight over its replica count` };
  }
  if (autoscalers.length === 1) {
    const a = autoscalers[0];
    const min = a.minReplicas;
    const evidence = `${a.label} ${a.minField}=${JSON.stringify(min)} targets ${p.kind} ${p.name} and overrides its spec.replicas`;
    return typeof min === 'number' && Number.isInteger(min) ? { value: min, evidence } : { evidence };
  }
  const replicas = p.obj.spec?.replicas ?? 1;
  const evidence = p.ev('spec.replicas', replicas);
  return typeof replicas === 'number' && Number.isInteger(replicas) ? { value: replicas, evidence } : { evidence };
}

/**
 * AVL-1, the verdict rule of src/compliance/verdict-rules.ts: "At least 2 replicas at runtime: an autoscaler targeting the
 * workload (HPA scaleTargetRef apiVersion/kind/name in its namespace, or a KEDA ScaledObject) overrides spec.replicas, so its
 * minimum decides (minReplicas default 1, minReplicaCount default 0); two autoscalers on one workload are violated. A bare Pod
 * is violated; a DaemonSet is not-applicable (one pod per eligible node); replicas managed by a custom-resource controller, or
 * a value the output cannot read, are unverified."
 *
 * @internal
 */
export function replicasAtLeastTwo(p: PodView, index: K8sObjectIndex, controller?: string): Finding {
  if (controller !== undefined) {
    return finding('AVL-1', ControlStatus.UNVERIFIED, `${p.kind} ${p.name}: replicas are managed by the ${controller} controller; the output holds no replica count the checker can read`);
  }
  if (p.kind === 'Pod') {
    return finding('AVL-1', ControlStatus.VIOLATED, `Pod ${p.name}: a bare Pod has no controller, so it is a single replica that nothing recreates`);
  }
  if (!isReplicated(p)) {
    return finding('AVL-1', ControlStatus.UNVERIFIED, `${p.kind} ${p.name}: nothing in the output runs this pod template with a replica count`);
  }
  const count = replicaCount(p, index);
  if (count.problem) {
    return finding('AVL-1', ControlStatus.VIOLATED, count.problem);
  }
  if (count.value === undefined) {
    return finding('AVL-1', ControlStatus.UNVERIFIED, `${count.evidence}: not an integer`);
  }
  return verdict('AVL-1', [count.evidence], count.value >= 2 ? [] : [count.evidence]);
}

/** Why one PDB protects nothing or blocks every voluntary disruption, or undefined when it is sound. */
function pdbProblem(pdb: Manifest, replicas: number | undefined): { problem?: string; unknown?: string } {
  const { maxUnavailable, minAvailable } = pdb.spec ?? {};
  const max = intOrPercent(maxUnavailable);
  const min = intOrPercent(minAvailable);
  if (maxUnavailable !== undefined) {
    if (!max) {
      return { unknown: `spec.maxUnavailable=${JSON.stringify(maxUnavailable)} cannot be read` };
    }
    return max.n === 0 ? { problem: `spec.maxUnavailable=${JSON.stringify(maxUnavailable)} blocks every voluntary disruption (node drains hang)` } : {};
  }
  if (minAvailable === undefined) {
    return { problem: 'sets neither minAvailable nor maxUnavailable, so it protects nothing' };
  }
  if (!min) {
    return { unknown: `spec.minAvailable=${JSON.stringify(minAvailable)} cannot be read` };
  }
  if (min.n === 0) {
    return { problem: `spec.minAvailable=${JSON.stringify(minAvailable)} protects nothing` };
  }
  if (min.percent) {
    return min.n >= 100 ? { problem: `spec.minAvailable=${JSON.stringify(minAvailable)} blocks every voluntary disruption` } : {};
  }
  if (replicas === undefined) {
    return { unknown: `spec.minAvailable=${min.n} against a replica count the output does not show` };
  }
  return min.n >= replicas ? { problem: `spec.minAvailable=${min.n} >= ${replicas} replicas blocks every voluntary disruption` } : {};
}

/**
 * AVL-2, the verdict rule of src/compliance/verdict-rules.ts: "Exactly one PodDisruptionBudget of the namespace selects the
 * pod labels (matchLabels and matchExpressions), allowing at least one voluntary disruption without blocking all.
 * maxUnavailable 0 or "0%", minAvailable >= the replica count (the autoscaler minimum when one targets it) or "100%",
 * minAvailable 0, or neither field: violated. More than one selecting PDB: violated (eviction refuses). None: violated
 * (unverified for pods a custom-resource controller labels and runs). DaemonSet: not-applicable."
 *
 * Budgets are looked up per namespace (and matchLabels bucket) and matched per budget.
 *
 * @internal
 */
export function singleDisruptionBudget(p: PodView, index: K8sObjectIndex, controller?: string): Finding {
  const budgets = index.podDisruptionBudgetsSelecting(p.namespace ?? '', p.templateLabels);
  const named = (pdb: Manifest) => `PodDisruptionBudget ${pdb.metadata?.name}`;
  if (budgets.length === 0) {
    const why = `${p.kind} ${p.name}: no PodDisruptionBudget of namespace ${p.namespace ?? '(unset)'} selects its pods`;
    return controller !== undefined
      ? finding('AVL-2', ControlStatus.UNVERIFIED, `${why}; the ${controller} controller may label the pods it creates beyond the template`)
      : finding('AVL-2', ControlStatus.VIOLATED, why);
  }
  if (budgets.length > 1) {
    return finding('AVL-2', ControlStatus.VIOLATED, `${budgets.map(named).join(', ')} all select the pods of ${p.kind} ${p.name}; the eviction API refuses to evict pods with more than one budget`);
  }
  const pdb = budgets[0];
  const replicas = controller === undefined && isReplicated(p) ? replicaCount(p, index).value : undefined;
  const found = pdbProblem(pdb, replicas);
  const evidence = `${named(pdb)} selects ${p.kind} ${p.name} with ${JSON.stringify({ maxUnavailable: pdb.spec?.maxUnavailable, minAvailable: pdb.spec?.minAvailable })}`;
  return verdict('AVL-2', [evidence], found.problem ? [`${named(pdb)} ${found.problem}`] : [], found.unknown ? [`${named(pdb)} ${found.unknown}`] : []);
}

/** True when a scheduling term's labelSelector selects the workload's own pods. */
const selectsOwnPods = (term: any, p: PodView) => selects(term?.labelSelector, p.templateLabels);

/**
 * AVL-3, the verdict rule of src/compliance/verdict-rules.ts: "topologySpreadConstraints on topology.kubernetes.io/zone and on
 * kubernetes.io/hostname plus a podAntiAffinity term (required or preferred) on the hostname or zone, each with a
 * labelSelector that selects the workload's own pod labels (a selector that misses them spreads nothing); otherwise violated.
 * DaemonSet: not-applicable."
 *
 * @internal
 */
export function zoneAndNodeSpread(p: PodView): Finding {
  const constraints: any[] = Array.isArray(p.spec.topologySpreadConstraints) ? p.spec.topologySpreadConstraints : [];
  const spreadOn = (key: string) => constraints.some((t) => t?.topologyKey === key && selectsOwnPods(t, p));
  const anti = p.spec.affinity?.podAntiAffinity ?? {};
  const antiTerms = [...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w: any) => w?.podAffinityTerm)];
  const antiOk = antiTerms.some((t) => ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].includes(t?.topologyKey) && selectsOwnPods(t, p));
  const bad: string[] = [];
  for (const key of ['topology.kubernetes.io/zone', 'kubernetes.io/hostname']) {
    if (!spreadOn(key)) {
      bad.push(p.ev(`${p.specPath}.topologySpreadConstraints`, `none on ${key} whose labelSelector selects the pod labels ${JSON.stringify(p.templateLabels)}`));
    }
  }
  if (!antiOk) {
    bad.push(p.ev(`${p.specPath}.affinity.podAntiAffinity`, 'no term on kubernetes.io/hostname or the zone whose labelSelector selects the pod labels'));
  }
  return verdict('AVL-3', [p.ev(`${p.specPath}.topologySpreadConstraints[*].topologyKey`, constraints.map((t) => t?.topologyKey)),
    p.ev(`${p.specPath}.affinity.podAntiAffinity`, 'selects the own pods')], bad);
}

/**
 * AVL-4, the verdict rule of src/compliance/verdict-rules.ts: "Deployment: RollingUpdate with maxUnavailable 0 (or "0%") and
 * maxSurge > 0, and a progressDeadlineSeconds (API default 600). Kubernetes has no automatic rollback: enforced means a
 * zero-downtime rollout in which a failing ReplicaSet stalls, the deadline marks it failed and the old ReplicaSet keeps
 * serving. Recreate, StatefulSet, ReplicaSet, ReplicationController, bare Pod: violated; a DaemonSet needs the same
 * rollingUpdate values; controller-run rollouts (Argo Rollout, CRDs): unverified."
 *
 * @internal
 */
export function zeroDowntimeRollout(p: PodView, controller?: string): Finding {
  const spec = p.obj.spec ?? {};
  if (controller !== undefined || (p.kind === 'Rollout' && apiGroup(p.obj.apiVersion) === 'argoproj.io')) {
    return finding('AVL-4', ControlStatus.UNVERIFIED, `${p.kind} ${p.name}: the rollout is run by the ${controller ?? 'Argo Rollouts'} controller; the checker does not read its strategy`);
  }
  const strategyField = p.kind === 'Deployment' ? 'strategy' : p.kind === 'DaemonSet' ? 'updateStrategy' : undefined;
  if (strategyField === undefined) {
    return finding('AVL-4', ControlStatus.VIOLATED, `${p.kind} ${p.name}: no zero-downtime rollout (a ${p.kind} cannot surge a new pod before stopping an old one)`);
  }
  const strategy = spec[strategyField] ?? {};
  const type = strategy.type ?? 'RollingUpdate';
  const defaults = p.kind === 'Deployment' ? { maxUnavailable: '25%', maxSurge: '25%' } : { maxUnavailable: 1, maxSurge: 0 };
  const maxUnavailable = strategy.rollingUpdate?.maxUnavailable ?? defaults.maxUnavailable;
  const maxSurge = strategy.rollingUpdate?.maxSurge ?? defaults.maxSurge;
  const bad: string[] = [];
  const unknown: string[] = [];
  if (type !== 'RollingUpdate') {
    bad.push(p.ev(`spec.${strategyField}.type`, type));
  } else {
    const unavailable = intOrPercent(maxUnavailable);
    const surge = intOrPercent(maxSurge);
    if (!unavailable || !surge) {
      unknown.push(p.ev(`spec.${strategyField}.rollingUpdate`, { maxUnavailable, maxSurge }));
    } else if (unavailable.n !== 0 || surge.n === 0) {
      bad.push(p.ev(`spec.${strategyField}.rollingUpdate`, { maxUnavailable, maxSurge }) + ' (needs maxUnavailable 0 and maxSurge > 0)');
    }
  }
  const good = [p.ev(`spec.${strategyField}`, { type, maxUnavailable, maxSurge })];
  if (p.kind === 'Deployment') {
    const deadline = spec.progressDeadlineSeconds ?? 600;
    if (!(typeof deadline === 'number' && Number.isInteger(deadline) && deadline > 0)) {
      unknown.push(p.ev('spec.progressDeadlineSeconds', deadline));
    }
    good.push(p.ev('spec.progressDeadlineSeconds', deadline) + ' (a stalled rollout is marked failed; the old ReplicaSet keeps serving)');
  }
  return verdict('AVL-4', good, bad, unknown);
}

/** AVL-1..4 for a DaemonSet: redundancy, budgets and placement follow the node pool, so only the rollout is checked. */
function daemonSetAvailability(p: PodView): Finding[] {
  const na = (id: string, why: string) => finding(id, ControlStatus.NOT_APPLICABLE, `DaemonSet ${p.name}: ${why}`);
  return [
    na('AVL-1', 'runs one pod per eligible node; the node pool, not a replica count, sets its redundancy'),
    na('AVL-2', 'node drains skip DaemonSet pods (kubectl drain --ignore-daemonsets), so a PodDisruptionBudget does not protect them'),
    na('AVL-3', 'places one pod on every eligible node, so zone and node spread follow the node pool'),
    zeroDowntimeRollout(p),
  ];
}

/**
 * AVL-1..4 of a long-running workload, evaluated with every object of the app (`index`).
 *
 * @param controller the custom-resource kind whose controller manages the pods' replicas and rollout, if any
 * @internal
 */
export function availabilityChecks(p: PodView, index: K8sObjectIndex, controller?: string): Finding[] {
  if (p.kind === 'DaemonSet' && controller === undefined) {
    return daemonSetAvailability(p);
  }
  return [replicasAtLeastTwo(p, index, controller), singleDisruptionBudget(p, index, controller), zeroDowntimeRollout(p, controller)]
    .concat(zoneAndNodeSpread(p))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}
