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
  /** The most ephemeral storage Fargate offers, in GiB. */
  public static readonly MAX_EPHEMERAL_STORAGE_GIB = 200;

  private constructor() {}
}
