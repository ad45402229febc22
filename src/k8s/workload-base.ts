import { createHash } from 'crypto';
import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { applicableControlIds } from '../compliance/catalogue';
import { ControlScope } from '../compliance/control';
import { Backend, WorkloadReport } from '../compliance/report-model';
import { DNS1035_LABEL, NAME_RULES, refuseToken, requireObjectName, requireScope } from '../core/bounds';
import { propError } from '../core/errors';
import { ImageReference } from '../core/image-reference';
import { ModelMetadata } from '../core/provenance';
import { Waiver } from '../core/waiver';
import { validateWaiverList } from '../core/waiver-validation';
import { DEFAULT_EVIDENCE_HARVEST_SECONDS } from './checks/job-rules';
import { PodView } from './checks/manifest';
import { artifactReports } from './checks/model-artifact-rules';
import { evaluateWorkload } from './checks/workload-checks';
import { LogRecordField, renderFluentBitConfig, shipperImage } from './fluent-bit';
import { LogDestination } from './log-destination';
import { LogShipping, LogShippingMode } from './log-shipping';
import { NetworkPeer } from './network';
import { appObjectsOf, installK8sReportHook, K8S_WORKLOAD_BRAND, renderOncePerSynth } from './report-hook';

/**
 * The log shipping used when none is given: a Fluent Bit sidecar forwarding (Fluent Forward, plaintext inside the cluster)
 * to `log-aggregator.logging.svc:24224`. That receiver is an assumption the report names: it must exist, keep the logs at
 * least 184 days (LOG-2) and store them encrypted with access control (LOG-3).
 *
 * @internal
 */
export function defaultLogShipping(): LogShipping {
  return LogShipping.sidecar(LogDestination.fluentForward({ host: 'log-aggregator.logging.svc' }));
}

/**
 * The DNS peer used when none is given: the `k8s-app: kube-dns` pods of `kube-system`.
 *
 * @internal
 */
export function defaultDnsPeer(): NetworkPeer {
  return NetworkPeer.kubeDns();
}

/**
 * What the Kubernetes constructs share: naming, waiver handling, the log-shipping ConfigMap and the report entry.
 *
 * @internal
 */
export abstract class K8sWorkloadBase extends Construct {
  /** The name of every object the construct renders (DNS-1123 label, unique and deterministic per construct path). */
  public readonly name: string;
  /** The waivers in force (props plus the image's). */
  public readonly waivers: Waiver[];
  /** The image of the main container. */
  public readonly image: ImageReference;

  /** @internal The images of the artifact verifiers (MOD-1), listed in the report's images. */
  public _artifactImages: string[] = [];

  /** The kinds whose name rules bound `name`. */
  private readonly nameKinds: readonly string[];

  protected constructor(scope: Construct, id: string, image: ImageReference, waivers: Waiver[] | undefined, workloadScope: ControlScope,
    nameKinds: readonly string[] = ['Deployment', 'Service'], givenName?: string) {
    super(requireScope(scope, id, 'kubernetes', new.target.name), id);
    installK8sReportHook(this);
    if (!(image instanceof ImageReference)) {
      throw propError(this, 'image', image, 'is not an ImageReference', 'use ImageReference.fromString(\'name:tag@sha256:<64 hex>\')');
    }
    this.image = image;
    this.nameKinds = nameKinds;
    const maxLength = Math.min(...nameKinds.map((kind) => NAME_RULES[kind]?.max ?? 63), 63);
    if (givenName !== undefined) {
      this.name = requireGivenName(this, givenName, nameKinds, maxLength);
    } else {
      this.name = objectName(this, maxLength, !resourceNameHashesDisabled(this));
      nameKinds.forEach((kind) => requireObjectName(this, `the ${kind} name (from the construct path)`, this.name, kind));
    }
    refuseNameCollision(this, givenName !== undefined ? 'name' : 'the name (from the construct path)', this.name);
    const own = validateWaiverList(this, 'waivers', waivers, applicableControlIds(workloadScope));
    this.waivers = [...own, ...image.waivers.filter((w) => !own.some((o) => o.control === w.control))];
  }

