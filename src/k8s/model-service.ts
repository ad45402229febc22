import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { patchImageVolumes } from './artifact-verifier';
import { wireArtifacts } from './artifact-wiring';
import { KubernetesDefaults } from './defaults';
import { HEALTH_PORT as FLUENT_BIT_HEALTH_PORT } from './fluent-bit';
import { LogShipping, LogShippingMode } from './log-shipping';
import { LOG_SHIPPING_ANNOTATION, MODEL_LOAD_TIMEOUT_ANNOTATION, provenanceAnnotations, recommendedLabels, WAIVERS_ANNOTATION } from './metadata';
import { CompliantModelServiceProps } from './model-service-props';
import { NetworkPeer, networkPolicySpec } from './network';
import { patchNativeSidecar, renderPodSpec } from './pod-template';
import { sharedPodOptions } from './resources';
import { defaultDnsPeer, defaultLogShipping, K8sWorkloadBase } from './workload-base';
import { ControlScope } from '../compliance/control';
import { WorkloadReport } from '../compliance/report-model';
import { INT32_MAX, requireAnnotationSize, requirePort, requireUriPath, wholeMebibytes, wholeSeconds } from '../core/bounds';
import { WorkloadDefaults } from '../core/defaults';
import { propError, requireInteger } from '../core/errors';
import { ModelArtifact } from '../core/model-artifact';
import { serializeWaivers } from '../core/output-waivers';
import { ModelMetadata } from '../core/provenance';
import { validateImageProvenance, validateModelMetadata } from '../core/provenance-validation';
import { validateImageScan } from '../core/scan-validation';

const DEFAULT_RESOURCES: Required<kplus.ContainerResources> = {
  cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.units(2) },
  memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) },
  ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
};
const PROBE_PERIOD_SECONDS = 10;

/**
 * Kubernetes (cdk8s): a model server that is secure, redundant and observable by default: a hardened Deployment (2 replicas,
 * zero-downtime rollout, zone and node spread), a ClusterIP Service, a PodDisruptionBudget, a default-deny NetworkPolicy,
 * a dedicated ServiceAccount without token, Open Inference Protocol probes and a log-shipping sidecar.
 *
 * Every relaxation of a default needs a waiver for its control, and `complianceEntry()` reports every control with evidence
 * read from the rendered manifests.
 *
 * Define it inside a cdk8s `Chart` (directly or below constructs in one): its objects are rendered into that chart's
 * manifest.
 */
export class CompliantModelService extends K8sWorkloadBase {
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The ClusterIP Service in front of the pods. */
  public readonly service: k8s.KubeService;
  /** The PodDisruptionBudget (maxUnavailable 1). */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy, unless waived. */
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;
  /** The HorizontalPodAutoscaler, when autoscaling is set. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The dedicated ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The serving port. */
  public readonly port: number;
  /** The model served (with the digest of `modelArtifact` when that is given). */
  public readonly model: ModelMetadata;
  /** The pinned model weights, verified before the server starts (MOD-1), when given. */
  public readonly modelArtifact?: ModelArtifact;
  /** How logs leave the pods. */
  public readonly logShipping: LogShipping;

