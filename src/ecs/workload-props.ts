import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EcsLogging } from './logging';
import { ImageReference } from '../core/image-reference';
import { ImageProvenance } from '../core/provenance';
import { ImageScan } from '../core/scan-report';
import { Waiver } from '../core/waiver';

/**
 * What both ECS constructs accept: the image, where it runs, its size, its identity and its logging.
 */
export interface EcsWorkloadProps {
  /**
   * The container image, pinned by digest (IMG-1). A name part may be a token, e.g.
   * `ImageReference.fromNameAndDigest(repo.repositoryUri, 'sha256:…')`.
   */
  readonly image: ImageReference;

  /**
   * The ECR repository the image comes from: the execution role gets pull rights on this repository only.
   *
   * @default - pull rights are derived from the image when its registry is a literal ECR host; other registries need none
   */
  readonly repository?: ecr.IRepository;

  /**
   * The cluster to run in.
   *
   * @default - the stack's shared network `CompliantMlNetwork` (one per stack, shared by every construct of this library
   * without a cluster): a VPC in two availability zones with a NAT gateway per zone, private task subnets and flow logs, and a
   * Fargate cluster with Container Insights
   */
  readonly cluster?: ecs.ICluster;

  /**
   * The subnets of the tasks.
   *
   * @default - the private subnets of the cluster's VPC
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Capacity provider strategies; needed for GPUs, which only EC2 capacity offers.
   *
   * @default - Fargate
   */
  readonly capacityProviderStrategies?: ecs.CapacityProviderStrategy[];

  /**
   * GPUs for the main container. Needs EC2 capacity with GPU instances: a cluster with EC2 capacity or an EC2
   * capacity provider in `capacityProviderStrategies` (Fargate has no GPUs).
   *
   * @default 0
   */
  readonly gpuCount?: number;

  /**
   * Task CPU units (a valid Fargate CPU/memory pair).
   *
   * @default 1024 for services, 4096 for training jobs
   */
  readonly cpu?: number;

  /**
   * Task memory in MiB (a valid Fargate CPU/memory pair).
   *
   * @default 4096 for services, 16384 for training jobs
   */
  readonly memoryLimitMiB?: number;

  /**
   * Fargate ephemeral storage in GiB (21..200).
   *
   * @default - the Fargate default of 20 GiB
   */
  readonly ephemeralStorageGiB?: number;

  /**
   * The numeric `uid:gid` the container runs as (SEC-1). Both IDs must be at least 10000.
   *
   * @default '10001:10001'
   */
  readonly user?: string;

  /**
   * Plain environment variables. Names that look like secrets (`*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*_KEY`…) are refused:
   * pass them in `secrets` (SEC-9).
   *
   * @default - none
   */
  readonly environment?: Record<string, string>;

  /**
   * Secrets from Secrets Manager or SSM Parameter Store, injected as environment variables by ECS (SEC-9).
   *
   * @default - none
   */
  readonly secrets?: Record<string, ecs.Secret>;

  /**
   * How logs leave the task (LOG-1..3).
   *
   * @default EcsLogging.awsLogs() - blocking awslogs into a new KMS-encrypted log group kept 365 days
   */
  readonly logging?: EcsLogging;

  /**
   * OCI provenance of the image, mirrored into docker labels (IMG-4).
   *
   * @default - none; IMG-4 is then reported as external
   */
  readonly imageProvenance?: ImageProvenance;

  /**
   * The vulnerability scan of the image (REG-2): Trivy and/or Grype JSON reports read at synth time. Each report must be for the
   * image's digest; scanner, version, date and counts by severity are recorded as docker labels `scan.compliance.cdk-compliant-ml.io/*`,
   * and findings above the threshold (default: any CRITICAL) fail synthesis unless REG-2 is waived.
   *
   * @default - no scan evidence; REG-2 then depends on the registry's scanning settings
   */
  readonly imageScan?: ImageScan;

  /**
   * The name of the higher-level application this workload is part of (`app.kubernetes.io/part-of` tag).
   *
   * @default - no part-of tag
   */
  readonly partOf?: string;

  /**
   * The KMS keys that encrypt the S3 objects of the pinned artifacts (`modelArtifact`, `datasetArtifacts`): the task role may
   * use them for `kms:Decrypt` through S3 only (`kms:ViaService`). Objects encrypted with SSE-S3 need none.
   *
   * @default - no KMS permission
   */
  readonly artifactEncryptionKeys?: kms.IKey[];

  /**
   * The image that runs the verifier script for URI artifacts (it needs `sh`, `sha256sum`, `sort`, `cp` and the scheme's
   * client: `aws` for s3://, `curl` for https://), pinned by digest, e.g. a mirror in your own ECR registry.
   *
   * @default - the AWS CLI image for s3:// and the curl image for https://, each pinned by a published digest (README "Pinning the model")
   */
  readonly artifactVerifierImage?: ImageReference;

  /**
   * Waivers: the only way to relax a control. Each names the control, the reason and optionally an expiry date.
   *
   * @default - none
   */
  readonly waivers?: Waiver[];
}
