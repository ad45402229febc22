import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { objectWorkloads } from './checks/foreign';
import { Manifest } from './checks/manifest';
import { K8sObjectIndex } from './checks/object-index';
import { CollectedWorkloads, registerCollector } from '../compliance/collector';
import { ComplianceReport } from '../compliance/compliance-report';
import { synthLocator } from '../compliance/formats/synth-locator';
import { reportFormatsOf } from '../compliance/report-format';
import { Backend, NotEvaluatedObject, WorkloadReport } from '../compliance/report-model';
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

/**
 * One evaluation of an app: every ApiObject of the tree (all charts), rendered once and indexed once
 * (NetworkPolicies, PodDisruptionBudgets, autoscalers, ServiceAccounts, Namespaces, signature policies), so each workload is
 * evaluated with every object of the app in time linear in the number of objects.
 *
 * @internal
 */
export class K8sAppObjects {
  /** Every ApiObject of the app that renders, indexed; an object whose rendering throws is left out and listed. */
  public readonly index: K8sObjectIndex;
  /** The ApiObjects whose rendering threw, with the message (the collector turns them into one error). */
  public readonly unrenderable: Array<{ obj: ApiObject; message: string }> = [];
  private readonly rendered = new Map<ApiObject, Manifest>();
  private readonly claimed = new Set<ApiObject>();

  constructor(public readonly objects: ApiObject[]) {
    const manifests: Manifest[] = [];
    for (const obj of objects) {
      try {
        const json = obj.toJson();
        this.rendered.set(obj, json);
        manifests.push(json);
      } catch (e) {
        this.unrenderable.push({ obj, message: (e as Error).message });
      }
    }
    this.index = K8sObjectIndex.of(manifests);
  }

  /** The rendered JSON of one of the app's objects (rendered now if it is not one of them). */
  public jsonOf(obj: ApiObject): Manifest {
    return this.rendered.get(obj) ?? obj.toJson();
  }

  /** Marks an object as reported by one of our constructs, so the collector does not report it again as foreign. */
  public claim(obj: ApiObject): void {
    this.claimed.add(obj);
  }

  /** True when the object rendered (it is then indexed). */
  public isRendered(obj: ApiObject): boolean {
    return this.rendered.has(obj);
  }

  /** True when one of our constructs reported the object. */
  public isClaimed(obj: ApiObject): boolean {
    return this.claimed.has(obj);
  }
}

/** The collection in progress (set by `collectK8sWorkloads` while it asks our constructs for their entries). */
let activeCollection: { root: IConstruct; objects: K8sAppObjects } | undefined;

/**
 * The objects of the app that contains `scope`: those of the collection in progress, or (a construct's `complianceEntry()`
 * called on its own) every ApiObject of the app, rendered and indexed for this call.
 *
 * @internal
 */
export function appObjectsOf(scope: IConstruct): K8sAppObjects {
  const root = scope.node.root;
  if (activeCollection && activeCollection.root === root) {
    return activeCollection.objects;
  }
  return new K8sAppObjects(root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)));
}

/**
 * The report entries of every Kubernetes workload below `root`, and the objects that may hold a workload but were not
 * evaluated: each construct of this library (its own `complianceEntry()`, for the workload object it renders), and every other
 * ApiObject of the tree, wherever it sits (a raw `ApiObject`, a `k8s.Kube*` L1, a cdk8s-plus L2, a custom resource, also one
 * created inside one of our constructs), through pod-spec discovery. Every workload is evaluated with every object of the app,
 * across all charts.
 *
 * One walk of the tree; every object is rendered once per collection and indexed once, so the cost grows linearly with the app.
 *
 * @internal
 */
export function collectK8sWorkloads(root: IConstruct): CollectedWorkloads {
  const all = root.node.findAll();
  const objects = new K8sAppObjects(all.filter((c): c is ApiObject => ApiObject.isApiObject(c)));
  const previous = activeCollection;
  activeCollection = { root, objects };
  try {
    const workloads: WorkloadReport[] = [];
    for (const c of all) {
      if (isReportingWorkload(c)) {
        workloads.push(c.complianceEntry());
      }
    }
    if (objects.unrenderable.length > 0) {
      // an object that cannot render cannot be judged either; cdk8s would fail on it when writing the manifests
      throw new Error(objects.unrenderable.map(({ obj, message }) => `${obj.node.path}: ${message}`).join('; '));
    }
    const notEvaluated: NotEvaluatedObject[] = [];
    for (const obj of objects.objects) {
      if (objects.isClaimed(obj) || !objects.isRendered(obj)) {
        continue;
      }
      const found = objectWorkloads(obj.node.path, objects.jsonOf(obj), objects.index, `manifest annotation of ${obj.node.path}`);
      if (found.problems.length > 0) {
        throw new Error(`${obj.node.path}: ${found.problems.join('; ')}`);
      }
      workloads.push(...found.workloads);
      notEvaluated.push(...found.notEvaluated);
    }
    return { workloads, notEvaluated };
  } finally {
    activeCollection = previous;
  }
}

