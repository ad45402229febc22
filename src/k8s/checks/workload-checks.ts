import { availabilityChecks } from './availability-rules';
import { DEFAULT_EVIDENCE_HARVEST_SECONDS, jobChecks } from './job-rules';
import { loggingChecks } from './logging-rules';
import { Manifest, PodOwner, PodView } from './manifest';
import { modelArtifactVerified } from './model-artifact-rules';
import { networkDefaultDeny } from './network-isolation-rules';
import { K8sObjectIndex } from './object-index';
import { imageChecks, metadataChecks, ociProvenanceCheck, probeCheck, resourceCheck, securityChecks } from './pod-checks';
import { ControlScope } from '../../compliance/control';
import { Finding, applyWaivers } from '../../compliance/finding';
import { ControlResult, ControlStatus } from '../../compliance/report-model';
import { Waiver } from '../../core/waiver';

export { availabilityChecks } from './availability-rules';
export { jobChecks } from './job-rules';
export { networkDefaultDeny as networkCheck } from './network-isolation-rules';

/**
 * How a workload is evaluated beyond its own manifest.
 *
 * @internal
 */
export interface WorkloadEvaluation {
  /** Every object of the app (or of all CLI inputs), indexed once per evaluation. */
  readonly index: K8sObjectIndex;
  /** Which controls apply: service or job. */
  readonly scope: ControlScope;
  /** Waivers to apply. */
  readonly waivers: Waiver[];
  /** Where the waivers were read. */
  readonly waiverSource?: string;
  /** JOB-3's evidence-harvest window in seconds. @default DEFAULT_EVIDENCE_HARVEST_SECONDS */
  readonly harvestSeconds?: number;
  /** The custom-resource kind whose controller manages replicas, rollout and job fields of this pod spec, if any. */
  readonly controller?: string;
  /** The object whose kind and labels decide the workload profile, when it is not `obj` itself (a Job built from a template). */
  readonly owner?: PodOwner;
  /** Who renders the pods' NetworkPolicies at runtime (an operator such as KubeRay's network isolation), if anyone. */
  readonly networkPoliciesBy?: string;
}

/**
 * Evaluates a rendered workload with a pod template against every control of the catalogue that applies to its scope, with
 * every object of the app that selects or targets it (`index`), then applies waivers: a failing control covered by a waiver
 * becomes `waived`.
 *
 * @internal
 */
export function evaluateWorkload(obj: Manifest, evaluation: WorkloadEvaluation): ControlResult[] {
  const p = new PodView(obj, evaluation.owner);
  const { index, scope, controller } = evaluation;
  const findings: Finding[] = [
    ...imageChecks(p), ociProvenanceCheck(p), modelArtifactVerified(p), ...metadataChecks(p), ...securityChecks(p, index),
    networkDefaultDeny(p, index, evaluation.networkPoliciesBy), resourceCheck(p),
    ...loggingChecks(p, scope, index),
  ];
  if (scope === ControlScope.SERVICE) {
    findings.push(...availabilityChecks(p, index, controller), probeCheck(p));
  } else {
    findings.push(...jobChecks(p, evaluation.harvestSeconds ?? DEFAULT_EVIDENCE_HARVEST_SECONDS, controller));
    findings.push({ id: 'PRB-1', status: ControlStatus.NOT_APPLICABLE, evidence: ['run-to-completion jobs are bounded by JOB-2 instead of HTTP probes'] });
  }
  return applyWaivers(findings, evaluation.waivers, evaluation.waiverSource);
}

/**
 * The former entry point, kept for callers that pass a plain object list: indexes `all` (once per call) and evaluates.
 *
 * @internal
 */
export function evaluateK8sWorkload(obj: Manifest, all: Manifest[] | K8sObjectIndex, scope: ControlScope, waivers: Waiver[],
  harvestSeconds = DEFAULT_EVIDENCE_HARVEST_SECONDS, waiverSource?: string): ControlResult[] {
  const index = all instanceof K8sObjectIndex ? all : K8sObjectIndex.of(all);
  return evaluateWorkload(obj, { index, scope, waivers, waiverSource, harvestSeconds });
}
