// The verdict rule of every control, per backend: exactly when the checker reports each status. The checkers implement this
// text and their doc comments quote it; docs/CONTROLS.md is generated from it. Statuses: enforced (the output proves the
// rule), equivalent, runtime-managed, external, not-applicable, unverified (the output cannot prove it either way: an
// intrinsic, a token, an object or peer the checker cannot see; enforcement fails on it), violated.
import { ControlVerdictRule } from './control';

/** @internal */
export const VERDICT_RULES: Record<string, ControlVerdictRule> = {
  'IMG-1': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'IMG-2': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'IMG-3': {
    kubernetes: '',
    ecs: '',
  },
  'IMG-4': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'META-1': {
    kubernetes: '',
    ecs: '',
  },
  'META-2': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-1': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'SEC-2': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-3': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-4': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-5': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-6': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-7': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-8': {
    kubernetes: '',
    ecs: '',
  },
  'SEC-9': {
    kubernetes: '',
    ecs: '',
    dockerfile: '',
  },
  'NET-1': {
    kubernetes: 'Every NetworkPolicy of the workload\'s namespace whose podSelector selects its pod labels counts, ours or foreign ({} selects all); their union decides. Enforced when they restrict Ingress (policyTypes default: always) and Egress (default: only when egress rules exist) and no rule admits every peer: no from/to or an empty list, a peer {}, ipBlock 0.0.0.0/0 or ::/0 without except, or namespaceSelector {} without podSelector (ports do not narrow peers). Otherwise violated, naming each selecting policy and open rule.',
    ecs: '',
  },
  'RES-1': {
    kubernetes: '',
    ecs: '',
  },
  'AVL-1': {
    kubernetes: 'At least 2 replicas at runtime: an autoscaler targeting the workload (HPA scaleTargetRef apiVersion/kind/name in its namespace, or a KEDA ScaledObject) overrides spec.replicas, so its minimum decides (minReplicas default 1, minReplicaCount default 0); two autoscalers on one workload are violated. A bare Pod is violated; a DaemonSet is not-applicable (one pod per eligible node); replicas managed by a custom-resource controller, or a value the output cannot read, are unverified.',
    ecs: '',
  },
  'AVL-2': {
    kubernetes: 'Exactly one PodDisruptionBudget of the namespace selects the pod labels (matchLabels and matchExpressions), allowing at least one voluntary disruption without blocking all. maxUnavailable 0 or "0%", minAvailable >= the replica count (the autoscaler minimum when one targets it) or "100%", minAvailable 0, or neither field: violated. More than one selecting PDB: violated (eviction refuses). None: violated (unverified for pods a custom-resource controller labels and runs). DaemonSet: not-applicable.',
    ecs: '',
  },
  'AVL-3': {
    kubernetes: 'topologySpreadConstraints on topology.kubernetes.io/zone and on kubernetes.io/hostname plus a podAntiAffinity term (required or preferred) on the hostname or zone, each with a labelSelector that selects the workload\'s own pod labels (a selector that misses them spreads nothing); otherwise violated. DaemonSet: not-applicable.',
    ecs: '',
  },
  'AVL-4': {
    kubernetes: 'Deployment: RollingUpdate with maxUnavailable 0 (or "0%") and maxSurge > 0, and a progressDeadlineSeconds (API default 600). Kubernetes has no automatic rollback: enforced means a zero-downtime rollout in which a failing ReplicaSet stalls, the deadline marks it failed and the old ReplicaSet keeps serving. Recreate, StatefulSet, ReplicaSet, ReplicationController, bare Pod: violated; a DaemonSet needs the same rollingUpdate values; controller-run rollouts (Argo Rollout, CRDs): unverified.',
    ecs: '',
  },
  'PRB-1': {
    kubernetes: '',
    ecs: '',
  },
  'JOB-1': {
    kubernetes: 'backoffLimit an integer 0..6 (unset: the API default 6) and the pod template\'s restartPolicy Never; OnFailure is violated (it restarts in place, losing the failed pod, and podFailurePolicy needs Never). A podFailurePolicy is recommended, not required: its actions are named in the evidence. Jobs run by a custom-resource controller (Argo, Kubeflow, KubeRay): unverified.',
    ecs: '',
  },
  'JOB-2': {
    kubernetes: 'activeDeadlineSeconds an integer > 0 on the Job (a CronJob\'s on its jobTemplate); unset or 0 is violated; a value the output cannot read, or a job run by a custom-resource controller, is unverified.',
    ecs: '',
  },
  'JOB-3': {
    kubernetes: 'ttlSecondsAfterFinished >= the evidence-harvest window (ours: evidenceHarvestWindow; foreign Jobs: its default 86400 s); 0 or shorter deletes the evidence: violated. Unset: the TTL controller never deletes the Job: enforced, stated in the evidence. A CronJob history limit of 0 deletes finished Jobs: violated. Custom-resource jobs: unverified.',
    ecs: '',
  },
  'LOG-1': {
    kubernetes: '',
    ecs: '',
  },
  'LOG-2': {
    kubernetes: '',
    ecs: '',
  },
  'LOG-3': {
    kubernetes: '',
    ecs: '',
  },
  'LOG-4': {
    kubernetes: '',
    ecs: '',
  },
  'MON-1': {
    kubernetes: '',
    ecs: '',
  },
  'REG-1': {
    kubernetes: '',
    ecs: '',
  },
  'REG-2': {
    kubernetes: '',
    ecs: '',
  },
  'REG-3': {
    kubernetes: 'A signature policy counts when it reaches the Pods of the workload\'s namespace and enforces: Kyverno ClusterPolicy or Policy (own namespace) verifyImages with attestors, match covering Pod or the workload\'s kind (kinds, namespaces, namespaceSelector with the Namespace in the output, selector; exclude/preconditions cannot skip it), Enforce action; sigstore ClusterImagePolicy mode enforce in a Namespace of the output labelled policy.sigstore.dev/include=true. Enforced when such policies cover every image (init and sidecars too); otherwise external with what is missing.',
    ecs: '',
  },
};
