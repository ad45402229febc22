import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { annotationWaivers, foreignWorkloadEntry, isPodTemplateKind } from './checks/foreign';
import { Manifest } from './checks/manifest';
import { withSignaturePolicyCache } from './image-signature-policy';
import { registerCollector } from '../compliance/collector';
import { ComplianceReport } from '../compliance/compliance-report';
import { Backend, WorkloadReport } from '../compliance/report-model';
import { complianceModeOf, modeErrors, writeReportFiles } from '../compliance/report-output';

/**
 * Marks the constructs of this library that report themselves (set by `K8sWorkloadBase`). A `Symbol.for` brand instead of
 * `instanceof`, so the collector needs no import of the base class and still works with two copies of the library.
 *
 * @internal
 */
export const K8S_WORKLOAD_BRAND = Symbol.for('cdk-compliant-ml.k8s.workload');

/** What a branded construct offers the collector. */
interface ReportingWorkload extends IConstruct {
  complianceEntry(): WorkloadReport;
}

function isReportingWorkload(c: IConstruct): c is ReportingWorkload {
  return (c as unknown as Record<symbol, unknown>)[K8S_WORKLOAD_BRAND] === true;
}

/** The ApiObjects of one chart, rendered at most once per collection. */
class ChartObjects {
  public readonly objects: ApiObject[] = [];
  private rendered?: Manifest[];

  public json(): Manifest[] {
    this.rendered ??= this.objects.map((o) => o.toJson());
    return this.rendered;
  }
}

/**
 * The report entries of every Kubernetes workload below `root`: each construct of this library (its own `complianceEntry()`)
 * and each foreign ApiObject with a pod template that is not inside one of ours (raw `ApiObject`s, `k8s.Kube*` L1s and the
 * objects of cdk8s-plus L2s alike), evaluated against the objects of its chart.
 *
 * One walk of the tree; each chart with a foreign workload is rendered once, so the cost grows linearly with the app.
 *
 * @internal
 */
export function collectK8sWorkloads(root: IConstruct): WorkloadReport[] {
  return withSignaturePolicyCache(() => collectUncached(root));
}

function collectUncached(root: IConstruct): WorkloadReport[] {
  const entries: WorkloadReport[] = [];
  const charts = new Map<IConstruct, ChartObjects>();
  const foreign: Array<{ chart: ChartObjects; index: number; obj: ApiObject }> = [];
  const visit = (c: IConstruct, chart: ChartObjects | undefined, insideOurs: boolean): void => {
    let current = chart;
    if (Chart.isChart(c)) {
      current = new ChartObjects();
      charts.set(c, current);
    }
    let inside = insideOurs;
    if (isReportingWorkload(c)) {
      entries.push(c.complianceEntry());
      inside = true;
    }
    if (current && ApiObject.isApiObject(c)) {
      current.objects.push(c);
      if (!inside && isPodTemplateKind(c.apiVersion, c.kind)) {
        foreign.push({ chart: current, index: current.objects.length - 1, obj: c });
      }
    }
    for (const child of c.node.children) {
      visit(child, current, inside);
    }
  };
  visit(root, undefined, false);
  for (const { chart, index, obj } of foreign) {
    const all = chart.json();
    const found = annotationWaivers(all[index]);
    if (found.problems.length > 0) {
      throw new Error(`${obj.node.path}: ${found.problems.join('; ')}`);
    }
    entries.push(foreignWorkloadEntry(obj.node.path, all[index], all, found.waivers, `manifest annotation of ${obj.node.path}`));
  }
  return entries;
}

registerCollector({ backend: Backend.KUBERNETES, collect: (root) => ({ workloads: collectK8sWorkloads(root), notEvaluated: [] }) });

