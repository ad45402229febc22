/**
 * The secure defaults every backend applies, in one place so that both backends and the report agree on them.
 */
export class WorkloadDefaults {
  /** The UID and GID workloads run as (SEC-1); kube-score asks for >= 10000. */
  public static readonly RUN_AS_USER = 10001;
  /** The lowest UID or GID a prop may set (SEC-1). */
  public static readonly MIN_USER_ID = 10000;
  /** The serving port (MLServer and most OIP servers listen on 8080). */
  public static readonly SERVICE_PORT = 8080;
  /** The replica count of a service (AVL-1). */
  public static readonly REPLICAS = 2;
  /** The lowest replica count without an AVL-1 waiver. */
  public static readonly MIN_REPLICAS = 2;
  /** Open Inference Protocol server liveness path (PRB-1). */
  public static readonly LIVENESS_PATH = '/v2/health/live';
  /** Open Inference Protocol server readiness path (PRB-1). */
  public static readonly READINESS_PATH = '/v2/health/ready';
  /** Budget for loading a model before liveness applies, in seconds (PRB-1): 10 minutes. */
  public static readonly MODEL_LOAD_TIMEOUT_SECONDS = 600;
  /** Wall-clock timeout of a training job, in seconds (JOB-2): 24 hours. */
  public static readonly JOB_TIMEOUT_SECONDS = 86400;
  /** Retries of a failed training job (JOB-1). */
  public static readonly JOB_RETRIES = 3;
  /** How long a finished Kubernetes Job is kept for evidence collection, in seconds (JOB-3): 7 days. */
  public static readonly JOB_TTL_SECONDS = 604800;
  /** Log retention in days (LOG-2): the smallest CloudWatch value that covers six calendar months. */
  public static readonly LOG_RETENTION_DAYS = 365;
  /** The floor for log retention in days without a LOG-2 waiver: six calendar months can last 184 days. */
  public static readonly LOG_RETENTION_FLOOR_DAYS = 184;

  private constructor() {}
}
