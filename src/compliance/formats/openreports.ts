// The report as Kubernetes policy reports: OpenReports (`openreports.io/v1alpha1` Report and ClusterReport) and Kyverno's
// `wgpolicyk8s.io/v1alpha2` PolicyReport and ClusterPolicyReport, which share the result shape. Always a file of its own, never
// mixed into the manifests users apply.
//
// Layout: one report object per workload, its `scope` the workload object (a report has one scope, so a report per namespace
// could not name its workloads; this is the per-resource layout Kyverno writes and Policy Reporter groups by namespace).
// * a Kubernetes workload whose manifest sets a namespace: a Report (PolicyReport) in that namespace;
// * a Kubernetes workload without `metadata.namespace`: a ClusterReport (ClusterPolicyReport) whose scope has no namespace;
// * an ECS or image (Dockerfile) workload: a ClusterReport without scope; the properties `workload` and `backend` name it.
// One result per control of the workload; `properties.status` keeps the report's own status.
import { stringify } from 'yaml';
import type { ReportFormatInput } from './format-input';
import { dnsLabelFor, kubernetesObjectOf, KubernetesObjectReference, reportEpochSeconds } from './workload-object';
import { ControlCatalogue } from '../catalogue';
import { Backend, ControlResult, ControlStatus, WorkloadReport } from '../report-model';
import { REPORT_GENERATOR, reportGeneratorVersion } from '../report-render';

/** The result values of both CRDs. */
type PolicyResult = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

/**
 * The result of each status:
 * * `pass`: enforced, equivalent, runtime-managed (the output shows the control, or the platform enforces it);
 * * `fail`: violated;
 * * `warn`: unverified (the output cannot prove it either way; `check --enforce` fails on it), so `fail` + `warn` are exactly
 *   the report's `failures()`;
 * * `skip`: external (the output cannot show it; the message names the step outside it), not-applicable, and waived (the
 *   message and `properties.waiverReason` give the reason).
 *
 * @internal
 */
export const POLICY_RESULT_OF_STATUS: Record<ControlStatus, PolicyResult> = {
  [ControlStatus.ENFORCED]: 'pass',
  [ControlStatus.EQUIVALENT]: 'pass',
  [ControlStatus.RUNTIME_MANAGED]: 'pass',
  [ControlStatus.VIOLATED]: 'fail',
  [ControlStatus.UNVERIFIED]: 'warn',
  [ControlStatus.EXTERNAL]: 'skip',
  [ControlStatus.NOT_APPLICABLE]: 'skip',
  [ControlStatus.WAIVED]: 'skip',
};

/** The API group, version and kinds of one flavour. */
interface Flavour {
  readonly apiVersion: string;
  readonly namespacedKind: string;
  readonly clusterKind: string;
  /** OpenReports has a report-level `source`; wgpolicyk8s.io/v1alpha2 has none. */
  readonly reportSource: boolean;
}

const OPENREPORTS: Flavour = { apiVersion: 'openreports.io/v1alpha1', namespacedKind: 'Report', clusterKind: 'ClusterReport', reportSource: true };
const POLICY_REPORT: Flavour = {
  apiVersion: 'wgpolicyk8s.io/v1alpha2', namespacedKind: 'PolicyReport', clusterKind: 'ClusterPolicyReport', reportSource: false,
};

/**
 * The report as OpenReports `openreports.io/v1alpha1` Report and ClusterReport objects, as multi-document YAML.
 *
 * @internal
 */
export function renderOpenReports(input: ReportFormatInput): string {
  return render(input, OPENREPORTS);
}

/**
 * The report as Kyverno's `wgpolicyk8s.io/v1alpha2` PolicyReport and ClusterPolicyReport objects, as multi-document YAML.
 *
 * @internal
 */
export function renderPolicyReport(input: ReportFormatInput): string {
  return render(input, POLICY_REPORT);
}

function render(input: ReportFormatInput, flavour: Flavour): string {
  const canonical = input.report.toJson() as { workloads: WorkloadReport[] };
  const seconds = reportEpochSeconds();
  const header = `# ${flavour.apiVersion} ${flavour.namespacedKind}/${flavour.clusterKind} objects written by ${REPORT_GENERATOR} `
    + `${reportGeneratorVersion()} (${input.origin}), one per workload. Apply them to a cluster that has the CRDs installed, apart `
    + 'from the manifests of the app.\n';
  const documents = canonical.workloads.map((w) => stringify(reportObject(input, w, flavour, seconds), { lineWidth: 0 }));
  return header + documents.map((d) => `---\n${d}`).join('');
}

