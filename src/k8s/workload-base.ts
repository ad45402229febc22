import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { applicableControlIds } from '../compliance/catalogue';
import { ControlScope } from '../compliance/control';
import { Backend, WorkloadReport } from '../compliance/report-model';
import { NAME_RULES, requireObjectName, requireScope } from '../core/bounds';
import { propError } from '../core/errors';
import { ImageReference } from '../core/image-reference';
import { ModelMetadata } from '../core/provenance';
import { Waiver } from '../core/waiver';
import { validateWaiverList } from '../core/waiver-validation';
import { DEFAULT_EVIDENCE_HARVEST_SECONDS } from './checks/job-rules';
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

  protected constructor(scope: Construct, id: string, image: ImageReference, waivers: Waiver[] | undefined, workloadScope: ControlScope,
    nameKinds: readonly string[] = ['Deployment', 'Service']) {
    super(requireScope(scope, id, 'kubernetes', new.target.name), id);
    installK8sReportHook(this);
    if (!(image instanceof ImageReference)) {
      throw propError(this, 'image', image, 'is not an ImageReference', 'use ImageReference.fromString(\'name:tag@sha256:<64 hex>\')');
    }
    this.image = image;
    this.name = objectName(this, Math.min(...nameKinds.map((kind) => NAME_RULES[kind]?.max ?? 63), 63));
    nameKinds.forEach((kind) => requireObjectName(this, `the ${kind} name (from the construct path)`, this.name, kind));
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
    return {
      path,
      kind,
      backend: Backend.KUBERNETES,
      images: this._imagesOf(shipping),
      model: model ? { ...model } : undefined,
      controls: evaluateWorkload(app.jsonOf(workload), { index: app.index, scope, waivers: this.waivers, harvestSeconds, waiverSource: `construct ${path}` }),
    };
  }
}

/**
 * A name for every object of a construct: a DNS-1035 label (lowercase alphanumerics and '-', starting with a letter, at most
 * `maxLength` characters: 63, or 52 for a CronJob, whose controller appends 11 characters to name its Jobs) made of the
 * readable construct path and a hash of the full path, so it is unique and deterministic.
 *
 * @internal
 */
export function objectName(scope: Construct, maxLength = 63): string {
  const ids = scope.node.scopes.slice(1).map((s) => s.node.id);
  const hash = createHash('sha256').update(ids.join('/')).digest('hex').slice(0, 8);
  let human = ids.join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').slice(0, maxLength - 9).replace(/-+$/, '');
  if (human.length === 0) {
    human = 'workload';
  }
  return `${human}-${hash}`;
}
