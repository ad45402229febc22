import { renderCycloneDx } from './cyclonedx';
import type { ReportFormatInput } from './format-input';
import { renderOpenReports, renderPolicyReport } from './openreports';
import { renderOscalAssessmentResults } from './oscal';
import { renderSarif } from './sarif';
import { ReportFormat } from '../report-format';

/**
 * One report format: the file synthesis writes it to, the IANA media type of that file and the renderer (a pure function of the
 * report and the locations of its evidence, returning the file's text).
 *
 * @internal
 */
export interface ReportFormatEntry {
  readonly format: ReportFormat;
  /** The file name in the app's output directory (and what `check --format` prints). */
  readonly fileName: string;
  readonly mediaType: string;
  readonly render: (input: ReportFormatInput) => string;
}

/**
 * Every format, in the order of `ReportFormat`: the one table that synthesis (which files to write and to remove) and the CLI
 * (`check --format`) read. Each renderer is called through its module's exported function, so a renderer that replaces its stub
 * needs no change here.
 *
 * @internal
 */
export const REPORT_FORMAT_REGISTRY: readonly ReportFormatEntry[] = [
  { format: ReportFormat.SARIF, fileName: 'compliance-report.sarif', mediaType: 'application/sarif+json', render: (input) => renderSarif(input) },
  {
    format: ReportFormat.OPENREPORTS,
    fileName: 'compliance-report.openreports.yaml',
    mediaType: 'application/yaml',
    render: (input) => renderOpenReports(input),
  },
  {
    format: ReportFormat.POLICYREPORT,
    fileName: 'compliance-report.policyreport.yaml',
    mediaType: 'application/yaml',
    render: (input) => renderPolicyReport(input),
  },
  {
    format: ReportFormat.OSCAL,
    fileName: 'compliance-report.oscal.json',
    mediaType: 'application/oscal.ar+json',
    render: (input) => renderOscalAssessmentResults(input),
  },
  {
    format: ReportFormat.CYCLONEDX,
    fileName: 'compliance-report.cdx.json',
    mediaType: 'application/vnd.cyclonedx+json',
    render: (input) => renderCycloneDx(input),
  },
];

/**
 * The registry entry of a format; throws on a value that is no `ReportFormat`.
 *
 * @internal
 */
export function reportFormatEntry(format: ReportFormat): ReportFormatEntry {
  const entry = REPORT_FORMAT_REGISTRY.find((e) => e.format === format);
  if (!entry) {
    throw new Error(`unknown report format ${JSON.stringify(format)}: use one of ${REPORT_FORMAT_REGISTRY.map((e) => e.format).join(', ')}`);
  }
  return entry;
}
