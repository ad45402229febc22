/**
 * Amazon ECS facts the constructs of this submodule rely on.
 */
export class EcsDefaults {
  /** The container `user` (SEC-1): numeric UID:GID, never root. */
  public static readonly USER = '10001:10001';
  /** The CloudWatch Logs retention in days (LOG-2): the first allowed value that covers six calendar months. */
  public static readonly LOG_RETENTION_DAYS = 365;
  /** Fargate task CPU units of a model service. */
  public static readonly CPU = 1024;
  /** Fargate task memory in MiB of a model service. */
  public static readonly MEMORY_MIB = 4096;
  /** Fargate task CPU units of a training job. */
  public static readonly JOB_CPU = 4096;
  /** Fargate task memory in MiB of a training job. */
  public static readonly JOB_MEMORY_MIB = 16384;
  /** Retries of a failed training task (JOB-1): with the first attempt, at most three runs. */
  public static readonly JOB_RETRIES = 2;
  /** Seconds before the first retry of a failed training task (JOB-1); each further retry waits `JOB_BACKOFF_RATE` times longer. */
  public static readonly JOB_RETRY_INTERVAL_SECONDS = 60;
  /** The factor by which the wait grows between retries (JOB-1). */
  public static readonly JOB_BACKOFF_RATE = 2;
  /** The most retries a training job may have (JOB-1 asks for a bounded count). */
  public static readonly MAX_JOB_RETRIES = 10;
  /** The longest a Step Functions standard workflow execution may run, in seconds (one year). */
  public static readonly MAX_EXECUTION_SECONDS = 31536000;
  /** The most ephemeral storage Fargate offers, in GiB. */
  public static readonly MAX_EPHEMERAL_STORAGE_GIB = 200;

  private constructor() {}
}
