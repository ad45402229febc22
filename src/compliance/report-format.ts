import { IConstruct } from 'constructs';

/**
 * A machine-readable format of the compliance report, written on synth beside `compliance-report.json` and `.md` when enabled
 * (`ComplianceReport.setFormats` or the context key `cdk-compliant-ml:formats`) and printed by `cdk-compliant-ml check --format`.
 */
export enum ReportFormat {
  /** SARIF 2.1.0 (`compliance-report.sarif`): code scanning (GitHub, GitLab, DefectDojo). */
  SARIF = 'sarif',
  /** OpenReports `openreports.io/v1alpha1` Reports and ClusterReports (`compliance-report.openreports.yaml`). */
  OPENREPORTS = 'openreports',
  /** Kyverno's `wgpolicyk8s.io/v1alpha2` PolicyReports (`compliance-report.policyreport.yaml`). */
  POLICYREPORT = 'policyreport',
  /** OSCAL assessment-results (`compliance-report.oscal.json`). */
  OSCAL = 'oscal',
  /** CycloneDX 1.6 ML-BOM with the compliance results as declarations (`compliance-report.cdx.json`). */
  CYCLONEDX = 'cyclonedx',
}

/**
 * The context key that enables formats from the command line or cdk.json / cdk8s.yaml, e.g.
 * `cdk synth -c cdk-compliant-ml:formats=sarif,cyclonedx` or `"cdk-compliant-ml:formats": ["sarif", "cyclonedx"]`.
 *
 * @internal
 */
export const REPORT_FORMATS_CONTEXT = 'cdk-compliant-ml:formats';

/** Where `ComplianceReport.setFormats()` stores the formats on the app root (Symbol.for, so two copies of the library agree). */
const FORMATS_SLOT = Symbol.for('cdk-compliant-ml.report-formats');
const FORMAT_VALUES = Object.values(ReportFormat) as string[];

/** The formats in the order of the enum, each once. */
function canonicalFormats(formats: Iterable<string>): ReportFormat[] {
  const set = new Set(formats);
  return (Object.values(ReportFormat) as ReportFormat[]).filter((f) => set.has(f));
}

/**
 * Stores the formats on the root of the app that contains `scope`; they win over the context key. Throws on a value that is no
 * `ReportFormat`.
 *
 * @internal
 */
export function setReportFormats(scope: IConstruct, formats: ReportFormat[]): void {
  const bad = formats.find((f) => !FORMAT_VALUES.includes(f));
  if (bad !== undefined) {
    throw new Error(`invalid report format ${JSON.stringify(bad)}: use ReportFormat.${Object.keys(ReportFormat).join(', ReportFormat.')}`);
  }
  (scope.node.root as unknown as Record<symbol, ReportFormat[]>)[FORMATS_SLOT] = canonicalFormats(formats);
}

/**
 * The formats enabled for the app that contains `scope`: those set with `ComplianceReport.setFormats()`, else the context key
 * `cdk-compliant-ml:formats` (a comma-separated list, a JSON array in a string, or an array), else none. Throws on a context
 * value that names an unknown format or is not a list of names.
 *
 * @internal
 */
export function reportFormatsOf(scope: IConstruct): ReportFormat[] {
  const root = scope.node.root;
  const set = (root as unknown as Record<symbol, ReportFormat[] | undefined>)[FORMATS_SLOT];
  if (set !== undefined) {
    return [...set];
  }
  return parseReportFormats(root.node.tryGetContext(REPORT_FORMATS_CONTEXT));
}

/**
 * The formats a context value names: `undefined` or `''` → none; `'sarif,cyclonedx'`, `'["sarif","cyclonedx"]'` or
 * `['sarif', 'cyclonedx']` → those (case-insensitive, blanks around names ignored, in enum order, each once).
 *
 * @internal
 */
export function parseReportFormats(value: unknown): ReportFormat[] {
  if (value === undefined || value === null) {
    return [];
  }
  const invalid = (detail: string) => new Error(`invalid value ${JSON.stringify(value)} of the context key "${REPORT_FORMATS_CONTEXT}": ${detail}; `
    + `allowed values are a comma-separated list or a JSON array of ${FORMAT_VALUES.map((f) => JSON.stringify(f)).join(', ')} `
    + `(e.g. -c ${REPORT_FORMATS_CONTEXT}=sarif,cyclonedx)`);
  let names: unknown = value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        names = JSON.parse(text);
      } catch {
        throw invalid('not a JSON array');
      }
    } else {
      names = text === '' ? [] : text.split(',');
    }
  }
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw invalid('not a list of format names');
  }
  const normalized = (names as string[]).map((n) => n.trim().toLowerCase());
  const unknown = normalized.filter((n) => !FORMAT_VALUES.includes(n));
  if (unknown.length > 0) {
    throw invalid(`unknown format${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
  }
  return canonicalFormats(normalized);
}
