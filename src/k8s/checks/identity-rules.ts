/* eslint-disable @typescript-eslint/no-explicit-any */
// SEC-1, SEC-8 and SEC-9: who the pod's processes run as, which identity (service-account token) they carry, and that no
// credential sits in plaintext in their environment.
import { PodView } from './manifest';
import { K8sObjectIndex, namespaceOf } from './object-index';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { WorkloadDefaults } from '../../core/defaults';
import { plaintextSecretProblem } from '../../core/secret-detection';

const MIN_ID = WorkloadDefaults.MIN_USER_ID;

function isHighId(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_ID;
}

/**
 * SEC-1. Rule: "Every container (init, regular and ephemeral) runs with `runAsNonRoot: true` and a `runAsUser` and
 * `runAsGroup` of at least 10000, each read from the container's securityContext, else from the pod's: enforced. A missing
 * field, a lower ID or `runAsNonRoot` not true: violated. A pod-level `runAsUser: 0`, `runAsGroup: 0` or `fsGroup: 0` is a
 * violation even where every container overrides it (a container added later, or an ephemeral debug container, inherits it)."
 *
 * @internal
 */
export function runsAsNonRootWithHighIds(p: PodView): Finding {
  const podContext = p.spec.securityContext ?? {};
  const good: string[] = []; const bad: string[] = [];
  for (const field of ['runAsUser', 'runAsGroup', 'fsGroup']) {
    if (podContext[field] === 0) {
      bad.push(`${p.ev(`${p.specPath}.securityContext.${field}`, 0)} (root at the pod level, inherited by any container that does not override it)`);
    }
  }
  for (const { c, path } of p.containers) {
    const own = c.securityContext ?? {};
    const effective = (field: string) => (own[field] !== undefined
      ? { at: `${path}.securityContext.${field}`, value: own[field] }
      : { at: `${p.specPath}.securityContext.${field}`, value: podContext[field] });
    const nonRoot = effective('runAsNonRoot');
    const user = effective('runAsUser');
    const group = effective('runAsGroup');
    const evidence = [nonRoot, user, group].map(({ at, value }) => p.field(at, value)).join(', ');
    const ok = nonRoot.value === true && isHighId(user.value) && isHighId(group.value);
    (ok ? good : bad).push(ok ? evidence : `${evidence} (needs runAsNonRoot=true and runAsUser, runAsGroup >= ${MIN_ID})`);
  }
  return verdict('SEC-1', good, bad);
}

/**
 * SEC-8. Rule: "The pod names a dedicated ServiceAccount (`serviceAccountName` set and not `default`) and does not mount its
 * API token: `automountServiceAccountToken: false` on the pod is enforced; left unset on the pod, it is enforced when that
 * ServiceAccount is among the evaluated objects with `automountServiceAccountToken: false` (the API server honours it), and
 * violated when the ServiceAccount is not in the output or does not set it to false (the default mounts the token).
 * `automountServiceAccountToken: true` on the pod, or a missing or `default` ServiceAccount: violated. A KServe serving
 * runtime (ServingRuntime, ClusterServingRuntime) that does not meet this: unverified (the InferenceService that uses it sets
 * the pod's ServiceAccount)."
 *
 * @internal
 */
export function serviceAccountTokenNotMounted(p: PodView, index: K8sObjectIndex): Finding {
  const finding = serviceAccountTokenOfPod(p, index);
  if (finding.status === ControlStatus.VIOLATED && SERVING_RUNTIME_KINDS.includes(p.ownerKind)) {
    return {
      id: 'SEC-8',
      status: ControlStatus.UNVERIFIED,
      evidence: [...finding.evidence.map((e) => `${e} (in the runtime template)`),
        `${p.ownerKind} ${p.name}: the InferenceService that uses this runtime sets the pod's serviceAccountName; it is not part of this object`],
    };
  }
  return finding;
}

/** The kinds whose pod spec KServe merges with the InferenceService's. */
const SERVING_RUNTIME_KINDS = ['ServingRuntime', 'ClusterServingRuntime'];

function serviceAccountTokenOfPod(p: PodView, index: K8sObjectIndex): Finding {
  const accountName = p.spec.serviceAccountName ?? p.spec.serviceAccount;
  const accountEvidence = p.field(`${p.specPath}.serviceAccountName`, accountName);
  const automount = p.spec.automountServiceAccountToken;
  const automountEvidence = p.field(`${p.specPath}.automountServiceAccountToken`, automount);
  const bad: string[] = [];
  if (typeof accountName !== 'string' || accountName.length === 0 || accountName === 'default') {
    bad.push(`${accountEvidence} (the namespace's default ServiceAccount is shared by every pod that names none)`);
  }
  if (automount === false) {
    return verdict('SEC-8', [automountEvidence, accountEvidence], bad);
  }
  if (automount !== undefined) {
    return verdict('SEC-8', [], [...bad, `${automountEvidence} (the API token is mounted into every container)`]);
  }
  const account = accountName === undefined ? undefined : index.serviceAccount(namespaceOf(p.obj), accountName);
  if (!account) {
    return verdict('SEC-8', [], [...bad, `${automountEvidence} and ServiceAccount ${accountName ?? 'default'} is not in the evaluated objects `
      + '(the default mounts the API token)']);
  }
  const accountAutomount = account.automountServiceAccountToken;
  const accountFieldEvidence = accountAutomount === undefined
    ? `ServiceAccount ${accountName} automountServiceAccountToken=not set`
    : `ServiceAccount ${accountName} automountServiceAccountToken=${JSON.stringify(accountAutomount)}`;
  if (accountAutomount === false) {
    return verdict('SEC-8', [automountEvidence, accountFieldEvidence], bad);
  }
  return { id: 'SEC-8', status: ControlStatus.VIOLATED, evidence: [...bad, `${automountEvidence} and ${accountFieldEvidence} (the API token is mounted)`] };
}

/**
 * SEC-9. Rule: "No literal `env[*].value` of any container (init, regular or ephemeral) carries a plaintext secret: its
 * name does not denote a secret value (PASSWORD, SECRET, TOKEN as a word, API_KEY, PRIVATE_KEY, CREDENTIALS; not `*_NAME`,
 * `*_PATH`, `*_FILE`, `*_ARN`, `MAX_*_TOKENS`, `TOKENIZER_*`) and its value does not look like a credential (a URL with
 * user:password@, `password=`, an AWS access key id, a PEM block, a known token format): enforced. `valueFrom.secretKeyRef`
 * and empty values carry none. Otherwise violated, naming the variable (never printing its value)."
 *
 * @internal
 */
export function noPlaintextSecretsInEnv(p: PodView): Finding {
  const bad: string[] = [];
  let literals = 0; let secretRefs = 0;
  for (const { c, path } of p.containers) {
    (Array.isArray(c.env) ? c.env : []).forEach((variable: any, i: number) => {
      if (variable?.valueFrom?.secretKeyRef) {
        secretRefs++;
        return;
      }
      if (typeof variable?.value !== 'string') {
        return;
      }
      literals++;
      const problem = plaintextSecretProblem(String(variable.name ?? ''), variable.value);
      if (problem) {
        bad.push(`${p.ev(`${path}.env[${i}].name`, variable.name)} (${problem})`);
      }
    });
  }
  return verdict('SEC-9', [`${p.kind} ${p.name}: ${literals} literal env value(s), none a secret; ${secretRefs} secretKeyRef reference(s)`], bad);
}
