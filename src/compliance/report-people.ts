import { ControlCatalogue } from './catalogue';
import { ControlSeverity } from './control';
import { Backend, ControlResult, ControlStatus, WorkloadReport } from './report-model';
import { compareCodeUnits } from '../core/ordering';

/** Where docs/CONTROLS.md is published; report links point into it. */
export const CONTROLS_DOC_URL = 'https://github.com/cdk-compliant-ml/cdk-compliant-ml/blob/main/docs/CONTROLS.md';

/** Severities from the most to the least severe. */
export const SEVERITY_ORDER = [ControlSeverity.CRITICAL, ControlSeverity.HIGH, ControlSeverity.MEDIUM, ControlSeverity.LOW];

/** The kinds of our own constructs, whose waivers are written in TypeScript. */
const CONSTRUCT_KINDS = new Set(['CompliantModelService', 'CompliantTrainingJob']);

/**
 * The anchor GitHub renders for a heading: lower case, every character but letters, digits, spaces, `-` and `_` dropped,
 * spaces turned into `-`.
 *
 * @internal
 */
export function githubAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

/** The link to a control's entry (`## ID: title`) in docs/CONTROLS.md. @internal */
export function controlDocLink(id: string): string {
  const control = ControlCatalogue.find(id);
  return control ? `${CONTROLS_DOC_URL}#${githubAnchor(`${id}: ${control.title}`)}` : CONTROLS_DOC_URL;
}

/** The rank of a control's severity (0 = critical); controls outside the catalogue sort last. @internal */
export function severityRank(id: string): number {
  const severity = ControlCatalogue.find(id)?.severity;
  return severity === undefined ? SEVERITY_ORDER.length : SEVERITY_ORDER.indexOf(severity);
}

/** Orders (workload, control) pairs by severity, then workload path, then catalogue order. @internal */
export function bySeverity(a: { path: string; id: string }, b: { path: string; id: string }): number {
  return severityRank(a.id) - severityRank(b.id) || compareCodeUnits(a.path, b.path)
    || ControlCatalogue.orderOf(a.id) - ControlCatalogue.orderOf(b.id) || compareCodeUnits(a.id, b.id);
}

/** One entry of the report's `actions`: a control that is external or unverified on one backend, and what to do. @internal */
export interface ReportAction {
  readonly control: string;
  readonly title: string;
  readonly severity: string;
  readonly backend: string;
  readonly status: string;
  readonly action: string;
  readonly link: string;
  readonly workloads: string[];
}

const ACTION_STATUSES = [ControlStatus.UNVERIFIED, ControlStatus.EXTERNAL] as string[];

/**
 * Every control that is `external` or `unverified` for some workload, once per control, backend and status, with the step
 * the catalogue gives for that backend and the workloads concerned. Sorted by severity, status (unverified first), catalogue
 * order, backend.
 *
 * @internal
 */
export function reportActions(workloads: WorkloadReport[]): ReportAction[] {
  const byKey = new Map<string, ReportAction>();
  for (const w of workloads) {
    for (const c of w.controls) {
      if (!ACTION_STATUSES.includes(c.status)) {
        continue;
      }
      const key = `${c.id}\u0000${w.backend}\u0000${c.status}`;
      let entry = byKey.get(key);
      if (!entry) {
        const control = ControlCatalogue.find(c.id);
        const action = control ? (w.backend === Backend.ECS ? control.action.ecs : control.action.kubernetes) : '';
        entry = {
          control: c.id,
          title: control?.title ?? '',
          severity: control?.severity ?? '',
          backend: w.backend,
          status: c.status,
          action: c.status === ControlStatus.UNVERIFIED ? `make the fields named in the evidence literal so that they can be checked, or ${action}` : action,
          link: controlDocLink(c.id),
          workloads: [],
        };
        byKey.set(key, entry);
      }
      entry.workloads.push(w.path);
    }
  }
  return [...byKey.values()].sort((a, b) => severityRank(a.control) - severityRank(b.control)
    || ACTION_STATUSES.indexOf(a.status) - ACTION_STATUSES.indexOf(b.status)
    || ControlCatalogue.orderOf(a.control) - ControlCatalogue.orderOf(b.control)
    || compareCodeUnits(a.control, b.control) || compareCodeUnits(a.backend, b.backend));
}

/**
 * How a waiver for `control` is written for this workload, matching the input it came from: TypeScript for our constructs,
 * the annotation for Kubernetes objects, the template metadata for ECS task definitions (through `addMetadata` in an aws-cdk
 * app), the comment for Dockerfiles. `undefined` when no waiver can be given (a backend without a waiver syntax).
 *
 * @internal
 */
export function waiverHint(workload: Pick<WorkloadReport, 'kind' | 'backend'>, control: string, inApp: boolean): string | undefined {
  if (CONSTRUCT_KINDS.has(workload.kind)) {
    return `add waivers: [{ control: '${control}', reason: '...' }] to the construct's props`;
  }
  const record = `[{"control":"${control}","reason":"..."}]`;
  switch (workload.backend) {
    case Backend.KUBERNETES:
      return `add the annotation compliance.cdk-compliant-ml.io/waivers: '${record}' to the workload's metadata`;
    case Backend.ECS:
      return inApp
        ? `add (taskDefinition.node.defaultChild as CfnResource).addMetadata('cdk-compliant-ml', { waivers: ${record} })`
        : `add Metadata: {"cdk-compliant-ml": {"waivers": ${record}}} to the AWS::ECS::TaskDefinition resource`;
    case Backend.IMAGE:
      return `add the comment # cdk-compliant-ml waive=${control} reason="..." to the Dockerfile`;
    default:
      return undefined;
  }
}

/** The number of control results of each status over all workloads, for a summary line. @internal */
export function resultsLabel(workloadCount: number): string {
  return `control results across ${workloadCount} workload${workloadCount === 1 ? '' : 's'} `
    + `(${ControlCatalogue.controls().length} controls in the catalogue)`;
}

/** Whether a control result needs a person (for tests and callers that filter). @internal */
export function needsAction(c: ControlResult): boolean {
  return ACTION_STATUSES.includes(c.status);
}
