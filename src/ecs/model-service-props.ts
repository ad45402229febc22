import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EcsWorkloadProps } from './workload-props';
import { ModelArtifact } from '../core/model-artifact';
import { ModelMetadata } from '../core/provenance';

/**
 * An internal Application Load Balancer in front of the service.
 */
export interface InternalLoadBalancerOptions {
  /**
   * The certificate of an HTTPS listener on port 443.
   *
   * @default - an HTTP listener on port 80 (traffic stays inside the VPC; reported in the PRB-1/NET-1 evidence)
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The bucket that receives the access logs (Art. 12 request records at the edge).
   *
   * @default - a new SSL-only, non-public bucket with S3-managed encryption that keeps logs 365 days
   */
  readonly accessLogBucket?: s3.IBucket;

  /**
   * Who may reach the load balancer.
   *
   * @default - the IPv4 CIDR of the VPC
   */
  readonly allowedPeers?: ec2.IPeer[];
}

/**
 * Target-tracking auto scaling of the service.
 */
export interface EcsServiceAutoscaling {
  /**
   * The fewest tasks (AVL-1: at least 2 without a waiver).
   *
   * @default - the `replicas` value
   */
  readonly minCapacity?: number;

  /**
   * The most tasks.
   */
  readonly maxCapacity: number;

  /**
   * The average CPU utilization to keep, in percent.
   *
   * @default 70
   */
  readonly targetCpuUtilizationPercent?: number;
}

/**
 * Props of `ecs.CompliantModelService`.
 */
export interface CompliantModelServiceProps extends EcsWorkloadProps {
  /**
   * The model the service serves (META-2: docker labels and tags).
   */
  readonly model: ModelMetadata;

  /**
   * The model weights as a pinned input (MOD-1): a non-essential verifier container fetches them (`s3://` with the AWS CLI,
   * `https://` with curl, or the digest-pinned modelcar image of `ModelArtifact.fromOci`), checks the sha256 of the file or of
   * the manifest of its files, and writes them into a task volume that the server mounts read-only at `modelCachePath`
   * (`MODEL_DIR` = `<modelCachePath>/model`, `MODEL_DIGEST` = the digest); the server depends on it with condition SUCCESS,
   * so it never starts with unverified weights. The task role may read the object (or the directory's prefix) and nothing
   * else. `gs://` and `ModelArtifact.fromVolumeClaim` are refused on ECS.
   *
   * @default - no verified model; `model.uri` then needs a MOD-1 waiver, and MOD-1 is external (weights in the image)
   */
  readonly modelArtifact?: ModelArtifact;

  /**
   * The container port of the inference server.
   *
   * @default 8080
   */
  readonly port?: number;

  /**
   * The desired task count (AVL-1: fewer than 2 needs a waiver).
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * The worst-case time to load the model. The container health check's start period plus its retries cover it, and the
   * load balancer's health-check grace period equals it (PRB-1).
   *
   * @default Duration.minutes(10)
   */
  readonly modelLoadTimeout?: Duration;

  /**
   * The liveness path of the container health check.
   *
   * @default '/v2/health/live'
   */
  readonly livenessPath?: string;

  /**
   * The readiness path of the load balancer's target group health check.
   *
   * @default '/v2/health/ready'
   */
  readonly readinessPath?: string;

  /**
   * The container health-check command. The image must contain the tool it runs.
   *
   * @default ['CMD', 'curl', '-fsS', '--max-time', '4', 'http://127.0.0.1:<port><livenessPath>'] (the exec form: the URL is one argument, never shell text)
   */
  readonly healthCheckCommand?: string[];

  /**
   * An internal Application Load Balancer in front of the service.
   *
   * @default - no load balancer; reach the service through service discovery or your own load balancer
   */
  readonly loadBalancer?: InternalLoadBalancerOptions;

  /**
   * Target-tracking auto scaling.
   *
   * @default - a fixed task count
   */
  readonly autoscaling?: EcsServiceAutoscaling;

  /**
   * Where the model cache is mounted: writable, or with `modelArtifact` the verified model's volume, read-only.
   *
   * @default '/models'
   */
  readonly modelCachePath?: string;

  /**
   * Keep the root filesystem read-only (SEC-5). `false` needs a SEC-5 waiver.
   *
   * @default true
   */
  readonly readonlyRootFilesystem?: boolean;
}