  /**
   * Defines the construct and validates its props.
   *
   * @param scope a construct inside a cdk8s `Chart` (the chart itself or a construct below it); outside a chart the constructor throws
   * @param id the construct id, unique within `scope`
   * @param props the construct's settings
   */
  constructor(scope: Construct, id: string, props: CompliantModelServiceProps) {
    super(scope, id, props.image, props.waivers, ControlScope.SERVICE, undefined, props?.name);
    this.model = validateModelMetadata(this, 'model', props.model);
    if (props.imageProvenance) {
      validateImageProvenance(this, 'imageProvenance', props.imageProvenance);
    }
    this.port = requirePort(this, 'port', props.port ?? WorkloadDefaults.SERVICE_PORT);
    const replicas = this.resolveReplicas(props);
    const pod = sharedPodOptions(this, props, DEFAULT_RESOURCES);
    const probes = this.renderProbes(props);
    const pullPolicy = props.imagePullPolicy ?? kplus.ImagePullPolicy.ALWAYS;
    if (pullPolicy !== kplus.ImagePullPolicy.ALWAYS) {
      this._requireWaiver('IMG-3', 'imagePullPolicy', pullPolicy, 'a policy other than Always skips the pull-credential check on cached images');
    }
    const readOnly = props.readOnlyRootFilesystem ?? true;
    if (!readOnly) {
      this._requireWaiver('SEC-5', 'readOnlyRootFilesystem', false, 'a writable root filesystem lets an attacker persist changes in the container');
    }
    const withPolicy = props.networkPolicy ?? true;
    if (!withPolicy) {
      this._requireWaiver('NET-1', 'networkPolicy', false, 'without a NetworkPolicy every pod of the cluster can reach the model server');
    }
    this.logShipping = props.logShipping ?? defaultLogShipping();
    if (this.logShipping.mode === LogShippingMode.SIDECAR && this.port === FLUENT_BIT_HEALTH_PORT) {
      throw propError(this, 'port', this.port, `is the port of the log shipper's health endpoint in the same pod (Fluent Bit ${FLUENT_BIT_HEALTH_PORT})`,
        `serve on another port, e.g. ${WorkloadDefaults.SERVICE_PORT}`);
    }

    const modelCachePath = props.modelCachePath ?? '/models';
    const artifacts = wireArtifacts(this, props, {
      model: this.model,
      uriNeedsArtifact: true,
      requireWaiver: (...a) => this._requireWaiver(...a),
      withPolicy,
      user: pod.user,
      group: pod.group,
      modelMountPath: modelCachePath,
      modelVolumeName: 'model-cache',
      modelSize: props.modelCacheSize ?? Size.gibibytes(10),
      modelSizeProp: 'modelCacheSize',
    });
    this.model = artifacts.model!;
    this.modelArtifact = artifacts.modelArtifact;
    this._artifactImages = artifacts.images;

    const labels = recommendedLabels({ name: this.model.name, instance: this.name, version: this.model.version, component: 'model-server', partOf: props.partOf ?? this.model.name }, this);
    const selector = { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'], 'app.kubernetes.io/instance': this.name };
    const annotations = provenanceAnnotations({
      image: this.image,
      model: this.model,
      imageProvenance: props.imageProvenance,
      extra: {
        [LOG_SHIPPING_ANNOTATION]: this._describeShipping(this.logShipping),
        [MODEL_LOAD_TIMEOUT_ANNOTATION]: String(Math.ceil(props.modelLoadTimeout?.toSeconds() ?? WorkloadDefaults.MODEL_LOAD_TIMEOUT_SECONDS)),
        [WAIVERS_ANNOTATION]: this.waivers.length > 0 ? serializeWaivers(this.waivers) : undefined,
        ...validateImageScan(this, 'imageScan', props.imageScan, this.image, this.waivers),
        ...artifacts.annotations,
      },
    });
    requireAnnotationSize(this, 'annotations (model, modelArtifact, imageProvenance, imageScan, waivers)', annotations);
    const metadata = { name: this.name, labels, annotations };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: this.name, labels }, automountServiceAccountToken: false });
    const records = [
      { key: 'model_name', value: this.model.name, prop: 'model.name' },
      { key: 'model_version', value: this.model.version, prop: 'model.version' },
      { key: 'workload', value: this.name, prop: '(construct name)' },
    ];
    const logConfigMapName = this._renderLogConfig(this.logShipping, records, labels);
    const logDir = this.logShipping.logDirectory;
    const spec = renderPodSpec(this, {
      image: this.image,
      serviceAccountName: this.name,
      ...pod,
      readOnlyRootFilesystem: readOnly,
      imagePullPolicy: pullPolicy,
      logShipping: this.logShipping,
      logConfigMapName,
      env: props.env,
      systemEnv: {
        MODEL_NAME: this.model.name,
        MODEL_VERSION: this.model.version,
        ...(this.model.uri ? { MODEL_URI: this.model.uri } : {}),
        ...(this.model.digest ? { MODEL_DIGEST: this.model.digest } : {}),
        MODEL_CACHE_DIR: modelCachePath,
        INFERENCE_LOG_PATH: this.logShipping.mode === LogShippingMode.SIDECAR ? `${logDir}/inference.log` : '/dev/stdout',
      },
      secretEnv: props.secretEnv,
      command: props.command,
      args: props.args,
      ports: [{ name: 'http', containerPort: this.port, protocol: 'TCP' }],
      probes,
      volumes: artifacts.modelArtifact ? artifacts.volumes
        : [{ name: 'model-cache', emptyDir: { sizeLimit: k8s.Quantity.fromString(`${wholeMebibytes(this, 'modelCacheSize', props.modelCacheSize ?? Size.gibibytes(10))}Mi`) } }],
      volumeMounts: artifacts.modelArtifact ? artifacts.mounts : [{ name: 'model-cache', mountPath: modelCachePath }],
      volumeMountProps: ['modelCachePath'],
      extraInitContainers: artifacts.initContainers,
      tmpSize: props.tmpSize ?? Size.gibibytes(1),
      scheduling: spreadAndAntiAffinity(selector),
    });
    const loadSeconds = this.modelLoadSeconds(props);
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      // With an autoscaler the HPA owns the replica count (kube-score: a Deployment targeted by an HPA must not set replicas);
      // Polaris' deploymentMissingReplicas is exempted for that reason, and AVL-1 is checked on the HPA's minReplicas.
      metadata: props.autoscaling
        ? { ...metadata, annotations: { ...annotations, 'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true' } }
        : metadata,
      spec: {
        replicas: props.autoscaling ? undefined : replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        minReadySeconds: 10,
        progressDeadlineSeconds: Math.max(600, loadSeconds + 300),
        revisionHistoryLimit: 10,
        template: { metadata: { labels, annotations }, spec },
      },
    });
    patchNativeSidecar(this.deployment, '/spec/template/spec', this.logShipping);
    patchImageVolumes(this.deployment, '/spec/template/spec', artifacts.imageVolumes);
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: this.name, labels },
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: this.port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }] },
    });
    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name: this.name, labels },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
    if (withPolicy) {
      this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
        metadata: { name: this.name, labels },
        spec: networkPolicySpec({
          // the instance label alone: unique per workload, and Polaris' missingNetworkPolicy wants exactly one matching label
          selector: { 'app.kubernetes.io/instance': this.name },
          ingressPort: this.port,
          ingressFrom: props.allowIngressFrom ?? [NetworkPeer.sameNamespace()],
          egress: [...(props.egress ?? []), ...artifacts.egress],
          dnsPeer: props.dnsPeer ?? defaultDnsPeer(),
          log: this.logShipping.destination && { peer: this.logShipping.destination.peer, port: this.logShipping.destination.port },
        }),
      });
    }
    if (props.autoscaling) {
      this.autoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: { name: this.name, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
          minReplicas: replicas,
          maxReplicas: props.autoscaling.maxReplicas,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.autoscaling.targetCpuUtilizationPercent ?? 70 } } }],
        },
      });
    }
    this._reportReady();
  }

  /**
   * The compliance-report entry of this service: every applicable control with status and evidence read from the rendered
   * manifests (not from props).
   */
  public complianceEntry(): WorkloadReport {
    return this._reportEntry('CompliantModelService', this.deployment, ControlScope.SERVICE, this.model, this.logShipping);
  }

  private resolveReplicas(props: CompliantModelServiceProps): number {
    const a = props.autoscaling;
    const prop = a ? 'autoscaling.minReplicas' : 'replicas';
    const wanted = a ? a.minReplicas ?? WorkloadDefaults.REPLICAS : props.replicas ?? WorkloadDefaults.REPLICAS;
    const replicas = requireInteger(this, prop, wanted, 1, 10000);
    if (replicas < WorkloadDefaults.MIN_REPLICAS) {
      this._requireWaiver('AVL-1', prop, replicas, 'a single replica makes every node failure or rollout an outage');
    }
    if (a) {
      requireInteger(this, 'autoscaling.maxReplicas', a.maxReplicas, 1, 10000);
      if (a.maxReplicas < replicas) {
        throw propError(this, 'autoscaling.maxReplicas', a.maxReplicas, `is below autoscaling.minReplicas (${replicas})`, 'set maxReplicas >= minReplicas');
      }
      requireInteger(this, 'autoscaling.targetCpuUtilizationPercent', a.targetCpuUtilizationPercent ?? 70, 1, 100);
    }
    return replicas;
  }

  /** The model load budget in whole seconds; progressDeadlineSeconds (budget + 300) must stay an int32. */
  private modelLoadSeconds(props: CompliantModelServiceProps): number {
    const timeout: Duration = props.modelLoadTimeout ?? Duration.seconds(WorkloadDefaults.MODEL_LOAD_TIMEOUT_SECONDS);
    return wholeSeconds(this, 'modelLoadTimeout', timeout, 1, INT32_MAX - 300, 'Duration.minutes(10) (at most 68 years: progressDeadlineSeconds is an int32)');
  }

  private renderProbes(props: CompliantModelServiceProps): Pick<k8s.Container, 'startupProbe' | 'livenessProbe' | 'readinessProbe'> {
    const live = props.livenessPath ?? WorkloadDefaults.LIVENESS_PATH;
    const ready = props.readinessPath ?? WorkloadDefaults.READINESS_PATH;
    requireUriPath(this, 'livenessPath', live, WorkloadDefaults.LIVENESS_PATH);
    requireUriPath(this, 'readinessPath', ready, WorkloadDefaults.READINESS_PATH);
    if (live === ready) {
      throw propError(this, 'readinessPath', ready, 'equals livenessPath, so a not-ready server would be restarted instead of drained',
        'use /v2/health/ready (or /v2/models/<name>/ready) for readiness and /v2/health/live for liveness');
    }
    const seconds = this.modelLoadSeconds(props);
    const http = (path: string) => ({ path, port: k8s.IntOrString.fromString('http'), scheme: 'HTTP' });
    return {
      startupProbe: {
        httpGet: http(live),
        periodSeconds: PROBE_PERIOD_SECONDS,
        timeoutSeconds: 5,
        failureThreshold: Math.max(1, Math.ceil(seconds / PROBE_PERIOD_SECONDS)),
      },
      livenessProbe: { httpGet: http(live), periodSeconds: PROBE_PERIOD_SECONDS, timeoutSeconds: 5, failureThreshold: 3 },
      readinessProbe: { httpGet: http(ready), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3, successThreshold: 1 },
    };
  }
}

function spreadAndAntiAffinity(selector: Record<string, string>): Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'> {
  const labelSelector = { matchLabels: selector };
  return {
    topologySpreadConstraints: [KubernetesDefaults.ZONE_TOPOLOGY_KEY, KubernetesDefaults.HOSTNAME_TOPOLOGY_KEY].map((topologyKey) => ({
      maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector,
    })),
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100, podAffinityTerm: { topologyKey: KubernetesDefaults.HOSTNAME_TOPOLOGY_KEY, labelSelector },
        }],
      },
    },
  };
}

