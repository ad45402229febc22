/* eslint-disable @typescript-eslint/no-explicit-any */
import { loggingChecks } from './logging-rules';
import { Manifest, PodView, selects } from './manifest';
import { imageChecks, metadataChecks, ociProvenanceCheck, probeCheck, resourceCheck, securityChecks } from './pod-checks';
import { ControlScope } from '../../compliance/control';
import { Finding, applyWaivers, verdict } from '../../compliance/finding';
import { ControlResult, ControlStatus } from '../../compliance/report-model';
import { Waiver } from '../../core/waiver';

/** AVL-1..4 for a DaemonSet: redundancy and placement follow the node pool, so only the rollout is checked. */
function daemonSetAvailability(p: PodView): Finding[] {
  const na = (id: string, why: string): Finding => ({ id, status: ControlStatus.NOT_APPLICABLE, evidence: [`DaemonSet ${p.name}: ${why}`] });
  const u = p.obj.spec?.updateStrategy ?? {};
  const ok = (u.type ?? 'RollingUpdate') === 'RollingUpdate' && (u.rollingUpdate?.maxUnavailable === 0 || u.rollingUpdate?.maxUnavailable === '0%');
  return [
    na('AVL-1', 'runs one pod per eligible node; the node pool, not a replica count, sets its redundancy'),
    na('AVL-2', 'node drains skip DaemonSet pods (kubectl drain --ignore-daemonsets), so a PodDisruptionBudget does not protect them'),
    na('AVL-3', 'places one pod on every eligible node, so zone and node spread follow the node pool'),
    verdict('AVL-4', [p.ev('spec.updateStrategy', u)], ok ? [] : [p.ev('spec.updateStrategy', u)]),
  ];
}