registerCollector({ backend: Backend.KUBERNETES, collect: (root) => collectK8sWorkloads(root) });

/** Per-app state of the hook: inside one `synth()`/`synthYaml()` the report is built once and warnings print once. */
interface HookState {
  inSynth: boolean;
  /** Inside `synth()` (not `synthYaml()`): where the report files go, written as soon as the report is built. */
  outdir?: string;
  /** Inside one synth, once the report is built: the validation errors it gave (repeated validations return them). */
  errors?: string[];
  /** Inside one synth: the JSON of our constructs' objects, rendered once for the report and reused for the manifests. */
  rendered?: WeakMap<ApiObject, Manifest>;
  /** Inside `synth()`: set once the report files are written (the enabled formats follow once the manifests are). */
  reportWritten?: boolean;
}

const HOOK_SLOT = Symbol.for('cdk-compliant-ml.k8s.report-hook');

/**
 * Installs the report hook once per app (the root of `scope`):
 * - a validation on the root that builds the report and, in `ENFORCE` mode, returns one error per violated control (cdk8s
 *   then fails listing all of them) or, in `REPORT` mode, prints one warning per violation to stderr;
 * - when the root is a cdk8s `App`, a wrapper of its `synth()` under which that validation also writes
 *   `compliance-report.json` and `.md` into `app.outdir` (also when enforcement fails, so the report shows why), and, once
 *   cdk8s wrote the manifests, the files of the enabled formats (`ComplianceReport.setFormats`), whose locations are read
 *   from the written manifests; when synthesis fails (enforcement), cdk8s writes no manifest and the formats are written
 *   without file locations; `synthYaml()` writes no file.
 *
 * Throws at once when the context key `cdk-compliant-ml:mode` or `cdk-compliant-ml:formats` holds an invalid value.
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
  reportFormatsOf(root);
  const state: HookState = { inSynth: false };
  slots[HOOK_SLOT] = state;
  root.node.addValidation({ validate: () => validateApp(root, state) });
  if (root instanceof App) {
    wrapSynth();
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
      writeReportFiles(state.outdir, report, reportFormatsOf(root));
      state.reportWritten = true;
    }
  }
  return errors;
}

/** Marks `App.prototype` once its `synth()` and `synthYaml()` are wrapped (shared by every copy of this library). */
const PROTOTYPE_WRAPPED = Symbol.for('cdk-compliant-ml.k8s.app-synth-wrapped');

/**
 * Wraps `synth()` and `synthYaml()` of cdk8s' `App.prototype` once, so that the report is written whenever an app with the hook
 * synthesizes; apps without the hook synthesize as before. On the prototype, not the instance: the jsii kernel calls the
 * prototype's method for Python, Java and Go apps (`instance.constructor.prototype[method]`), so an instance property would
 * be skipped there and no report written.
 */
function wrapSynth(): void {
  const proto = App.prototype;
  const slots = proto as unknown as Record<symbol, boolean | undefined>;
  if (slots[PROTOTYPE_WRAPPED]) {
    return;
  }
  slots[PROTOTYPE_WRAPPED] = true;
  const synth = proto.synth;
  const synthYaml = proto.synthYaml;
  const session = <T>(self: App, body: () => T, outdir: string | undefined): T => {
    const state = (self as unknown as Record<symbol, HookState | undefined>)[HOOK_SLOT];
    if (!state || state.inSynth) {
      return body();
    }
    state.inSynth = true;
    state.outdir = outdir;
    state.errors = undefined;
    state.rendered = new WeakMap();
    state.reportWritten = false;
    let synthesized = false;
    try {
      const result = body();
      synthesized = true;
      return result;
    } finally {
      const written = state.reportWritten;
      state.inSynth = false;
      state.outdir = undefined;
      state.errors = undefined;
      state.rendered = undefined;
      state.reportWritten = undefined;
      if (outdir !== undefined && written) {
        // after the manifests are written: the formats point at their lines (none were written when synthesis failed)
        let locator: ReturnType<typeof synthLocator> | undefined;
        const locate = (w: WorkloadReport, e: string) => (synthesized ? (locator ??= synthLocator(outdir)).locate(w, e) : undefined);
        if (synthesized) {
          ComplianceReport._writeFormatFiles(outdir, locate);
        } else {
          try {
            ComplianceReport._writeFormatFiles(outdir, locate);
          } catch {
            // the synthesis error (enforcement) is the one to report
          }
        }
      }
    }
  };
  proto.synth = function (this: App): void {
    return session(this, () => synth.call(this), this.outdir);
  };
  proto.synthYaml = function (this: App): string {
    return session(this, () => synthYaml.call(this), undefined);
  };
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