/** Per-app state of the hook: inside one `synth()`/`synthYaml()` the report is built once and warnings print once. */
interface HookState {
  inSynth: boolean;
  /** Inside `synth()` (not `synthYaml()`): where the report files go, written as soon as the report is built. */
  outdir?: string;
  /** Inside one synth, once the report is built: the validation errors it gave (repeated validations return them). */
  errors?: string[];
  /** Inside one synth: the JSON of our constructs' objects, rendered once for the report and reused for the manifests. */
  rendered?: WeakMap<ApiObject, Manifest>;
}

const HOOK_SLOT = Symbol.for('cdk-compliant-ml.k8s.report-hook');

/**
 * Installs the report hook once per app (the root of `scope`):
 * - a validation on the root that builds the report and, in `ENFORCE` mode, returns one error per violated control (cdk8s
 *   then fails listing all of them) or, in `REPORT` mode, prints one warning per violation to stderr;
 * - when the root is a cdk8s `App`, a wrapper of its `synth()` under which that validation also writes
 *   `compliance-report.json` and `.md` into `app.outdir` (also when enforcement fails, so the report shows why);
 *   `synthYaml()` writes no file.
 *
 * Throws at once when the context key `cdk-compliant-ml:mode` holds an invalid value.
 *
 * @internal
 */
export function installK8sReportHook(scope: IConstruct): void {
  const root = scope.node.root;
  const slots = root as unknown as Record<symbol, HookState | undefined>;
  if (slots[HOOK_SLOT]) {
    return;
  }
  complianceModeOf(root);
  const state: HookState = { inSynth: false };
  slots[HOOK_SLOT] = state;
  root.node.addValidation({ validate: () => validateApp(root, state) });
  if (root instanceof App) {
    wrapSynth(root, state);
  }
}

function validateApp(root: IConstruct, state: HookState): string[] {
  if (state.inSynth && state.errors) {
    // cdk8s validates the app again for every chart it renders; report and warnings once per synth
    return state.errors;
  }
  let report: ComplianceReport;
  let errors: string[];
  try {
    report = ComplianceReport.of(root);
    errors = modeErrors(root, report);
  } catch (e) {
    // a validation that throws would hide the errors of every other construct: hand it to cdk8s as one more error
    return [`cdk-compliant-ml could not build the compliance report: ${(e as Error).message}`];
  }
  if (state.inSynth) {
    state.errors = errors;
    if (state.outdir !== undefined) {
      // written now, before cdk8s renders the manifests (also when enforcement fails, so the report shows why); the report's
      // evidence is then garbage while the manifests are serialized, which keeps large apps' heaps small
      writeReportFiles(state.outdir, report);
    }
  }
  return errors;
}

function wrapSynth(app: App, state: HookState): void {
  const synth = app.synth;
  const synthYaml = app.synthYaml;
  const session = <T>(body: () => T, outdir: string | undefined): T => {
    state.inSynth = true;
    state.outdir = outdir;
    state.errors = undefined;
    state.rendered = new WeakMap();
    try {
      return body();
    } finally {
      state.inSynth = false;
      state.outdir = undefined;
      state.errors = undefined;
      state.rendered = undefined;
    }
  };
  app.synth = () => session(() => synth.call(app), app.outdir);
  app.synthYaml = () => session(() => synthYaml.call(app), undefined);
}

/**
 * Makes `obj.toJson()` render at most once per `synth()`/`synthYaml()` of its app: the report (built in the app's validation)
 * and the manifests written afterwards then share one rendering. Nothing runs between the two but other validations, and
 * outside a synth every call renders afresh, as cdk8s does.
 *
 * @internal
 */
export function renderOncePerSynth(obj: ApiObject): void {
  const render = obj.toJson.bind(obj);
  const slots = obj.node.root as unknown as Record<symbol, HookState | undefined>;
  obj.toJson = () => {
    const cache = slots[HOOK_SLOT]?.rendered;
    if (!cache) {
      return render();
    }
    const hit = cache.get(obj);
    if (hit !== undefined) {
      return hit;
    }
    const json = render();
    cache.set(obj, json);
    return json;
  };
}