function reportObject(input: ReportFormatInput, workload: WorkloadReport, flavour: Flavour, seconds: number): Record<string, unknown> {
  const object = kubernetesObjectOf(workload);
  const results = workload.controls.map((c) => resultOf(input, workload, c, seconds));
  const summary: Record<PolicyResult, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  results.forEach((r) => summary[r.result]++);
  const namespaced = object?.namespace !== undefined;
  const readable = object ? `${object.kind}-${object.name}` : `${workload.backend}-${workload.path.split(/[/#]/).pop() ?? ''}`;
  return {
    apiVersion: flavour.apiVersion,
    kind: namespaced ? flavour.namespacedKind : flavour.clusterKind,
    metadata: {
      name: dnsLabelFor(REPORT_GENERATOR, readable, `${workload.path}\n${workload.kind}`),
      ...(namespaced ? { namespace: object!.namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': REPORT_GENERATOR },
      annotations: { 'compliance.cdk-compliant-ml.io/workload': workload.path },
    },
    ...(object ? { scope: scopeOf(object) } : {}),
    ...(flavour.reportSource ? { source: REPORT_GENERATOR } : {}),
    summary,
    results,
  };
}

function scopeOf(object: KubernetesObjectReference): Record<string, string> {
  return {
    ...(object.apiVersion ? { apiVersion: object.apiVersion } : {}),
    kind: object.kind,
    name: object.name,
    ...(object.namespace ? { namespace: object.namespace } : {}),
  };
}

interface Result {
  readonly result: PolicyResult;
  readonly [field: string]: unknown;
}

function resultOf(input: ReportFormatInput, workload: WorkloadReport, control: ControlResult, seconds: number): Result {
  const definition = ControlCatalogue.find(control.id);
  const result = POLICY_RESULT_OF_STATUS[control.status];
  const properties: Record<string, string> = {
    status: control.status,
    articles: control.articles.join(', '),
    evidence: control.evidence.join('\n'),
    workload: workload.path,
    workloadKind: workload.kind,
    backend: workload.backend,
  };
  const location = control.evidence.map((line) => input.locate(workload, line)).find((at) => at !== undefined);
  if (location) {
    properties.location = `${location.file}:${location.line}`;
  }
  if (control.waiver) {
    properties.waiverReason = control.waiver.reason;
    if (control.waiver.expires) properties.waiverExpires = control.waiver.expires;
    if (control.waiver.approvedBy) properties.waiverApprovedBy = control.waiver.approvedBy;
    if (control.waiverSource) properties.waiverSource = control.waiverSource;
  }
  return {
    source: REPORT_GENERATOR,
    policy: control.id,
    rule: definition?.title ?? control.id,
    ...(definition ? { category: definition.family, severity: definition.severity } : {}),
    result,
    message: messageOf(workload, control),
    timestamp: { seconds, nanos: 0 },
    properties,
  };
}

/** What a reader of the dashboard needs first: the waiver, the step outside the output, or the evidence. */
function messageOf(workload: WorkloadReport, control: ControlResult): string {
  if (control.waiver) {
    const { reason, expires, approvedBy } = control.waiver;
    return `waived: ${reason}${expires ? ` (expires ${expires})` : ''}${approvedBy ? ` (approved by ${approvedBy})` : ''}`;
  }
  const evidence = control.evidence.join('; ');
  if (control.status === ControlStatus.EXTERNAL || control.status === ControlStatus.UNVERIFIED) {
    const action = ControlCatalogue.find(control.id)?.action;
    const step = action ? (workload.backend === Backend.ECS ? action.ecs : action.kubernetes) : undefined;
    return `${control.status}: ${evidence}${step ? `. Action: ${step}` : ''}`;
  }
  if (control.status === ControlStatus.VIOLATED) {
    return `${control.status}: ${evidence}`;
  }
  // what is met needs no list in the dashboard: the first line, and properties.evidence holds them all
  const more = control.evidence.length - 1;
  return `${control.status}${control.evidence.length > 0 ? `: ${control.evidence[0]}` : ''}${more > 0 ? ` (and ${more} more)` : ''}`;
}
