import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { ReportFormatInput, SourceLocation } from './format-input';
import { ControlCatalogue } from '../catalogue';
import { ControlDefinition, ControlSeverity } from '../control';
import { ControlResult, ControlStatus, WorkloadReport } from '../report-model';
import { bySeverity, controlDocLink } from '../report-people';
import { REPORT_GENERATOR, reportGeneratorVersion } from '../report-render';

/**
 * The report as SARIF 2.1.0 (OASIS), in the subset GitHub code scanning reads: one run, one rule per control of the
 * catalogue, one result per violated, unverified or waived control of a workload.
 *
 * - `level`: `error` for violated, `warning` for unverified (the output cannot prove the control; enforcement fails on it),
 *   `note` for waived. Waived results carry `suppressions: [{ kind: 'external', status: 'accepted', justification }]`: code
 *   scanning lists them as dismissed, an auditor still sees every relaxed control with its reason.
 * - `properties.security-severity` of a rule: the control's severity on GitHub's scale (critical 9.5, high 8.0, medium 5.5,
 *   low 2.0, the middle of the bands > 9.0, 7.0–8.9, 4.0–6.9, 0.1–3.9).
 * - location: the file and line of the field the first evidence names (`locate`), uri relative to `%SRCROOT%` (the
 *   directory the tool ran in, which is the repository root in CI) or an absolute `file:` URI; further evidence as
 *   `relatedLocations`; the logical location is the workload's path (construct path, or `FILE#Kind/name` for `check`).
 * - `partialFingerprints`: a SHA-256 of the control ID, the workload path and the evidence with line numbers taken out, so a
 *   result keeps its identity when lines move.
 * - at most 25,000 results (GitHub's limit per run), the most severe kept; the run's `properties.omittedResults` counts the rest.
 */

/** The SARIF schema the output declares. */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** The project's home. */
export const SARIF_INFORMATION_URI = 'https://github.com/cdk-compliant-ml/cdk-compliant-ml';
/** The uriBaseId of relative locations. */
export const SARIF_SRCROOT = '%SRCROOT%';
/** The key of our fingerprint in `partialFingerprints`. */
export const SARIF_FINGERPRINT_KEY = 'cdkCompliantMlResult/v1';
/** GitHub code scanning's limits per run and per result. */
export const SARIF_MAX_RESULTS = 25000;
const MAX_RELATED_LOCATIONS = 1000;

/**
 * The `security-severity` of each control severity (GitHub's bands: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
 * 0.1–3.9 low).
 *
 * @internal
 */
export const SECURITY_SEVERITY: Record<ControlSeverity, string> = {
  [ControlSeverity.CRITICAL]: '9.5',
  [ControlSeverity.HIGH]: '8.0',
  [ControlSeverity.MEDIUM]: '5.5',
  [ControlSeverity.LOW]: '2.0',
};

const RESULT_STATUSES = new Set<string>([ControlStatus.VIOLATED, ControlStatus.UNVERIFIED, ControlStatus.WAIVED]);
const LEVELS: Record<string, string> = {
  [ControlStatus.VIOLATED]: 'error',
  [ControlStatus.UNVERIFIED]: 'warning',
  [ControlStatus.WAIVED]: 'note',
};

/**
 * Renders the report as SARIF 2.1.0 JSON text (two-space indented, ending with a newline; the same report and files give the
 * same bytes).
 *
 * @internal
 */
