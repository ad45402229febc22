import type { ComplianceReport } from '../compliance-report';
import type { WorkloadReport } from '../report-model';

/**
 * A place in an input or output file: the file as the report names it (relative to the output directory, or the path given to
 * `check`), a 1-based line and, when known, a 1-based column.
 *
 * @internal
 */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/**
 * Everything a report format renders from. Every format is rendered from the same report, so the violations are the same in
 * each; a renderer must be deterministic (no clock, no randomness, code-unit ordering).
 *
 * @internal
 */
export interface ReportFormatInput {
  /** The report (workloads, notEvaluated; `toJson()` gives the canonical form with `generatorVersion`). */
  readonly report: ComplianceReport;
  /**
   * Where the object or field that an evidence line of a workload names is written, when the caller can tell (the CLI's inputs,
   * the files a synth wrote); `undefined` when it cannot.
   */
  readonly locate: (workload: WorkloadReport, evidence: string) => SourceLocation | undefined;
  /** Where the report comes from: a synth of an app or a `check` run. */
  readonly origin: 'synth' | 'check';
}
