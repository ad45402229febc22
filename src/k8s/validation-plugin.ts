/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { annotationWaivers, foreignWorkloadEntry, objectWorkloads } from './checks/foreign';
import { Manifest } from './checks/manifest';
import { K8sObjectIndex } from './checks/object-index';
import { ControlCatalogue } from '../compliance/catalogue';
import { ComplianceMode } from '../compliance/collector';
import { ControlStatus, NotEvaluatedObject, WorkloadReport } from '../compliance/report-model';

const NOT_EVALUATED_RULE = 'NOT-EVALUATED objects that may hold workloads';

/**
 * Options of `CdkCompliantMlValidation`, given as `properties` of the validation in `cdk8s.yaml`.
 */
export interface CdkCompliantMlValidationProps {
  /**
   * `enforce` fails the validation (and `cdk8s synth`) when a workload violates a control; `report` lists the violations
   * and passes.
   *
   * @default ComplianceMode.ENFORCE
   */
  readonly mode?: ComplianceMode;
}

/**
 * A cdk8s-cli validation plugin: evaluates every workload in the synthesized manifests, whatever produced it (Pod,
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, and the pod specs inside custom
 * resources such as KServe, KubeRay, JobSet, Kubeflow, Argo and Seldon objects), with the checker of the compliance report,
 * and reports each violated or unverified control as a rule violation with the offending fields as locations; objects that
 * may hold a workload but could not be evaluated are one more rule.
 *
 * cdk8s-cli loads a plugin class by name from the module a `package` entry resolves to, and cannot address a submodule
 * (`k8s.X`); point `package` at this file instead (its version must equal the installed `cdk-compliant-ml`):
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk-compliant-ml/lib/k8s/validation-plugin.js
 *     class: CdkCompliantMlValidation
 *     version: 1.2.3
 *     properties:
 *       mode: enforce
 * ```
 *
 * Waivers in a workload's `compliance.cdk-compliant-ml.io/waivers` annotation (a JSON array of `{control, reason, expires?,
 * approvedBy?}`, as the constructs of this library write it) count as waived; an invalid one fails the validation.
 */
export class CdkCompliantMlValidation {
  /** The mode in force. */
  public readonly mode: ComplianceMode;

  /**
   * @param props the `properties` of the validation in `cdk8s.yaml`
   */
  constructor(props: CdkCompliantMlValidationProps = {}) {
    const mode = props.mode ?? ComplianceMode.ENFORCE;
    if (!(Object.values(ComplianceMode) as string[]).includes(mode)) {
      throw new Error(`invalid mode ${JSON.stringify(mode)} in the properties of CdkCompliantMlValidation: use "report" or "enforce"`);
    }
    this.mode = mode;
  }

  /**
   * Runs the validation (called by cdk8s-cli): reads `context.manifests`, adds one violation per violated control to
   * `context.report` and submits it.
   *
   * @param context the cdk8s-cli `ValidationContext` (typed structurally: the library does not depend on cdk8s-cli)
   */
  public async validate(context: any): Promise<void> {
    const files: string[] = [...(context.manifests ?? [])];
    const load = manifestLoader();
    const loaded = files.map((file) => ({ file, docs: flattenLists(load(file)) }));
    // PodDisruptionBudgets, NetworkPolicies and autoscalers may sit in any file (e.g. one file per resource)
    const index = K8sObjectIndex.of(loaded.flatMap((l) => l.docs));
    const byRule = new Map<string, Array<{ resourceName: string; locations: string[]; manifestPath: string }>>();
    let workloads = 0;
    for (const { file, docs } of loaded) {
      for (const doc of docs) {
        const name = String(doc.metadata?.name ?? doc.metadata?.generateName ?? '(unnamed)');
        const found = manifestObjectWorkloads(file, doc, index);
        if (found.problems.length > 0) {
          throw new Error(`${file}: ${doc.kind} ${name}: ${found.problems.join('; ')}`);
        }
        workloads += found.workloads.length;
        const base = `${file}#${doc.kind}/`;
        const resourceName = (at: string) => (at.startsWith(base) ? at.slice(base.length) : at);
        for (const entry of found.workloads) {
          for (const c of entry.controls.filter((r) => r.status === ControlStatus.VIOLATED || r.status === ControlStatus.UNVERIFIED)) {
            const list = byRule.get(c.id) ?? [];
            list.push({ resourceName: resourceName(entry.path), locations: c.evidence, manifestPath: file });
            byRule.set(c.id, list);
          }
        }
        for (const n of found.notEvaluated) {
          const list = byRule.get(NOT_EVALUATED_RULE) ?? [];
          list.push({ resourceName: resourceName(n.path), locations: [`${n.kind}: ${n.reason}`], manifestPath: file });
          byRule.set(NOT_EVALUATED_RULE, list);
        }
      }
    }
    const notEvaluated = byRule.get(NOT_EVALUATED_RULE);
    byRule.delete(NOT_EVALUATED_RULE);
    const ids = [...byRule.keys()].sort((a, b) => ControlCatalogue.orderOf(a) - ControlCatalogue.orderOf(b));
    for (const id of ids) {
      const control = ControlCatalogue.get(id);
      context.report.addViolation({
        ruleName: `${id} ${control.title}`,
        recommendation: `${control.rationale} (${control.articles.join(', ')})`,
        fix: `${control.kubernetes}; or, in a construct of cdk-compliant-ml, add a waiver { control: '${id}', reason: '...' }`,
        violatingResources: byRule.get(id)!,
      });
    }
    if (notEvaluated) {
      context.report.addViolation({
        ruleName: NOT_EVALUATED_RULE,
        recommendation: 'an object that may hold a workload could not be evaluated: its pods are built by a controller, or its pod spec is not readable',
        fix: 'evaluate the objects the controller builds from it (their manifests, or the runtime it references)',
        violatingResources: notEvaluated,
      });
    }
    const violations = ids.reduce((n, id) => n + byRule.get(id)!.length, 0) + (notEvaluated?.length ?? 0);
    context.logger?.log?.(`cdk-compliant-ml: ${workloads} workloads in ${files.length} manifests, ${violations} violated controls`);
    const failed = violations > 0 && this.mode === ComplianceMode.ENFORCE;
    context.report.submit(failed ? 'failure' : 'success', {
      mode: this.mode, workloads: String(workloads), violations: String(violations),
    });
  }
}

