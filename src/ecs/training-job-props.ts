import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EcsWorkloadProps } from './workload-props';
import { DatasetArtifact, ModelArtifact } from '../core/model-artifact';
import { DatasetMetadata, ModelMetadata } from '../core/provenance';

/**
 * Props of `ecs.CompliantTrainingJob`.
 *
 * The size defaults differ from the service: 4096 CPU units and 16384 MiB of memory.
 */
export interface CompliantTrainingJobProps extends EcsWorkloadProps {
  /**
   * The model the job trains (META-2: docker labels and tags).
   *
   * @default - no model recorded; META-2 is then reported as violated unless waived
   */
  readonly model?: ModelMetadata;

  /**
   * The datasets the job reads (provenance docker labels).
   *
   * @default - none recorded
   */
  readonly datasets?: DatasetMetadata[];

  /**
   * The base model a fine-tuning job starts from, as a pinned input (MOD-1): verified by a non-essential container before the
   * trainer starts (which depends on it with condition SUCCESS) and mounted read-only at `/models` (`MODEL_DIR` =
   * `/models/model`, `MODEL_DIGEST` = the digest). `gs://` and `ModelArtifact.fromVolumeClaim` are refused on ECS.
   *
   * @default - no base model is fetched by the construct
   */
  readonly modelArtifact?: ModelArtifact;

  /**
   * The datasets as pinned inputs (MOD-1): each verified by its own non-essential container before the trainer starts, and
   * mounted read-only at `/datasets/<i>` (`DATASET_<i>_DIR` = `/datasets/<i>/data`, `DATASET_<i>_DIGEST` = the digest). The task
   * role may read each object (or directory prefix) and nothing else; use `datasetBuckets` for data the job reads itself.
   *
   * @default - none
   */
  readonly datasetArtifacts?: DatasetArtifact[];

  /**
   * The source revision of the training code (docker label and `CODE_REVISION`).
   *
   * @default - not recorded
   */
  readonly codeRevision?: string;

  /**
   * The container command.
   *
   * @default - the image's entrypoint and command
   */
  readonly command?: string[];

  /**
   * The wall-clock limit of one attempt (JOB-2): the Step Functions task times out and stops the ECS task. The whole execution
   * is bounded too, by the attempts, their backoff and a margin for the failure signal.
   *
   * @default Duration.hours(24)
   */
  readonly timeout?: Duration;

  /**
   * Retries of a failed task run (JOB-1), 0..10. A timed-out attempt is not retried: it would hit the same limit again.
   *
   * @default 2
   */
  readonly retries?: number;

  /**
   * The wait before the first retry (JOB-1).
   *
   * @default Duration.minutes(1)
   */
  readonly retryInterval?: Duration;

  /**
   * The factor by which the wait grows from one retry to the next (1..10).
   *
   * @default 2
   */
  readonly backoffRate?: number;

  /**
   * Where the writable checkpoint directory is mounted (`CHECKPOINT_DIR`); the root filesystem is read-only (SEC-5). On Fargate
   * it lives in the task's ephemeral storage and does not survive a retry: write checkpoints you want to resume from to the
   * artifact bucket.
   *
   * @default '/checkpoints'
   */
  readonly checkpointPath?: string;

  /**
   * Buckets the task may read datasets from (`s3:GetObject`, `s3:ListBucket`, and `kms:Decrypt` on their key). The task role
   * gets no other S3 access (SEC-8).
   *
   * @default - no dataset bucket access
   */
  readonly datasetBuckets?: s3.IBucket[];

  /**
   * The bucket the task writes models, metrics and checkpoints to (`s3:PutObject`, `s3:GetObject`, `s3:ListBucket`,
   * `s3:AbortMultipartUpload`, and `kms:GenerateDataKey`/`kms:Decrypt` on its key). Exposed as `ARTIFACT_BUCKET`.
   *
   * @default - no artifact bucket access
   */
  readonly artifactBucket?: s3.IBucket;

  /**
   * The topic the state machine publishes to when a run finally fails (after its retries, or on timeout). Subscribe to it for
   * alerts; `onFailure()` offers the same signal as an EventBridge rule.
   *
   * @default - a new topic encrypted with a new customer-managed key, publishing over TLS only
   */
  readonly failureTopic?: sns.ITopic;

  /**
   * Start runs on a schedule with EventBridge Scheduler, e.g. `ScheduleExpression.cron({ minute: '0', hour: '3' })` or
   * `ScheduleExpression.rate(Duration.days(7))`. Expressions given as text are checked: `rate(<n> <unit>)` with n >= 1,
   * `cron(...)` with six fields, or `at(yyyy-mm-ddThh:mm:ss)`.
   *
   * @default - no schedule; start executions yourself
   */
  readonly schedule?: scheduler.ScheduleExpression;

  /**
   * X-Ray tracing of the state machine (AwsSolutions-SF2). Turning it off is acknowledged in the report with its reason.
   *
   * @default true
   */
  readonly tracing?: boolean;
}