export function renderSarif(input: ReportFormatInput): string {
  const controls = ControlCatalogue.controls();
  const ruleIndex = new Map(controls.map((c, i) => [c.id, i]));
  const json = input.report.toJson() as { workloads: WorkloadReport[] };
  const pairs: Array<{ workload: WorkloadReport; control: ControlResult; path: string; id: string }> = [];
  for (const workload of json.workloads) {
    for (const control of workload.controls) {
      if (RESULT_STATUSES.has(control.status)) {
        pairs.push({ workload, control, path: workload.path, id: control.id });
      }
    }
  }
  // over GitHub's limit: keep the most severe, failing before waived, and list them in report order
  let kept = pairs;
  if (pairs.length > SARIF_MAX_RESULTS) {
    const order = new Map(pairs.map((p, i) => [p, i]));
    const waivedLast = (p: typeof pairs[number]) => (p.control.status === ControlStatus.WAIVED ? 1 : 0);
    kept = [...pairs].sort((a, b) => waivedLast(a) - waivedLast(b) || bySeverity(a, b)).slice(0, SARIF_MAX_RESULTS)
      .sort((a, b) => order.get(a)! - order.get(b)!);
  }
  const version = reportGeneratorVersion();
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: REPORT_GENERATOR,
        version,
        semanticVersion: version,
        informationUri: SARIF_INFORMATION_URI,
        rules: controls.map(sarifRule),
      },
    },
    automationDetails: { id: `${REPORT_GENERATOR}/${input.origin}/` },
    originalUriBaseIds: {
      [SARIF_SRCROOT]: { description: { text: 'The directory cdk-compliant-ml ran in (synth or check): the repository root in CI.' } },
    },
    columnKind: 'utf16CodeUnits',
    results: kept.map((p) => sarifResult(p.workload, p.control, ruleIndex.get(p.control.id), input.locate)),
  };
  if (kept.length < pairs.length) {
    run.properties = { omittedResults: pairs.length - kept.length };
  }
  return `${JSON.stringify({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] }, undefined, 2)}\n`;
}

/**
 * A rule name: the title's words in PascalCase, without parentheses, `>=` read as `AtLeast` (`Every image is pinned by digest`
 * → `EveryImageIsPinnedByDigest`, `>= 2 replicas` → `AtLeast2Replicas`).
 */
function ruleName(title: string): string {
  const name = title.replace(/\([^)]*\)/g, ' ').replace(/>=/g, ' at least ').replace(/<=/g, ' at most ').split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return /^[A-Z]/.test(name) ? name : `Control${name}`;
}

function sarifRule(control: ControlDefinition): Record<string, unknown> {
  const link = controlDocLink(control.id);
  const articles = control.articles.join(', ');
  const text = [
    `${control.id}: ${control.title}`,
    '',
    control.rationale,
    '',
    `EU AI Act: ${articles}`,
    `Severity: ${control.severity}: ${control.severityRationale}`,
    '',
    `Fix (Kubernetes): ${control.kubernetes}`,
    `Fix (ECS): ${control.ecs}`,
    `When unverified (Kubernetes): ${control.action.kubernetes}`,
    `When unverified (ECS): ${control.action.ecs}`,
    '',
    `A waiver with a reason relaxes the control: ${link}`,
  ].join('\n');
  const markdown = [
    `**${control.id}: ${control.title}**`,
    '',
    control.rationale,
    '',
    `- **EU AI Act:** ${articles}`,
    `- **Severity:** ${control.severity}: ${control.severityRationale}`,
    `- **Fix (Kubernetes):** ${control.kubernetes}`,
    `- **Fix (ECS):** ${control.ecs}`,
    `- **When unverified:** Kubernetes: ${control.action.kubernetes}; ECS: ${control.action.ecs}`,
    '',
    `[${control.id} in docs/CONTROLS.md](${link})`,
  ].join('\n');
  return {
    id: control.id,
    name: ruleName(control.title),
    shortDescription: { text: control.title },
    fullDescription: { text: control.rationale },
    helpUri: link,
    help: { text, markdown },
    defaultConfiguration: { level: 'error' },
    properties: {
      'security-severity': SECURITY_SEVERITY[control.severity],
      'precision': 'high',
      'problem.severity': 'error',
      'tags': ['security', 'compliance', 'eu-ai-act', `family:${control.family}`, ...control.articles],
    },
  };
}

