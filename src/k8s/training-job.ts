import { ApiObject, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { patchImageVolumes } from './artifact-verifier';
import { wireArtifacts } from './artifact-wiring';
import { LogShipping } from './log-shipping';
import { ANNOTATION_PREFIX, LOG_SHIPPING_ANNOTATION, provenanceAnnotations, recommendedLabels, WAIVERS_ANNOTATION } from './metadata';
import { networkPolicySpec } from './network';
import { patchNativeSidecar, renderPodSpec } from './pod-template';
import { sharedPodOptions } from './resources';
import { CompliantTrainingJobProps } from './training-job-props';
import { defaultDnsPeer, defaultLogShipping, K8sWorkloadBase } from './workload-base';
import { ControlScope } from '../compliance/control';
import { WorkloadReport } from '../compliance/report-model';
import { INT32_MAX, requireAnnotationSize, sortedUniqueIntegers, wholeMebibytes, wholeSeconds } from '../core/bounds';
import { validateKubernetesSchedule } from '../core/cron';
import { WorkloadDefaults } from '../core/defaults';
import { propError, requireInteger } from '../core/errors';
import { DatasetArtifact, ModelArtifact } from '../core/model-artifact';
import { serializeWaivers } from '../core/output-waivers';
import { DatasetMetadata, ModelMetadata } from '../core/provenance';
import { validateDatasetMetadata, validateImageProvenance, validateModelMetadata } from '../core/provenance-validation';
import { validateImageScan } from '../core/scan-validation';

const DEFAULT_RESOURCES: Required<kplus.ContainerResources> = {
  cpu: { request: kplus.Cpu.units(2), limit: kplus.Cpu.units(4) },
  memory: { request: Size.gibibytes(8), limit: Size.gibibytes(8) },
  ephemeralStorage: { request: Size.gibibytes(10), limit: Size.gibibytes(20) },
};
const CHECKPOINT_DIR = '/checkpoints';
/** Where the verified base model of a fine-tuning job is mounted (read-only). */
const BASE_MODEL_DIR = '/models';

/**
 * Kubernetes (cdk8s): a bounded, retried, evidence-preserving training run: a batch/v1 Job (or a CronJob with `schedule`) with
 * `restartPolicy: Never`, `backoffLimit`, `activeDeadlineSeconds`, `ttlSecondsAfterFinished`, a podFailurePolicy that ignores
 * node disruptions and fails fast on non-retryable exit codes, the same pod hardening as the model service, and a log shipper
 * that runs as a native sidecar so it never keeps a finished Job alive.
 *
 * Define it inside a cdk8s `Chart` (directly or below constructs in one): its objects are rendered into that chart's
 * manifest.
 */
export class CompliantTrainingJob extends K8sWorkloadBase {
  /** The Job (one-off runs). */
  public readonly job?: k8s.KubeJob;
  /** The CronJob (scheduled runs). */
  public readonly cronJob?: k8s.KubeCronJob;
  /** The NetworkPolicy, unless waived. */
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;
  /** The dedicated ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The model trained, when given. */
  public readonly model?: ModelMetadata;
  /** The pinned base model the job fine-tunes (MOD-1), when given; mounted read-only at `/models`. */
  public readonly modelArtifact?: ModelArtifact;
  /** The pinned datasets (MOD-1); dataset n is mounted read-only at `/datasets/<n>`. */
  public readonly datasetArtifacts: DatasetArtifact[];
  /** How logs leave the pods. */
  public readonly logShipping: LogShipping;
  private readonly workload: ApiObject;
  private readonly harvestSeconds: number;

  /**
   * Defines the construct and validates its props.
   *
   * @param scope a construct inside a cdk8s `Chart` (the chart itself or a construct below it); outside a chart the constructor throws
   * @param id the construct id, unique within `scope`
   * @param props the construct's settings
   */
  constructor(scope: Construct, id: string, props: CompliantTrainingJobProps) {
    super(scope, id, props.image, props.waivers, ControlScope.JOB, props?.schedule !== undefined ? ['CronJob', 'Job'] : ['Job'], props?.name);
    this.model = props.model ? validateModelMetadata(this, 'model', props.model) : undefined;
    const datasets: DatasetMetadata[] = (props.datasets ?? []).map((d, i) => validateDatasetMetadata(this, `datasets[${i}]`, d));
    if (props.imageProvenance) {
      validateImageProvenance(this, 'imageProvenance', props.imageProvenance);
    }
    const pod = sharedPodOptions(this, props, DEFAULT_RESOURCES);
    const backoffLimit = requireInteger(this, 'backoffLimit', props.backoffLimit ?? WorkloadDefaults.JOB_RETRIES, 0, 100);
    const deadline = positiveSeconds(this, 'activeDeadline', props.activeDeadline ?? Duration.seconds(WorkloadDefaults.JOB_TIMEOUT_SECONDS));
    const ttl = positiveSeconds(this, 'ttlAfterFinished', props.ttlAfterFinished ?? Duration.seconds(WorkloadDefaults.JOB_TTL_SECONDS));
    this.harvestSeconds = positiveSeconds(this, 'evidenceHarvestWindow', props.evidenceHarvestWindow ?? Duration.days(1));
    if (ttl < this.harvestSeconds) {
      throw propError(this, 'ttlAfterFinished', `${ttl}s`, `is shorter than evidenceHarvestWindow (${this.harvestSeconds}s), so the Job would be deleted before its evidence is collected (JOB-3)`,
        'keep the finished Job at least as long as the harvest window');
    }
    // the API server wants onExitCodes.values sorted and unique, 1..255 with operator In (0 is success)
    const codes = sortedUniqueIntegers(this, 'nonRetryableExitCodes', props.nonRetryableExitCodes ?? [2, 126, 127], 1, 255);
    const parallelism = props.parallelism === undefined ? undefined : requireInteger(this, 'parallelism', props.parallelism, 1, 10000);
    const completions = props.completions === undefined ? undefined : requireInteger(this, 'completions', props.completions, 1, 100000);
    if (props.schedule !== undefined) {
      validateKubernetesSchedule(this, 'schedule', props.schedule);
    }
    const withPolicy = props.networkPolicy ?? true;
    if (!withPolicy) {
      this._requireWaiver('NET-1', 'networkPolicy', false, 'without a NetworkPolicy the trainer can reach and be reached by every pod');
    }
    this.logShipping = props.logShipping ?? defaultLogShipping();

    const artifacts = wireArtifacts(this, props, {
      model: undefined,
      uriNeedsArtifact: false,
      requireWaiver: (...a) => this._requireWaiver(...a),
      withPolicy,
      user: pod.user,
      group: pod.group,
      modelMountPath: BASE_MODEL_DIR,
      modelVolumeName: 'base-model',
      modelSize: props.artifactCacheSize ?? Size.gibibytes(20),
      modelSizeProp: 'artifactCacheSize',
      datasetSize: props.artifactCacheSize,
    });
    this.modelArtifact = artifacts.modelArtifact;
    this.datasetArtifacts = artifacts.datasetArtifacts;
    this._artifactImages = artifacts.images;
    const runId = props.runId ?? this.name;
    const labels = recommendedLabels({
      name: this.model?.name ?? id,
      instance: this.name,
      version: this.model?.version ?? props.codeRevision ?? 'unversioned',
      component: 'training-job',
      partOf: props.partOf ?? this.model?.name ?? id,
    }, this, {
      name: this.model ? 'model.name' : 'id (the construct id names the job without a model)',
      version: this.model ? 'model.version' : 'codeRevision',
      partOf: props.partOf !== undefined || !this.model ? 'partOf' : 'model.name',
    });
    const annotations = provenanceAnnotations({
      image: this.image,
      model: this.model,
      datasets,
      imageProvenance: props.imageProvenance,
      extra: {
        [`run.${ANNOTATION_PREFIX}/id`]: runId,
        [`run.${ANNOTATION_PREFIX}/code-revision`]: props.codeRevision,
        [LOG_SHIPPING_ANNOTATION]: this._describeShipping(this.logShipping),
        [WAIVERS_ANNOTATION]: this.waivers.length > 0 ? serializeWaivers(this.waivers) : undefined,
        ...validateImageScan(this, 'imageScan', props.imageScan, this.image, this.waivers),
        ...artifacts.annotations,
      },
    });
    requireAnnotationSize(this, 'annotations (model, datasets, runId, codeRevision, imageProvenance, imageScan, waivers)', annotations);
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: this.name, labels }, automountServiceAccountToken: false });
    const logConfigMapName = this._renderLogConfig(this.logShipping, [
      { key: 'run_id', value: runId, prop: 'runId' },
      { key: 'workload', value: this.name, prop: '(construct name)' },
    ], labels);
    const checkpoint: k8s.Volume = props.checkpointClaimName
      ? { name: 'checkpoints', persistentVolumeClaim: { claimName: props.checkpointClaimName } }
      : { name: 'checkpoints', emptyDir: { sizeLimit: k8s.Quantity.fromString(`${wholeMebibytes(this, 'checkpointSize', props.checkpointSize ?? Size.gibibytes(20))}Mi`) } };
    const datasetClaims = props.datasetClaims ?? [];
    datasetClaims.forEach((d, i) => {
      if (!/^\/[A-Za-z0-9._/-]+$/.test(d.mountPath) || d.mountPath === '/tmp' || d.mountPath === CHECKPOINT_DIR) {
        throw propError(this, `datasetClaims[${i}].mountPath`, d.mountPath, 'must be an absolute path other than /tmp and /checkpoints', 'e.g. /data/train');
      }
      if ((d?.claimName === undefined) === (d?.csi === undefined)) {
        throw propError(this, `datasetClaims[${i}]`, d, 'needs exactly one of claimName and csi', 'name a PersistentVolumeClaim or give a CSI volume source');
      }
    });
    const spec = renderPodSpec(this, {
      image: this.image,
      serviceAccountName: this.name,
      ...pod,
      readOnlyRootFilesystem: true,
      imagePullPolicy: 'Always',
      logShipping: this.logShipping,
      logConfigMapName,
      env: props.env,
      systemEnv: {
        RUN_ID: runId,
        CHECKPOINT_DIR,
        RESUME_FROM_CHECKPOINT: 'true',
        ...(props.codeRevision ? { CODE_REVISION: props.codeRevision } : {}),
        ...(this.model ? { MODEL_NAME: this.model.name, MODEL_VERSION: this.model.version } : {}),
        ...(this.modelArtifact ? { MODEL_DIR: BASE_MODEL_DIR, MODEL_DIGEST: this.modelArtifact.digest } : {}),
        ...Object.fromEntries(this.datasetArtifacts.flatMap((d, i) => [[`DATASET_${i}_DIR`, `/datasets/${i}`], [`DATASET_${i}_DIGEST`, d.digest]])),
      },
      secretEnv: props.secretEnv,
      command: props.command,
      args: props.args,
      volumes: [checkpoint, ...datasetClaims.map((d, i): k8s.Volume => (d.csi
        ? { name: `dataset-${i}`, csi: { ...d.csi, readOnly: true } }
        : { name: `dataset-${i}`, persistentVolumeClaim: { claimName: d.claimName!, readOnly: true } })), ...artifacts.volumes],
      volumeMounts: [
        { name: 'checkpoints', mountPath: CHECKPOINT_DIR },
        ...datasetClaims.map((d, i) => ({ name: `dataset-${i}`, mountPath: d.mountPath, readOnly: true })),
        ...artifacts.mounts,
      ],
      volumeMountProps: ['checkpoints (the construct\'s /checkpoints)', ...datasetClaims.map((_d, i) => `datasetClaims[${i}].mountPath`), ...artifacts.mountProps],
      extraInitContainers: artifacts.initContainers,
      tmpSize: props.tmpSize ?? Size.gibibytes(1),
      restartPolicy: 'Never',
    });
    const jobSpec: k8s.JobSpec = {
      backoffLimit,
      activeDeadlineSeconds: deadline,
      ttlSecondsAfterFinished: ttl,
      parallelism,
      completions,
      completionMode: completions !== undefined ? 'Indexed' : undefined,
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          ...(codes.length > 0 ? [{ action: 'FailJob', onPodConditions: [], onExitCodes: { containerName: 'main', operator: 'In', values: codes } }] : []),
        ],
      },
      template: { metadata: { labels, annotations }, spec },
    };
    const metadata = { name: this.name, labels, annotations };
    if (props.schedule !== undefined) {
      this.cronJob = new k8s.KubeCronJob(this, 'CronJob', {
        metadata,
        spec: {
          schedule: props.schedule,
          concurrencyPolicy: 'Forbid',
          startingDeadlineSeconds: wholeSeconds(this, 'startingDeadline', props.startingDeadline ?? Duration.minutes(10), 10, 86400, 'Duration.minutes(10)'),
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: { metadata: { labels, annotations }, spec: jobSpec },
        },
      });
      this.workload = this.cronJob;
      patchNativeSidecar(this.cronJob, '/spec/jobTemplate/spec/template/spec', this.logShipping);
      patchImageVolumes(this.cronJob, '/spec/jobTemplate/spec/template/spec', artifacts.imageVolumes);
    } else {
      this.job = new k8s.KubeJob(this, 'Job', { metadata, spec: jobSpec });
      this.workload = this.job;
      patchNativeSidecar(this.job, '/spec/template/spec', this.logShipping);
      patchImageVolumes(this.job, '/spec/template/spec', artifacts.imageVolumes);
    }
    if (withPolicy) {
      this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
        metadata: { name: this.name, labels },
        spec: networkPolicySpec({
          selector: { 'app.kubernetes.io/instance': this.name },
          ingressFrom: [],
          egress: [...(props.egress ?? []), ...artifacts.egress],
          dnsPeer: props.dnsPeer ?? defaultDnsPeer(),
          log: this.logShipping.destination && { peer: this.logShipping.destination.peer, port: this.logShipping.destination.port },
          // the pods of one job may reach each other (distributed training rendezvous, e.g. torchrun/NCCL); nothing else gets in
          amongSelf: true,
        }),
      });
    }
    this._reportReady();
  }

  /**
   * The compliance-report entry of this job, with evidence read from the rendered manifests.
   */
  public complianceEntry(): WorkloadReport {
    return this._reportEntry('CompliantTrainingJob', this.workload, ControlScope.JOB, this.model, this.logShipping, this.harvestSeconds);
  }
}

/** A positive whole number of seconds that fits the Job's int32 fields (activeDeadlineSeconds, ttlSecondsAfterFinished). */
function positiveSeconds(scope: Construct, prop: string, d: Duration): number {
  return wholeSeconds(scope, prop, d, 1, INT32_MAX, 'Duration.hours(24) (at most 68 years: the field is an int32)');
}
