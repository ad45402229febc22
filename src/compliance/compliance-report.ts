import { IConstruct } from 'constructs';
import { collectWorkloads, COMPLIANCE_MODE_CONTEXT, ComplianceMode } from './collector';
import type { ReportFormatInput, SourceLocation } from './formats/format-input';
import { reportFormatEntry } from './formats/registry';
import { REPORT_FORMATS_CONTEXT, ReportFormat, reportFormatsOf, setReportFormats } from './report-format';
import { ControlStatus, NotEvaluatedObject, WorkloadReport } from './report-model';
import { complianceModeOf, REPORT_JSON_FILE, REPORT_MARKDOWN_FILE, setComplianceMode, writeFormatFiles } from './report-output';
import { canonicalReport, reportJsonChunks, reportMarkdownChunks } from './report-render';

/**
 * A control that a workload violates without a waiver.
 */
export interface Violation {
  /**
   * The workload's construct path.
   */
  readonly path: string;

  /**
   * The violated control ID.
   */
  readonly control: string;

  /**
   * The evidence: the offending object, field and value.
   */
  readonly evidence: string[];

  /**
   * `violated`, or `unverified` (the output cannot prove the control; enforcement fails on it too).
   */
  readonly status: ControlStatus;
}

/**
 * The compliance report of a set of workloads: every applicable control, its status, its AI Act articles and the evidence
 * read from the synthesized output.
 *
 * JSON and Markdown renderings are deterministic (sorted, no timestamps): the same workloads always give the same bytes.
 */
export class ComplianceReport {
  /** The context key that selects the mode, e.g. `cdk8s synth` with `context: { 'cdk-compliant-ml:mode': 'enforce' }`. */
  public static readonly MODE_CONTEXT_KEY: string = COMPLIANCE_MODE_CONTEXT;
  /** The name of the JSON report written into the app's output directory on synth. */
  public static readonly JSON_FILE_NAME: string = REPORT_JSON_FILE;
  /** The name of the Markdown report written into the app's output directory on synth. */
  public static readonly MARKDOWN_FILE_NAME: string = REPORT_MARKDOWN_FILE;
  /**
   * The context key that enables report formats on synth: a comma-separated list or a JSON array of `ReportFormat` values,
   * e.g. `cdk synth -c cdk-compliant-ml:formats=sarif,cyclonedx`.
   */
  public static readonly FORMATS_CONTEXT_KEY: string = REPORT_FORMATS_CONTEXT;

  /**
   * The file name that synthesis writes a format to, in the app's output directory (e.g. `compliance-report.sarif`).
   *
   * @param format the format
   */
  public static fileNameOf(format: ReportFormat): string {
    return reportFormatEntry(format).fileName;
  }

  /**
   * The media type of a format's file (e.g. `application/sarif+json`), for uploads and HTTP responses.
   *
   * @param format the format
   */
  public static mediaTypeOf(format: ReportFormat): string {
    return reportFormatEntry(format).mediaType;
  }

  /**
   * A report over the given workload entries.
   *
   * @param workloads the workload entries, in any order
   * @param notEvaluated objects that may hold workloads but could not be evaluated
   */
  public static fromWorkloads(workloads: WorkloadReport[], notEvaluated: NotEvaluatedObject[] = []): ComplianceReport {
    return new ComplianceReport(workloads, notEvaluated);
  }

  /**
   * The report of the whole app that contains `scope`: every workload of this library and every foreign workload (a raw
   * `Deployment`, a cdk8s-plus `Job`, ...) of every backend loaded in the process. It is what synthesis writes to
   * `compliance-report.json`, computed from the rendered resources at the time of the call.
   *
   * @param scope any construct of the app (the app itself, a chart, a stack, a workload)
   */
  public static of(scope: IConstruct): ComplianceReport {
    const collected = collectWorkloads(scope);
    const report = new ComplianceReport(collected.workloads, collected.notEvaluated);
    report._app = scope.node.root;
    return report;
  }

  /**
   * Selects how synthesis of the app that contains `scope` treats violated controls. It wins over the context key
   * `cdk-compliant-ml:mode` (`report` or `enforce`); without either, the mode is `REPORT`.
   *
   * @param scope any construct of the app
   * @param mode `ComplianceMode.REPORT` (warn) or `ComplianceMode.ENFORCE` (fail synthesis)
   */
  public static setMode(scope: IConstruct, mode: ComplianceMode): void {
    setComplianceMode(scope, mode);
  }

  /**
   * The mode in force for the app that contains `scope` (set with `setMode`, else the context key, else `REPORT`).
   *
   * Throws when the context key holds a value other than `report` or `enforce`.
   *
   * @param scope any construct of the app
   */
  public static modeOf(scope: IConstruct): ComplianceMode {
    return complianceModeOf(scope);
  }

  /**
   * Enables report formats for the app that contains `scope`: on synth, each is written beside `compliance-report.json` and
   * `.md` (`ComplianceReport.fileNameOf(format)` gives the file name). It wins over the context key
   * `cdk-compliant-ml:formats`; without either, no format is written. An empty list writes none (and removes the files a
   * previous synth left).
   *
   * @param scope any construct of the app
   * @param formats the formats to write, in any order
   */
  public static setFormats(scope: IConstruct, formats: ReportFormat[]): void {
    setReportFormats(scope, formats);
  }