/**
 * Reads a multi-document manifest file. cdk8s' `Yaml.load` spawns a process per file (it also loads URLs), which is slow for
 * one file per resource, so the YAML parser that cdk8s bundles (the one it writes manifests with, YAML 1.1) is used directly;
 * `Yaml.load` is the fallback when that parser cannot be resolved.
 */
function manifestLoader(): (file: string) => any[] {
  let yaml: any;
  try {
    yaml = require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] }));
  } catch {
    return (file) => Yaml.load(file);
  }
  return (file) => yaml.parseAllDocuments(fs.readFileSync(file, 'utf-8'), { version: '1.1' }).map((d: any) => d.toJSON())
    .filter((d: any) => d !== null && d !== undefined);
}

/**
 * The report entry of a workload read from a manifest file, named `<file>#<kind>/<name>`, with the waivers of its
 * `compliance.cdk-compliant-ml.io/waivers` annotation (validated like waivers in code; each problem waives nothing and is
 * returned). Shared by this plugin and `cdk-compliant-ml check`.
 *
 * @param file the manifest file the workload was read from
 * @param doc the workload
 * @param all every object read with it (PodDisruptionBudgets, NetworkPolicies, autoscalers)
 * @param annotationLine the line of the waivers annotation in the file, when known
 * @internal
 */
export function manifestWorkloadEntry(file: string, doc: Manifest, all: Manifest[] | K8sObjectIndex, annotationLine?: number):
{ entry: WorkloadReport; problems: string[] } {
  const name = String(doc.metadata?.name ?? doc.metadata?.generateName ?? '(unnamed)');
  const found = annotationWaivers(doc);
  const source = `manifest annotation at ${file}${annotationLine !== undefined ? `:${annotationLine}` : ''}`;
  return { entry: foreignWorkloadEntry(`${file}#${doc.kind}/${name}`, doc, all, found.waivers, source), problems: found.problems };
}

/**
 * Every workload a manifest object holds (the object itself, or the pod specs of a custom resource), named
 * `<file>#<kind>/<name>[/<location>]`, evaluated with every object of the inputs (`index`), and the places that may hold a
 * workload but could not be evaluated. Shared by this plugin and `cdk-compliant-ml check`.
 *
 * @internal
 */
export function manifestObjectWorkloads(file: string, doc: Manifest, index: K8sObjectIndex, annotationLine?: number):
{ workloads: WorkloadReport[]; notEvaluated: NotEvaluatedObject[]; problems: string[] } {
  const name = String(doc.metadata?.name ?? doc.metadata?.generateName ?? '(unnamed)');
  const source = `manifest annotation at ${file}${annotationLine !== undefined ? `:${annotationLine}` : ''}`;
  return objectWorkloads(`${file}#${doc.kind}/${name}`, doc, index, source);
}

/**
 * The objects of parsed documents, each `List` (a `kind` ending in List with `items`, kubectl's form) flattened, also a List
 * inside a List.
 *
 * @internal
 */
export function flattenLists(docs: unknown[]): Manifest[] {
  const out: Manifest[] = [];
  const add = (doc: any, depth: number): void => {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      return;
    }
    if (depth < 16 && typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) {
      doc.items.forEach((item: unknown) => add(item, depth + 1));
      return;
    }
    out.push(doc);
  };
  docs.forEach((d) => add(d, 0));
  return out;
}