  /**
   * The compliance-report entry of this workload, with evidence read from the rendered manifests. The app's report
   * (`ComplianceReport.of(app)` and the files written on synth) collects it from every construct of this library.
   */
  public abstract complianceEntry(): WorkloadReport;

  /**
   * @internal Called last by each subclass constructor: from then on the app's report collects this construct. A construct
   * whose constructor threw (and that a test caught) stays in the tree half-built and is never asked for its entry.
   */
  public _reportReady(): void {
    for (const c of this.node.findAll()) {
      if (c instanceof ApiObject) {
        renderOncePerSynth(c);
      }
    }
    registerName(this, this.name, this.nameKinds);
    Object.defineProperty(this, K8S_WORKLOAD_BRAND, { value: true });
  }

  /** @internal Throws unless a waiver covers the control that relaxing `prop` breaks. */
  public _requireWaiver(control: string, prop: string, value: unknown, why: string): void {
    if (!this.waivers.some((w) => w.control === control)) {
      throw propError(this, prop, value, `${why} (control ${control})`, `keep the default, or add a waiver { control: '${control}', reason: '...' }`);
    }
  }

  /** @internal Renders the log-shipping ConfigMap (sidecar mode); its name carries a hash of the content so pods roll on change. */
  public _renderLogConfig(shipping: LogShipping, records: LogRecordField[], labels: Record<string, string>): string | undefined {
    if (shipping.mode !== LogShippingMode.SIDECAR) {
      return undefined;
    }
    const conf = renderFluentBitConfig(this, shipping, records);
    const hash = createHash('sha256').update(conf).digest('hex').slice(0, 8);
    const name = `${this.name}-logs-${hash}`;
    new k8s.KubeConfigMap(this, 'LogShipperConfig', { metadata: { name, labels }, immutable: true, data: { 'fluent-bit.conf': conf } });
    return name;
  }

  /** @internal The `log-shipping` annotation text. */
  public _describeShipping(shipping: LogShipping): string {
    return shipping.mode === LogShippingMode.SIDECAR
      ? `sidecar: ${shipping.destination!.description} ${shipping.destination!.host}:${shipping.destination!.port}${shipping.destination!.tls ? ' (TLS)' : ''}${shipping.captureStdio ? '; stdout/stderr captured' : ''}`
      : 'cluster-agent: stdout/stderr collected by the node agent';
  }

  /** @internal Every image the workload runs. */
  public _imagesOf(shipping: LogShipping): string[] {
    const images = [this.image.toString()];
    if (shipping.mode === LogShippingMode.SIDECAR) {
      images.push(shipperImage(shipping));
    }
    images.push(...this._artifactImages.filter((image) => !images.includes(image)));
    return images;
  }

  /**
   * @internal Builds the report entry of the construct's workload object, evaluated with every object of the app (all charts:
   * foreign NetworkPolicies, PodDisruptionBudgets and autoscalers count as much as ours). Inside a collection the app's objects
   * are rendered and indexed once for all constructs; called on its own, the app is indexed for this call.
   */
  public _reportEntry(kind: string, workload: ApiObject, scope: ControlScope, model: ModelMetadata | undefined,
    shipping: LogShipping, harvestSeconds = DEFAULT_EVIDENCE_HARVEST_SECONDS): WorkloadReport {
    const app = appObjectsOf(this);
    app.claim(workload);
    const path = this.node.path;
    const json = app.jsonOf(workload);
    return {
      path,
      kind,
      backend: Backend.KUBERNETES,
      images: this._imagesOf(shipping),
      model: model ? { ...model } : undefined,
      ...artifactReports(new PodView(json)),
      controls: evaluateWorkload(app.jsonOf(workload), { index: app.index, scope, waivers: this.waivers, harvestSeconds, waiverSource: `construct ${path}` }),
    };
  }
}