  /**
   * The formats enabled for the app that contains `scope` (set with `setFormats`, else the context key, else none), in the
   * order of `ReportFormat`.
   *
   * Throws when the context key names an unknown format.
   *
   * @param scope any construct of the app
   */
  public static formatsOf(scope: IConstruct): ReportFormat[] {
    return reportFormatsOf(scope);
  }

  /**
   * Writes the files of the formats enabled for the apps that wrote `compliance-report.json` into `outdir` (see
   * `writeFormatFiles`).
   *
   * @internal
   */
  public static _writeFormatFiles(outdir: string, locate: ReportFormatInput['locate']): string[] {
    return writeFormatFiles(outdir, { locate, origin: 'synth' }, (json) => new ComplianceReport(json.workloads, json.notEvaluated ?? []));
  }

  /**
   * The workload entries, in the order given.
   */
  public readonly workloads: WorkloadReport[];
  /**
   * Objects that may hold a workload but could not be evaluated, in the order given.
   */
  public readonly notEvaluated: NotEvaluatedObject[];
  /**
   * The app the report is of (for `of()`): the report files of two apps written into one directory are merged by app.
   *
   * @internal
   */
  public _app?: object;
  private canonicalCache?: Record<string, unknown>;

  protected constructor(workloads: WorkloadReport[], notEvaluated: NotEvaluatedObject[]) {
    this.workloads = [...workloads];
    this.notEvaluated = [...notEvaluated];
  }

  /**
   * The report as a JSON-compatible object in canonical order (see DESIGN §4 of the project).
   */
  public toJson(): any {
    return canonicalReport(this.workloads, this.notEvaluated);
  }

  /**
   * The report as JSON text, ending with a newline.
   *
   * Indented by two spaces down to each workload's `controls`; each control and each acknowledged rule takes one line, so a
   * change of one control is a one-line diff and large apps do not pay for indenting every evidence string.
   */
  public toJsonString(): string {
    return [...this._jsonChunks()].join('');
  }

  /**
   * The report as Markdown: a status summary and one table per workload.
   */
  public toMarkdown(): string {
    return [...this._markdownChunks()].join('');
  }

  /**
   * The report in a machine-readable format, as the text of its file (the same bytes that synthesis writes, except for the
   * source locations: an in-memory report has no written files to point into, so SARIF results carry logical locations only).
   *
   * Throws while the format's renderer is not available.
   *
   * @param format the format
   */
  public render(format: ReportFormat): string {
    return this._render(format, () => undefined, this._app !== undefined ? 'synth' : 'check');
  }

  /**
   * `render()` with the evidence located in files (the CLI's inputs, a synthesis's output).
   *
   * @internal
   */
  public _render(format: ReportFormat, locate: (workload: WorkloadReport, evidence: string) => SourceLocation | undefined,
    origin: ReportFormatInput['origin']): string {
    return reportFormatEntry(format).render({ report: this, locate, origin });
  }

  /**
   * This report with the entries of other apps added (for the files of two apps written into one directory).
   *
   * @internal
   */
  public _withOthers(workloads: WorkloadReport[], notEvaluated: NotEvaluatedObject[]): ComplianceReport {
    return new ComplianceReport([...workloads, ...this.workloads], [...notEvaluated, ...this.notEvaluated]);
  }

  /**
   * `toJsonString()` in pieces (one per workload), for writers that should not hold the whole text.
   *
   * @internal
   */
  public _jsonChunks(): Iterable<string> {
    return reportJsonChunks(this.canonical());
  }

  /**
   * `toMarkdown()` in pieces (one per workload), for writers that should not hold the whole text.
   *
   * @internal
   */
  public _markdownChunks(): Iterable<string> {
    return reportMarkdownChunks(this.canonical());
  }

  /**
   * Every control with status `violated`, in canonical order.
   */
  public violations(): Violation[] {
    return this.withStatus(new Set([ControlStatus.VIOLATED]));
  }

  /**
   * Every control that enforcement fails on: `violated` and `unverified` ones, in canonical order.
   */
  public failures(): Violation[] {
    return this.withStatus(new Set([ControlStatus.VIOLATED, ControlStatus.UNVERIFIED]));
  }

  private withStatus(statuses: Set<ControlStatus>): Violation[] {
    const json = this.canonical() as { workloads: WorkloadReport[] };
    const out: Violation[] = [];
    for (const w of json.workloads) {
      for (const c of w.controls) {
        if (statuses.has(c.status)) {
          out.push({ path: w.path, control: c.id, evidence: c.evidence, status: c.status });
        }
      }
    }
    return out;
  }

  /** The canonical form, computed once: the renderings and `violations()` share it (`toJson()` returns a fresh copy). */
  private canonical(): Record<string, unknown> {
    this.canonicalCache ??= canonicalReport(this.workloads, this.notEvaluated);
    return this.canonicalCache;
  }
}
