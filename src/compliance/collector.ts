import { IConstruct } from 'constructs';
import { Backend, NotEvaluatedObject, WorkloadReport } from './report-model';

/**
 * How synthesis treats violated controls.
 */
export enum ComplianceMode {
  /** Write the report and warn about every violated control; synthesis succeeds. */
  REPORT = 'report',
  /** Write the report, then fail synthesis listing every violated control that no waiver covers. */
  ENFORCE = 'enforce',
}

/**
 * The context key that selects the mode from the command line, e.g. `cdk synth -c cdk-compliant-ml:mode=enforce`.
 */
export const COMPLIANCE_MODE_CONTEXT = 'cdk-compliant-ml:mode';

/**
 * Finds and evaluates the workloads of one backend in an app: ours and foreign ones.
 *
 * Backends register one collector each when their module loads, so `compliance/` never imports cdk8s or aws-cdk-lib.
 *
 * @internal
 */
export interface WorkloadCollector {
  /** The backend whose workloads this collector reports. */
  readonly backend: Backend;

  /**
   * The report entries of every workload below `root` (empty when the app is not of this backend), and the objects that may
   * hold a workload but could not be evaluated.
   *
   * @param root the app's root construct
   */
  collect(root: IConstruct): CollectedWorkloads;
}

/**
 * What a collector found in an app.
 *
 * @internal
 */
export interface CollectedWorkloads {
  readonly workloads: WorkloadReport[];
  readonly notEvaluated: NotEvaluatedObject[];
}

const COLLECTORS = new Map<Backend, WorkloadCollector>();

/**
 * Registers the collector of a backend (idempotent: the last registration of a backend wins).
 *
 * @internal
 */
export function registerCollector(collector: WorkloadCollector): void {
  COLLECTORS.set(collector.backend, collector);
}

/**
 * The report entries of every workload in the app that contains `scope`, from every registered backend.
 *
 * @internal
 */
export function collectWorkloads(scope: IConstruct): CollectedWorkloads {
  const root = scope.node.root;
  const workloads: WorkloadReport[] = [];
  const notEvaluated: NotEvaluatedObject[] = [];
  for (const collector of COLLECTORS.values()) {
    const found = collector.collect(root);
    workloads.push(...found.workloads);
    notEvaluated.push(...found.notEvaluated);
  }
  return { workloads, notEvaluated };
}