/**
 * A name for every object of a construct: a DNS-1035 label (lowercase alphanumerics and '-', starting with a letter, at most
 * `maxLength` characters: 63, or 52 for a CronJob, whose controller appends 11 characters to name its Jobs) made of the
 * readable construct path and, unless the chart sets `disableResourceNameHashes`, a hash of the full path, so it is unique
 * and deterministic. Without the hash two paths can give the same name; `refuseNameCollision` catches that.
 *
 * @internal
 */
export function objectName(scope: Construct, maxLength = 63, includeHash = true): string {
  const ids = scope.node.scopes.slice(1).map((s) => s.node.id);
  const hash = createHash('sha256').update(ids.join('/')).digest('hex').slice(0, 8);
  let human = ids.join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '')
    .slice(0, includeHash ? maxLength - 9 : maxLength).replace(/-+$/, '');
  if (human.length === 0) {
    human = 'workload';
  }
  return includeHash ? `${human}-${hash}` : human;
}

/**
 * Whether the construct's chart was created with `disableResourceNameHashes: true`. cdk8s keeps that prop in a private
 * field and offers no getter; a chart without the field (another cdk8s major) counts as hashing.
 */
function resourceNameHashesDisabled(scope: Construct): boolean {
  const chart = Chart.of(scope) as unknown as { readonly _disableResourceNameHashes?: unknown };
  return chart._disableResourceNameHashes === true;
}

/**
 * Checks the `name` prop: a DNS-1035 label (it names a Service or a pod's DNS entry) no longer than the shortest limit of the
 * kinds the construct renders (52 when one of them is a CronJob, 63 otherwise), and valid for each of those kinds.
 */
function requireGivenName(scope: Construct, name: unknown, kinds: readonly string[], maxLength: number): string {
  if (typeof name !== 'string') {
    throw propError(scope, 'name', name, 'is not a string', 'give a DNS-1035 label such as \'fraud-scorer\', or leave it out for a name derived from the construct path');
  }
  refuseToken(scope, 'name', name, 'a literal DNS-1035 label such as \'fraud-scorer\'');
  if (name.length > maxLength || !DNS1035_LABEL.test(name)) {
    const limit = kinds.includes('CronJob') ? `${maxLength} characters because the CronJob controller appends 11 to name its Jobs` : `${maxLength} characters`;
    throw propError(scope, 'name', name, `is not a DNS-1035 label of at most ${limit} (got ${name.length} characters)`,
      'use lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit, e.g. \'fraud-scorer\'');
  }
  kinds.forEach((kind) => requireObjectName(scope, 'name', name, kind));
  return name;
}

interface RegisteredName {
  readonly path: string;
  readonly kinds: readonly string[];
}

/** The names taken by the finished constructs of each app, keyed by namespace and name. */
const NAMES_BY_APP = new WeakMap<object, Map<string, RegisteredName>>();

function nameKey(scope: Construct, name: string): { readonly key: string; readonly namespace: string } {
  const namespace = Chart.of(scope).namespace ?? '(default)';
  return { key: `${namespace}\u0000${name}`, namespace };
}

/**
 * Refuses a name that another construct of this library in the same app already gives its objects in the same namespace:
 * both render a ServiceAccount and a NetworkPolicy (and more) under that name, so one would overwrite the other on apply.
 */
function refuseNameCollision(scope: Construct, prop: string, name: string): void {
  const { key, namespace } = nameKey(scope, name);
  const taken = NAMES_BY_APP.get(scope.node.root)?.get(key);
  if (taken) {
    throw propError(scope, prop, name, `collides with the objects of ${taken.path} (${['ServiceAccount', 'NetworkPolicy', ...taken.kinds].join(', ')} `
      + `named ${JSON.stringify(name)} in namespace ${namespace})`, `give ${scope.node.path} or ${taken.path} a different \`name\` or construct id, or put them in charts with different namespaces`);
  }
}

/** Records the name of a finished construct (a constructor that threw and was caught leaves no entry). */
function registerName(scope: Construct, name: string, kinds: readonly string[]): void {
  const root = scope.node.root;
  const names = NAMES_BY_APP.get(root) ?? new Map<string, RegisteredName>();
  NAMES_BY_APP.set(root, names);
  names.set(nameKey(scope, name).key, { path: scope.node.path, kinds });
}