function sarifResult(workload: WorkloadReport, control: ControlResult, ruleIndex: number | undefined,
  locate: ReportFormatInput['locate']): Record<string, unknown> {
  const definition = ControlCatalogue.find(control.id);
  const evidence = control.evidence.length > 0 ? control.evidence : ['(no evidence recorded)'];
  const logical = [{ name: workload.path.slice(workload.path.lastIndexOf('/') + 1), fullyQualifiedName: workload.path, kind: 'resource' }];
  const located = control.evidence.map((e) => locate(workload, e));
  const primary = located.find((l) => l !== undefined) ?? locate(workload, '');
  const what = control.status === ControlStatus.UNVERIFIED ? 'cannot be proven from the output'
    : control.status === ControlStatus.WAIVED ? `is waived: ${control.waiver?.reason ?? ''}` : 'is violated';
  const result: Record<string, unknown> = {
    ruleId: control.id,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    kind: 'fail',
    level: LEVELS[control.status],
    message: { text: `${control.id} ${definition?.title ?? ''} ${what} in ${workload.path}: ${evidence.join('; ')}`.replace(/ {2,}/g, ' ') },
    locations: [{ ...physical(primary), logicalLocations: logical }],
  };
  const related = control.evidence.slice(0, MAX_RELATED_LOCATIONS)
    .map((e, i) => ({ e, at: located[i] }))
    .filter((r): r is { e: string; at: SourceLocation } => r.at !== undefined)
    .map((r, i) => ({ id: i + 1, ...physical(r.at), message: { text: r.e } }));
  if (related.length > 1) {
    result.relatedLocations = related;
  }
  result.partialFingerprints = { [SARIF_FINGERPRINT_KEY]: fingerprint(control.id, workload.path, control.evidence) };
  result.properties = {
    status: control.status,
    workload: workload.path,
    workloadKind: workload.kind,
    backend: workload.backend,
    articles: [...control.articles],
    evidence: [...control.evidence],
  };
  if (control.status === ControlStatus.WAIVED) {
    result.suppressions = [{
      kind: 'external',
      status: 'accepted',
      justification: control.waiver?.reason ?? '',
      properties: {
        ...(control.waiver?.expires !== undefined ? { expires: control.waiver.expires } : {}),
        ...(control.waiver?.approvedBy !== undefined ? { approvedBy: control.waiver.approvedBy } : {}),
        ...(control.waiverSource !== undefined ? { source: control.waiverSource } : {}),
      },
    }];
  }
  return result;
}

/** A SARIF physicalLocation, or nothing when the place is unknown (standard input, an in-memory report). */
function physical(at: SourceLocation | undefined): Record<string, unknown> {
  if (at === undefined || at.file === '<stdin>') {
    return {};
  }
  const region: Record<string, number> = { startLine: Math.max(1, at.line) };
  if (at.column !== undefined) {
    region.startColumn = Math.max(1, at.column);
  }
  return { physicalLocation: { artifactLocation: artifactLocation(at.file), region } };
}

/**
 * A file as a SARIF artifactLocation: relative (below `%SRCROOT%`, `/`-separated, percent-encoded) when it is written relative
 * and stays below the root, else an absolute `file:` URI.
 *
 * @internal
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const posix = file.split(path.sep).join('/');
  const normalized = path.posix.normalize(posix);
  if (!path.isAbsolute(file) && !normalized.startsWith('../') && normalized !== '..') {
    return { uri: normalized.split('/').map(encodeURIComponent).join('/'), uriBaseId: SARIF_SRCROOT };
  }
  return { uri: pathToFileURL(path.resolve(file)).href };
}

/**
 * The stable identity of a result: control, workload and evidence, without line numbers (`Dockerfile:7` → `Dockerfile`,
 * `line 5` → `line`) and with whitespace collapsed.
 *
 * @internal
 */
export function fingerprint(control: string, workloadPath: string, evidence: string[]): string {
  const normalized = evidence.map((e) => e.replace(/^(\S+?):\d+(?=\s|$)/, '$1').replace(/\bline \d+\b/g, 'line').replace(/\s+/g, ' ').trim());
  return createHash('sha256').update([control, workloadPath, ...normalized].join('\u0000')).digest('hex');
}
