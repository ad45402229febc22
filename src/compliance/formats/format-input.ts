import type { ComplianceReport } from '../compliance-report';
import type { WorkloadReport } from '../report-model';

/**
 * A place in an input or output file: the file as the report names it (for `check`, the path as given on the command line or
 * found below a directory given there; for a synthesis, the written file relative to the current directory when it is below
 * it, else its absolute path), a 1-based line and, when known, a 1-based column.
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
   * the files a synth wrote; see evidence-locator.ts); `undefined` when it cannot (an in-memory `render()`, standard input
   * gives the file `<stdin>`). `locate(workload, '')` gives the workload's own object.
   */
  readonly locate: (workload: WorkloadReport, evidence: string) => SourceLocation | undefined;
  /** Where the report comes from: a synth of an app or a `check` run. */
  readonly origin: 'synth' | 'check';
}
