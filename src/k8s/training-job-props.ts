import { Duration, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import * as kplus from 'cdk8s-plus-27';
import { ModelArtifactOptions } from './artifact-props';
import { LogShipping } from './log-shipping';
import { EgressRule, NetworkPeer } from './network';
import { WorkloadPodOptions } from './pod-options';
import { SecretKeyReference } from './pod-template';
import { ImageReference } from '../core/image-reference';
import { DatasetArtifact } from '../core/model-artifact';
import { DatasetMetadata, ImageProvenance, ModelMetadata } from '../core/provenance';
import { Waiver } from '../core/waiver';

/**
 * A dataset volume mounted read-only into the trainer: a PersistentVolumeClaim or a CSI volume (e.g. an S3 or GCS CSI driver).
 */
export interface DatasetClaim {
  /**
   * The claim's name in the job's namespace. Give exactly one of `claimName` and `csi`.
   *
   * @default - none; `csi` must be given
   */
  readonly claimName?: string;

  /**
   * An inline CSI volume; it is mounted read-only whatever its `readOnly` says.
   *
   * @default - none; `claimName` must be given
   */
  readonly csi?: k8s.CsiVolumeSource;

  /**
   * Where the dataset is mounted.
   */
  readonly mountPath: string;
}

/**
 * Properties for `CompliantTrainingJob` (Kubernetes).
 */
export interface CompliantTrainingJobProps extends WorkloadPodOptions, ModelArtifactOptions {
  /**
   * The datasets the job reads, pinned by digest and verified before the trainer starts (control MOD-1): dataset n is fetched and
   * verified by the init container `dataset-verifier-<n>` into an `emptyDir` mounted read-only at `/datasets/<n>`, announced as
   * `DATASET_<n>_DIR` and `DATASET_<n>_DIGEST`.
   *
   * @default - none
   */
  readonly datasetArtifacts?: DatasetArtifact[];

  /**
   * The size limit of each verified artifact's `emptyDir` (the base model's and each dataset's).
   *
   * @default Size.gibibytes(20)
   */
  readonly artifactCacheSize?: Size;

  /** The trainer image, pinned by digest. */
  readonly image: ImageReference;

  /**
   * The name of the job's Kubernetes objects (Job or CronJob, ServiceAccount, NetworkPolicy) and their
   * `app.kubernetes.io/instance` label: a DNS-1035 label (lowercase letters, digits and '-', starting with a letter) of at
   * most 63 characters, or 52 with a `schedule` (the CronJob controller appends 11 characters to name its Jobs). The
   * log-shipping ConfigMap is named `<name>-logs-<8 hex of its content>`.
   *
   * @default - the construct path (chart id, then construct ids) in lowercase joined by '-', cut to 54 characters (43 with a
   * `schedule`), then '-' and 8 hex characters of a hash of the path; the path alone (cut to 63, or 52) when the chart sets
   * `disableResourceNameHashes`
   */
  readonly name?: string;

  /**
   * The model the job trains.
   *
   * @default - no model recorded
   */
  readonly model?: ModelMetadata;

  /**
   * The datasets the job reads (provenance annotations).
   *
   * @default - none recorded
   */
  readonly datasets?: DatasetMetadata[];

  /**
   * The source revision of the training code (annotation and `CODE_REVISION`).
   *
   * @default - not recorded
   */
  readonly codeRevision?: string;

  /**
   * A run ID for this training run (Art. 12(2)(a)); exposed as `RUN_ID`.
   *
   * @default - the object name; Kubernetes adds the Job's UID at run time
   */
  readonly runId?: string;

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
   * Plain environment variables; secret-like names are refused (SEC-9).
   *
   * @default - none
   */
  readonly env?: Record<string, string>;

  /**
   * Environment variables from Kubernetes Secrets.
   *
   * @default - none
   */
  readonly secretEnv?: Record<string, SecretKeyReference>;

  /**
   * Retries of failed pods (JOB-1).
   *
   * @default 3
   */
  readonly backoffLimit?: number;

  /**
   * Hard wall-clock limit of the whole job (JOB-2).
   *
   * @default Duration.hours(24)
   */
  readonly activeDeadline?: Duration;

  /**
   * How long the finished Job object is kept (JOB-3); at least `evidenceHarvestWindow`.
   *
   * @default Duration.days(7)
   */
  readonly ttlAfterFinished?: Duration;

  /**
   * How long evidence collection needs the finished Job object; `ttlAfterFinished` may not be shorter.
   *
   * @default Duration.days(1)
   */
  readonly evidenceHarvestWindow?: Duration;

  /**
   * Exit codes of the trainer that fail the job at once instead of retrying (podFailurePolicy `FailJob`).
   *
   * @default [2, 126, 127] (usage error, not executable, command not found)
   */
  readonly nonRetryableExitCodes?: number[];

  /**
   * Cron schedule (five fields or a macro such as `@daily`); turns the Job into a CronJob with `concurrencyPolicy: Forbid`.
   *
   * @default - a one-off Job
   */
  readonly schedule?: string;

  /**
   * How late a scheduled run may start before it is skipped (CronJob only).
   *
   * @default Duration.minutes(10)
   */
  readonly startingDeadline?: Duration;

  /**
   * Pods running at once.
   *
   * @default 1
   */
  readonly parallelism?: number;

  /**
   * Completions; when set, the Job runs in `Indexed` mode (one index per worker).
   *
   * @default - one completion, NonIndexed
   */
  readonly completions?: number;

  /**
   * Requests and limits of the trainer.
   *
   * @default - cpu 2/4, memory 8Gi/8Gi, ephemeral storage 10Gi/20Gi
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Datasets mounted read-only from PersistentVolumeClaims.
   *
   * @default - none
   */
  readonly datasetClaims?: DatasetClaim[];

  /**
   * A PersistentVolumeClaim for checkpoints and outputs, mounted at `/checkpoints` (`CHECKPOINT_DIR`). A retried pod finds its
   * predecessor's checkpoints there and resumes (`RESUME_FROM_CHECKPOINT=true`).
   *
   * @default - an `emptyDir` of `checkpointSize`, which does not survive a pod retry
   */
  readonly checkpointClaimName?: string;

  /**
   * Size of the checkpoint `emptyDir` when no claim is given.
   *
   * @default Size.gibibytes(20)
   */
  readonly checkpointSize?: Size;

  /**
   * Size of `/tmp`.
   *
   * @default Size.gibibytes(1)
   */
  readonly tmpSize?: Size;

  /**
   * How logs leave the pod.
   *
   * @default - a Fluent Bit sidecar shipping the files of `$LOG_DIR` over Fluent Forward (plaintext) to
   * `log-aggregator.logging.svc:24224`, an assumed receiver that must exist and keep the logs >= 184 days (LOG-2), encrypted
   * with access control (LOG-3); stdout/stderr are left to a node agent (LOG-1 `external` for them)
   */
  readonly logShipping?: LogShipping;

  /**
   * Egress besides DNS, the log destination and the pods of the same job (which may always reach each other, for the
   * rendezvous of distributed training; nothing else can connect to the job's pods).
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
   * Render the NetworkPolicy; `false` needs a NET-1 waiver.
   *
   * @default true
   */
  readonly networkPolicy?: boolean;

  /**
   * `app.kubernetes.io/part-of`.
   *
   * @default - the model name, else the construct id
   */
  readonly partOf?: string;

  /**
   * OCI provenance of the image (IMG-4).
   *
   * @default - not recorded
   */
  readonly imageProvenance?: ImageProvenance;

  /**
   * Waivers.
   *
   * @default - none
   */
  readonly waivers?: Waiver[];
}
