import { ControlStatus, WorkloadReport } from './report-model';
import { canonicalReport, renderMarkdown } from './report-render';

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
}

/**
 * The compliance report of a set of workloads: every applicable control, its status, its AI Act articles and the evidence
 * read from the synthesized output.
 *
 * JSON and Markdown renderings are deterministic (sorted, no timestamps): the same workloads always give the same bytes.
 */
export class ComplianceReport {
  /**
   * A report over the given workload entries.
   *
   * @param workloads the workload entries, in any order
   */
  public static fromWorkloads(workloads: WorkloadReport[]): ComplianceReport {
    return new ComplianceReport(workloads);
  }

  /**
   * The workload entries, in the order given.
   */
  public readonly workloads: WorkloadReport[];

  protected constructor(workloads: WorkloadReport[]) {
    this.workloads = [...workloads];
  }

  /**
   * The report as a JSON-compatible object in canonical order (see DESIGN §4 of the project).
   */
  public toJson(): any {
    return canonicalReport(this.workloads);
  }

  /**
   * The report as JSON text: two-space indented, ending with a newline.
   */
  public toJsonString(): string {
    return `${JSON.stringify(this.toJson(), undefined, 2)}\n`;
  }

  /**
   * The report as Markdown: a status summary and one table per workload.
   */
  public toMarkdown(): string {
    return renderMarkdown(this.workloads);
  }

  /**
   * Every control with status `violated`, in canonical order.
   */
  public violations(): Violation[] {
    const json = this.toJson() as { workloads: WorkloadReport[] };
    const out: Violation[] = [];
    for (const w of json.workloads) {
      for (const c of w.controls) {
        if (c.status === ControlStatus.VIOLATED) {
          out.push({ path: w.path, control: c.id, evidence: c.evidence });
        }
      }
    }
    return out;
  }
}
