import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ModelArtifactOptions } from './artifact-props';
import { LogShipping } from './log-shipping';
import { EgressRule, NetworkPeer } from './network';
import { WorkloadPodOptions } from './pod-options';
import { SecretKeyReference } from './pod-template';
import { ImageReference } from '../core/image-reference';
import { ImageProvenance, ModelMetadata } from '../core/provenance';
import { Waiver } from '../core/waiver';

/**
 * Horizontal autoscaling of a model service on CPU utilization.
 */
export interface ModelServiceAutoscaling {
  /**
   * The fewest replicas. Fewer than 2 needs an AVL-1 waiver.
   *
   * @default 2
   */
  readonly minReplicas?: number;

  /**
   * The most replicas; at least `minReplicas`.
   */
  readonly maxReplicas: number;

  /**
   * Target average CPU utilization in percent of the request.
   *
   * @default 70
   */
  readonly targetCpuUtilizationPercent?: number;
}

/**
 * Properties for `CompliantModelService` (Kubernetes).
 */
export interface CompliantModelServiceProps extends WorkloadPodOptions, ModelArtifactOptions {
  /**
   * The model server image, pinned by digest.
   */
  readonly image: ImageReference;

  /**
   * The name of the service's Kubernetes objects (Deployment, Service, ServiceAccount, NetworkPolicy, PodDisruptionBudget,
   * HorizontalPodAutoscaler) and their `app.kubernetes.io/instance` label, so that clients outside the app can address the
   * Service by a name that does not change with the construct id: a DNS-1035 label (lowercase letters, digits and '-',
   * starting with a letter) of at most 63 characters. The log-shipping ConfigMap is named `<name>-logs-<8 hex of its content>`.
   *
   * @default - the construct path (chart id, then construct ids) in lowercase joined by '-', cut to 54 characters, then '-'
   * and 8 hex characters of a hash of the path; the path alone (cut to 63) when the chart sets `disableResourceNameHashes`
   */
  readonly name?: string;

  /**
   * The model served: rendered as labels, provenance annotations and environment (`MODEL_NAME`, `MODEL_VERSION`).
   */
  readonly model: ModelMetadata;

  /**
   * The serving port (HTTP, Open Inference Protocol).
   *
   * @default 8080
   */
  readonly port?: number;

  /**
   * Number of replicas. Fewer than 2 needs an AVL-1 waiver. Ignored (left to the autoscaler) when `autoscaling` is set.
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Horizontal autoscaling on CPU.
   *
   * @default - a fixed number of replicas
   */
  readonly autoscaling?: ModelServiceAutoscaling;

  /**
   * CPU, memory and ephemeral-storage requests and limits of the model server.
   *
   * @default - cpu 1/2, memory 2Gi/2Gi, ephemeral storage 1Gi/2Gi (request/limit)
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * How long the model may take to load before liveness applies (the startup probe's budget).
   *
   * @default Duration.minutes(10)
   */
  readonly modelLoadTimeout?: Duration;

  /**
   * Liveness path.
   *
   * @default '/v2/health/live'
   */
  readonly livenessPath?: string;

  /**
   * Readiness path; must differ from the liveness path.
   *
   * @default '/v2/health/ready'
   */
  readonly readinessPath?: string;

  /**
   * Where the writable model cache (an `emptyDir`) is mounted.
   *
   * @default '/models'
   */
  readonly modelCachePath?: string;

  /**
   * Size limit of the model cache.
   *
   * @default Size.gibibytes(10)
   */
  readonly modelCacheSize?: Size;

  /**
   * Size limit of the `/tmp` scratch volume.
   *
   * @default Size.gibibytes(1)
   */
  readonly tmpSize?: Size;

  /**
   * How logs leave the pod (LOG-1).
   *
   * @default - a Fluent Bit sidecar shipping the files of `$LOG_DIR` over Fluent Forward (plaintext) to
   * `log-aggregator.logging.svc:24224`, an assumed receiver that must exist and keep the logs >= 184 days (LOG-2), encrypted
   * with access control (LOG-3); stdout/stderr are left to a node agent (LOG-1 `external` for them)
   */
  readonly logShipping?: LogShipping;

  /**
   * Who may call the serving port.
   *
   * @default - pods in the same namespace
   */
  readonly allowIngressFrom?: NetworkPeer[];

  /**
   * Egress allowed besides cluster DNS and the log destination (e.g. a model store or feature service).
   *
   * @default - none
   */
  readonly egress?: EgressRule[];

  /**
   * The cluster DNS servers the pods may reach on port 53 (UDP and TCP).
   *
   * @default - the `k8s-app: kube-dns` pods of namespace `kube-system` (`NetworkPeer.kubeDns()`)
   */
  readonly dnsPeer?: NetworkPeer;

  /**
   * Whether to render the NetworkPolicy. `false` needs a NET-1 waiver.
   *
   * @default true
   */
  readonly networkPolicy?: boolean;

  /**
   * Image pull policy. Anything but `ALWAYS` needs an IMG-3 waiver: with a digest, `Always` costs one manifest request and
   * re-checks pull credentials on every start (Polaris `pullPolicyNotAlways`, kube-score `container-image-pull-policy`).
   *
   * @default kplus.ImagePullPolicy.ALWAYS
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;

  /**
   * Read-only root filesystem. `false` needs a SEC-5 waiver.
   *
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * Plain (non-secret) environment variables. Names that look like secrets are refused (SEC-9).
   *
   * @default - none besides MODEL_NAME, MODEL_VERSION, LOG_DIR and INFERENCE_LOG_PATH
   */
  readonly env?: Record<string, string>;

  /**
   * Environment variables read from Kubernetes Secrets.
   *
   * @default - none
   */
  readonly secretEnv?: Record<string, SecretKeyReference>;

  /**
   * Container command.
   *
   * @default - the image's entrypoint
   */
  readonly command?: string[];

  /**
   * Container arguments.
   *
   * @default - the image's command
   */
  readonly args?: string[];

  /**
   * The AI system the service is part of (`app.kubernetes.io/part-of`).
   *
   * @default - the model name
   */
  readonly partOf?: string;

  /**
   * OCI provenance of the image, mirrored into annotations (IMG-4).
   *
   * @default - not recorded; IMG-4 is reported `external`
   */
  readonly imageProvenance?: ImageProvenance;

  /**
   * Waivers for controls this service deliberately relaxes; each appears in the compliance report.
   *
   * @default - none
   */
  readonly waivers?: Waiver[];
}