/** AVL-1..4 for Deployments, StatefulSets, ReplicaSets, DaemonSets and long-running bare Pods. @internal */
export function availabilityChecks(p: PodView, all: Manifest[]): Finding[] {
  if (p.kind === 'DaemonSet') {
    return daemonSetAvailability(p);
  }
  const spec = p.obj.spec ?? {};
  const sameNs = (o: Manifest) => (o.metadata?.namespace ?? undefined) === p.namespace;
  const hpa = all.find((o) => o.kind === 'HorizontalPodAutoscaler' && sameNs(o)
    && o.spec?.scaleTargetRef?.kind === p.kind && o.spec?.scaleTargetRef?.name === p.name);
  const out: Finding[] = [];
  if (hpa && spec.replicas === undefined) {
    const min = hpa.spec.minReplicas ?? 1;
    out.push(verdict('AVL-1', [`HorizontalPodAutoscaler ${hpa.metadata.name} spec.minReplicas=${min}`], min >= 2 ? [] : [`HorizontalPodAutoscaler ${hpa.metadata.name} spec.minReplicas=${min}`]));
  } else if (p.kind === 'Pod') {
    out.push({ id: 'AVL-1', status: ControlStatus.VIOLATED, evidence: [`Pod ${p.name}: a bare Pod has no controller, so it is a single replica that nothing recreates`] });
  } else {
    const replicas = spec.replicas ?? 1;
    out.push(verdict('AVL-1', [p.ev('spec.replicas', replicas)], replicas >= 2 ? [] : [p.ev('spec.replicas', replicas)]));
  }
  const pdb = all.find((o) => o.kind === 'PodDisruptionBudget' && sameNs(o) && selects(o.spec?.selector, p.templateLabels));
  const pdbOk = pdb && (pdb.spec.maxUnavailable === undefined || pdb.spec.maxUnavailable !== 0);
  out.push(pdb
    ? verdict('AVL-2', [`PodDisruptionBudget ${pdb.metadata.name} spec.maxUnavailable=${JSON.stringify(pdb.spec.maxUnavailable ?? null)}`],
      pdbOk ? [] : [`PodDisruptionBudget ${pdb.metadata.name} spec.maxUnavailable=0 blocks every voluntary disruption`])
    : { id: 'AVL-2', status: ControlStatus.VIOLATED, evidence: [`${p.kind} ${p.name}: no PodDisruptionBudget selects its pods`] });
  const tsc = (p.spec.topologySpreadConstraints ?? []).map((t: any) => t.topologyKey);
  const anti = p.spec.affinity?.podAntiAffinity;
  const spreadOk = tsc.includes('topology.kubernetes.io/zone') && tsc.includes('kubernetes.io/hostname') && anti !== undefined;
  out.push(verdict('AVL-3', [p.ev(`${p.specPath}.topologySpreadConstraints[*].topologyKey`, tsc), p.ev(`${p.specPath}.affinity.podAntiAffinity`, 'set')],
    spreadOk ? [] : [p.ev(`${p.specPath}.{topologySpreadConstraints,affinity.podAntiAffinity}`, { topologyKeys: tsc, podAntiAffinity: anti !== undefined })]));
  if (p.kind === 'Deployment') {
    const s = spec.strategy ?? {};
    const ok = (s.type ?? 'RollingUpdate') === 'RollingUpdate' && (s.rollingUpdate?.maxUnavailable === 0 || s.rollingUpdate?.maxUnavailable === '0%');
    out.push(verdict('AVL-4', [p.ev('spec.strategy', s), p.ev('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds ?? 600)], ok ? [] : [p.ev('spec.strategy', s)]));
  } else {
    out.push({ id: 'AVL-4', status: ControlStatus.VIOLATED, evidence: [`${p.kind} ${p.name}: no zero-downtime RollingUpdate strategy`] });
  }
  return out;
}

/** NET-1: a NetworkPolicy selects the pods and restricts both directions. @internal */
export function networkCheck(p: PodView, all: Manifest[]): Finding {
  const policies = all.filter((o) => o.kind === 'NetworkPolicy' && (o.metadata?.namespace ?? undefined) === p.namespace
    && selects(o.spec?.podSelector ?? {}, p.templateLabels));
  const types = new Set<string>(policies.flatMap((o) => o.spec?.policyTypes ?? ['Ingress']));
  const ok = types.has('Ingress') && types.has('Egress');
  return verdict('NET-1', policies.map((o) => `NetworkPolicy ${o.metadata.name} spec.policyTypes=${JSON.stringify(o.spec.policyTypes)}`),
    ok ? [] : [`${p.kind} ${p.name}: no NetworkPolicy restricts both ingress and egress of its pods (found ${[...types].join(', ') || 'none'})`]);
}

/** JOB-1..3 for Jobs and CronJobs. @internal */
export function jobChecks(p: PodView, minTtlSeconds: number): Finding[] {
  const job = p.kind === 'CronJob' ? p.obj.spec?.jobTemplate?.spec ?? {} : p.obj.spec ?? {};
  const prefix = p.kind === 'CronJob' ? 'spec.jobTemplate.spec' : 'spec';
  const backoff = job.backoffLimit;
  const retryOk = Number.isInteger(backoff) && backoff <= 6 && p.spec.restartPolicy === 'Never';
  const deadline = job.activeDeadlineSeconds;
  const ttl = job.ttlSecondsAfterFinished;
  return [
    verdict('JOB-1', [p.ev(`${prefix}.backoffLimit`, backoff), p.ev(`${p.specPath}.restartPolicy`, p.spec.restartPolicy),
      p.ev(`${prefix}.podFailurePolicy.rules.length`, job.podFailurePolicy?.rules?.length ?? 0)],
    retryOk ? [] : [p.ev(`${prefix}.backoffLimit,${p.specPath}.restartPolicy`, [backoff ?? null, p.spec.restartPolicy ?? null])]),
    verdict('JOB-2', [p.ev(`${prefix}.activeDeadlineSeconds`, deadline)], Number.isInteger(deadline) && deadline > 0 ? [] : [p.ev(`${prefix}.activeDeadlineSeconds`, deadline ?? null)]),
    verdict('JOB-3', [p.ev(`${prefix}.ttlSecondsAfterFinished`, ttl)], Number.isInteger(ttl) && ttl >= minTtlSeconds ? [] : [p.ev(`${prefix}.ttlSecondsAfterFinished`, ttl ?? null)]),
  ];
}

/**
 * Evaluates a rendered workload with a pod template against every control of the catalogue that applies to its scope,
 * then applies waivers: a failing control covered by a waiver becomes `waived`.
 *
 * @internal
 */
export function evaluateK8sWorkload(obj: Manifest, all: Manifest[], scope: ControlScope, waivers: Waiver[], minJobTtlSeconds = 0,
  waiverSource?: string): ControlResult[] {
  const p = new PodView(obj);
  const findings: Finding[] = [
    ...imageChecks(p), ociProvenanceCheck(p), ...metadataChecks(p), ...securityChecks(p, all), networkCheck(p, all), resourceCheck(p),
    ...loggingChecks(p, scope, all),
  ];
  if (scope === ControlScope.SERVICE) {
    findings.push(...availabilityChecks(p, all), probeCheck(p));
  } else {
    findings.push(...jobChecks(p, minJobTtlSeconds));
    findings.push({ id: 'PRB-1', status: ControlStatus.NOT_APPLICABLE, evidence: ['run-to-completion jobs are bounded by JOB-2 instead of HTTP probes'] });
  }
  return applyWaivers(findings, waivers, waiverSource);
}
