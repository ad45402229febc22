/* eslint-disable @typescript-eslint/no-explicit-any */
import { PodView } from './manifest';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';

/**
 * The evidence-harvest window a foreign Job is held to (JOB-3): the documented default of `CompliantTrainingJob`'s
 * `evidenceHarvestWindow` (`Duration.days(1)`, src/k8s/training-job-props.ts).
 *
 * @internal
 */
export const DEFAULT_EVIDENCE_HARVEST_SECONDS = 86400;

/** The largest backoffLimit JOB-1 accepts: the API default (6 retries, back-off capped at six minutes). @internal */
export const MAX_BACKOFF_LIMIT = 6;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Where the Job fields of a Job or CronJob sit. */
function jobFields(p: PodView): { job: any; prefix: string } {
  return p.kind === 'CronJob'
    ? { job: p.obj.spec?.jobTemplate?.spec ?? {}, prefix: 'spec.jobTemplate.spec' }
    : { job: p.obj.spec ?? {}, prefix: 'spec' };
}

/**
 * JOB-1, the verdict rule of src/compliance/verdict-rules.ts: "backoffLimit an integer 0..6 (unset: the API default 6) and the
 * pod template's restartPolicy Never; OnFailure is violated (it restarts in place, losing the failed pod, and podFailurePolicy
 * needs Never). A podFailurePolicy is recommended, not required: its actions are named in the evidence. Jobs run by a
 * custom-resource controller (Argo, Kubeflow, KubeRay): unverified."
 *
 * @internal
 */
export function boundedRetries(p: PodView): Finding {
  const { job, prefix } = jobFields(p);
  const backoff = job.backoffLimit ?? MAX_BACKOFF_LIMIT;
  const restart = p.spec.restartPolicy;
  const bad: string[] = [];
  const unknown: string[] = [];
  if (!isInt(backoff)) {
    unknown.push(p.ev(`${prefix}.backoffLimit`, backoff));
  } else if (backoff < 0 || backoff > MAX_BACKOFF_LIMIT) {
    bad.push(p.ev(`${prefix}.backoffLimit`, backoff) + ` (outside 0..${MAX_BACKOFF_LIMIT})`);
  }
  if (restart !== 'Never') {
    bad.push(p.ev(`${p.specPath}.restartPolicy`, restart ?? null) + ' (needs Never: OnFailure restarts in place and loses the failed pod)');
  }
  const rules = job.podFailurePolicy?.rules;
  return verdict('JOB-1', [p.ev(`${prefix}.backoffLimit`, backoff), p.ev(`${p.specPath}.restartPolicy`, restart),
    Array.isArray(rules) && rules.length > 0
      ? p.ev(`${prefix}.podFailurePolicy.rules[*].action`, rules.map((r: any) => r?.action))
      : p.ev(`${prefix}.podFailurePolicy`, 'none (recommended: FailJob on non-retriable exit codes)')], bad, unknown);
}

/**
 * JOB-2, the verdict rule of src/compliance/verdict-rules.ts: "activeDeadlineSeconds an integer > 0 on the Job (a CronJob's on
 * its jobTemplate); unset or 0 is violated; a value the output cannot read, or a job run by a custom-resource controller, is
 * unverified."
 *
 * @internal
 */
export function runDeadline(p: PodView): Finding {
  const { job, prefix } = jobFields(p);
  const deadline = job.activeDeadlineSeconds;
  if (deadline !== undefined && !isInt(deadline)) {
    return { id: 'JOB-2', status: ControlStatus.UNVERIFIED, evidence: [p.ev(`${prefix}.activeDeadlineSeconds`, deadline)] };
  }
  return verdict('JOB-2', [p.ev(`${prefix}.activeDeadlineSeconds`, deadline)], isInt(deadline) && deadline > 0 ? [] : [p.ev(`${prefix}.activeDeadlineSeconds`, deadline ?? null)]);
}

/**
 * JOB-3, the verdict rule of src/compliance/verdict-rules.ts: "ttlSecondsAfterFinished >= the evidence-harvest window (ours:
 * evidenceHarvestWindow; foreign Jobs: its default 86400 s); 0 or shorter deletes the evidence: violated. Unset: the TTL
 * controller never deletes the Job: enforced, stated in the evidence. A CronJob history limit of 0 deletes finished Jobs:
 * violated. Custom-resource jobs: unverified."
 *
 * @internal
 */
export function ttlCoversHarvest(p: PodView, harvestSeconds: number): Finding {
  const { job, prefix } = jobFields(p);
  const ttl = job.ttlSecondsAfterFinished;
  const bad: string[] = [];
  if (ttl !== undefined && !isInt(ttl)) {
    return { id: 'JOB-3', status: ControlStatus.UNVERIFIED, evidence: [p.ev(`${prefix}.ttlSecondsAfterFinished`, ttl)] };
  }
  if (isInt(ttl) && ttl < harvestSeconds) {
    bad.push(p.ev(`${prefix}.ttlSecondsAfterFinished`, ttl) + ` (< the evidence-harvest window ${harvestSeconds}s: the Job and its pods are deleted before the evidence is collected)`);
  }
  if (p.kind === 'CronJob') {
    for (const field of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
      if (p.obj.spec?.[field] === 0) {
        bad.push(p.ev(`spec.${field}`, 0) + ' (finished Jobs are deleted at once)');
      }
    }
  }
  return verdict('JOB-3', [ttl === undefined
    ? p.ev(`${prefix}.ttlSecondsAfterFinished`, 'unset (the Job is kept until deleted by hand)')
    : p.ev(`${prefix}.ttlSecondsAfterFinished`, ttl) + ` (>= ${harvestSeconds}s)`], bad);
}

/**
 * JOB-1..3 of a run-to-completion workload.
 *
 * @param controller the custom-resource kind whose controller runs the pods (its retry, deadline and TTL fields are not read)
 * @internal
 */
export function jobChecks(p: PodView, harvestSeconds: number, controller?: string): Finding[] {
  if (controller !== undefined) {
    const why = (what: string) => `${p.kind} ${p.name}: ${what} of the pods are applied by the ${controller} controller; the checker does not read its fields`;
    return [
      { id: 'JOB-1', status: ControlStatus.UNVERIFIED, evidence: [why('retries and restart policy')] },
      { id: 'JOB-2', status: ControlStatus.UNVERIFIED, evidence: [why('the run deadline')] },
      { id: 'JOB-3', status: ControlStatus.UNVERIFIED, evidence: [why('the deletion after completion')] },
    ];
  }
  return [boundedRetries(p), runDeadline(p), ttlCoversHarvest(p, harvestSeconds)];
}
