import { Size } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EcsDefaults } from './defaults';
import { stackLogKey } from './shared-network';
import { ImageReference } from '../core/image-reference';

/**
 * The AWS for Fluent Bit image of the FireLens log router, pinned by the digest of its multi-arch index.
 *
 * Source: public.ecr.aws/aws-observability/aws-for-fluent-bit 3.4.15; the same reference and digest are pinned in several
 * public repositories' task definitions and Helm values (found with code search), and match the digest list published on the
 * aws/aws-for-fluent-bit GitHub release of 3.4.15.
 */
export const AWS_FOR_FLUENT_BIT_IMAGE = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.4.15'
  + '@sha256:88e1b56cedb230486afeca6eeb26c5f6bd59c48879d0054d1674d5a58838c607';

/**
 * Options of the `awslogs` driver.
 */
export interface AwsLogsOptions {
  /**
   * How long CloudWatch Logs keeps the logs (LOG-2). Values below 184 days need a LOG-2 waiver.
   *
   * @default RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;

  /**
   * The delivery mode. `BLOCKING` never drops logs (the application waits when CloudWatch Logs is slow); `NON_BLOCKING` keeps
   * the application running and drops logs when the buffer fills. ECS itself defaults to non-blocking since June 2025.
   *
   * @default AwsLogDriverMode.BLOCKING
   */
  readonly mode?: ecs.AwsLogDriverMode;

  /**
   * The buffer of the non-blocking mode.
   *
   * @default - the ECS default (1 MiB); only valid with `AwsLogDriverMode.NON_BLOCKING`
   */
  readonly maxBufferSize?: Size;

  /**
   * The customer-managed key that encrypts the log group (LOG-3).
   *
   * @default - the stack's log key (one per stack, rotation enabled, usable by CloudWatch Logs for this account's log groups of this region only)
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Options of FireLens routing to another destination.
 */
export interface FireLensOptions extends AwsLogsOptions {
  /**
   * The Fluent Bit output options for the application's logs, e.g. `{ Name: 'kinesis_firehose', region: 'eu-central-1',
   * delivery_stream: 'ml-logs' }`. `Name` is required.
   */
  readonly outputOptions: Record<string, string>;

  /**
   * Secret output options (tokens, passwords) from Secrets Manager or SSM Parameter Store.
   *
   * @default - none
   */
  readonly secretOptions?: Record<string, ecs.Secret>;

  /**
   * The Fluent Bit router image.
   *
   * @default - AWS for Fluent Bit 3.4.15, pinned by digest (see `AWS_FOR_FLUENT_BIT_IMAGE`)
   */
  readonly routerImage?: ImageReference;
}

/**
 * How a workload's logs leave the task (LOG-1..3): `awslogs` into a KMS-encrypted log group the construct creates, or
 * FireLens to another destination with the router's own logs in that log group.
 */
export class EcsLogging {
  /**
   * The `awslogs` driver into a log group the construct creates (the default).
   */
  public static awsLogs(options: AwsLogsOptions = {}): EcsLogging {
    return new EcsLogging(false, options);
  }

  /**
   * FireLens: a Fluent Bit router container sends the application's logs to `outputOptions`. FireLens needs the router to run
   * as root (aws/containers-roadmap#2122), so the workload needs a SEC-1 waiver.
   */
  public static fireLens(options: FireLensOptions): EcsLogging {
    return new EcsLogging(true, options);
  }

  /** True for FireLens routing. */
  public readonly fireLensRouting: boolean;
  /** The retention in days. */
  public readonly retentionDays: number;

  private constructor(fireLens: boolean, private readonly options: AwsLogsOptions | FireLensOptions) {
    this.fireLensRouting = fireLens;
    this.retentionDays = options.retention ?? EcsDefaults.LOG_RETENTION_DAYS;
  }

  /** @internal The FireLens options, when routing through FireLens. */
  public get _fireLens(): FireLensOptions | undefined {
    return this.fireLensRouting ? this.options as FireLensOptions : undefined;
  }

  /** @internal The delivery mode. */
  public get _mode(): ecs.AwsLogDriverMode {
    return this.options.mode ?? ecs.AwsLogDriverMode.BLOCKING;
  }

  /** @internal The max buffer size option. */
  public get _maxBufferSize(): Size | undefined {
    return this.options.maxBufferSize;
  }

  /** @internal Creates the encrypted log group (with the stack's log key unless one is given). */
  public _renderLogGroup(scope: Construct): logs.LogGroup {
    const key = this.options.encryptionKey ?? stackLogKey(scope);
    return new logs.LogGroup(scope, 'Logs', { retention: this.retentionDays as logs.RetentionDays, encryptionKey: key });
  }

  /** @internal The log driver of a container writing into `group`. */
  public _driver(group: logs.ILogGroup, streamPrefix: string): ecs.LogDriver {
    if (this.fireLensRouting) {
      const f = this.options as FireLensOptions;
      return ecs.LogDrivers.firelens({ options: f.outputOptions, secretOptions: f.secretOptions });
    }
    return this._awsLogs(group, streamPrefix);
  }

  /** @internal The awslogs driver (also used by the FireLens router for its own logs). */
  public _awsLogs(group: logs.ILogGroup, streamPrefix: string): ecs.LogDriver {
    return ecs.LogDrivers.awsLogs({ logGroup: group, streamPrefix, mode: this._mode, maxBufferSize: this._maxBufferSize });
  }
}
