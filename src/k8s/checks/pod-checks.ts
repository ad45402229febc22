// The pod-level controls of a workload, grouped as workload-checks.ts calls them. Each rule lives in the file named for
// what it checks and quotes its verdict rule (src/compliance/verdict-rules.ts):
// image-rules.ts (IMG-1..3), provenance-rules.ts (IMG-4, META-1, META-2), identity-rules.ts (SEC-1, SEC-8, SEC-9),
// isolation-rules.ts (SEC-2..7), resource-rules.ts (RES-1), probe-rules.ts (PRB-1).
import { noPlaintextSecretsInEnv, runsAsNonRootWithHighIds, serviceAccountTokenNotMounted } from './identity-rules';
import { imagesNotLatest, imagesPinnedByDigest, pullPolicyAlways } from './image-rules';
import { capabilitiesDropAll, hostIsolated, notPrivileged, privilegeEscalationDisabled, rootFilesystemReadOnly, seccompConfined } from './isolation-rules';
import { PodView } from './manifest';
import { K8sObjectIndex } from './object-index';
import { probesGuardServing } from './probe-rules';
import { modelProvenanceRecorded, ociProvenanceMirrored, recommendedLabelsPresent } from './provenance-rules';
import { resourcesBounded } from './resource-rules';
import { Finding, unverified } from '../../compliance/finding';

/**
 * Runs one rule; a rule that throws on an unexpected shape of the output is a finding (`unverified`, with the reason), not a
 * crash. A pod template without any container proves no per-container control.
 */
function judged(id: string, p: PodView, rule: () => Finding, perContainer = true): Finding {
  if (perContainer && p.containers.filter((x) => !x.init && !x.ephemeral).length === 0) {
    return unverified(id, `${p.kind} ${p.name} ${p.specPath}.containers=[] (no container to judge)`);
  }
  try {
    return rule();
  } catch (error) {
    return unverified(id, `${p.kind} ${p.name}: the ${id} rule could not read the output (${(error as Error).message})`);
  }
}

/** IMG-1, IMG-2, IMG-3 on every container. @internal */
export function imageChecks(p: PodView): Finding[] {
  return [
    judged('IMG-1', p, () => imagesPinnedByDigest(p)),
    judged('IMG-2', p, () => imagesNotLatest(p)),
    judged('IMG-3', p, () => pullPolicyAlways(p)),
  ];
}

/** IMG-4: the OCI image keys mirrored into the workload's annotations. @internal */
export function ociProvenanceCheck(p: PodView): Finding {
  return judged('IMG-4', p, () => ociProvenanceMirrored(p), false);
}

/** META-1 recommended labels and META-2 model provenance. @internal */
export function metadataChecks(p: PodView): Finding[] {
  return [judged('META-1', p, () => recommendedLabelsPresent(p), false), judged('META-2', p, () => modelProvenanceRecorded(p), false)];
}

/**
 * SEC-1 .. SEC-9 on every container (init, regular, ephemeral).
 *
 * @param index the evaluated objects: SEC-8 reads the ServiceAccount the pod names from it
 * @internal
 */
export function securityChecks(p: PodView, index: K8sObjectIndex): Finding[] {
  return [
    judged('SEC-1', p, () => runsAsNonRootWithHighIds(p)),
    judged('SEC-2', p, () => privilegeEscalationDisabled(p)),
    judged('SEC-3', p, () => capabilitiesDropAll(p)),
    judged('SEC-4', p, () => seccompConfined(p)),
    judged('SEC-5', p, () => rootFilesystemReadOnly(p)),
    judged('SEC-6', p, () => notPrivileged(p)),
    judged('SEC-7', p, () => hostIsolated(p), false),
    judged('SEC-8', p, () => serviceAccountTokenNotMounted(p, index), false),
    judged('SEC-9', p, () => noPlaintextSecretsInEnv(p)),
  ];
}

/** RES-1: requests and limits on every container. @internal */
export function resourceCheck(p: PodView): Finding {
  return judged('RES-1', p, () => resourcesBounded(p));
}

/** PRB-1 for services: liveness and readiness, plus the startup budget and OIP paths for model servers. @internal */
export function probeCheck(p: PodView): Finding {
  return judged('PRB-1', p, () => probesGuardServing(p));
}
