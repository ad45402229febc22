// Reference architecture 4: a nightly GPU training job on Amazon ECS, on EC2 GPU capacity, run by AWS Step Functions.
//
// * a VPC across two availability zones (from context, so synthesis needs no AWS account lookup) and an ECS cluster with
//   Container Insights and an Auto Scaling group of g5.2xlarge GPU instances (ECS-optimized Amazon Linux 2 GPU AMI, resolved
//   at deploy time from its public SSM parameter, IMDSv2 only, encrypted root volume, task access to IMDS blocked) as its
//   capacity provider: Fargate has no GPUs;
// * `ecs.CompliantTrainingJob`: a Step Functions state machine runs the task with `ecs:runTask.sync`, an 8-hour timeout per
//   attempt, two retries with exponential backoff, and publishes a final failure to an encrypted SNS topic (here: e-mailed);
// * EventBridge Scheduler starts a run every night at 02:00 Europe/Berlin time;
// * fine-tuning from a verified base model (MOD-1): non-essential verifier containers fetch the base model directory and the
//   training snapshot of the sales dataset from S3, check each against the sha256 of its manifest (every file, nothing
//   missing, nothing extra) and write them into task volumes the trainer mounts read-only; the trainer starts only after
//   both succeeded, and the task role may read exactly those two prefixes for them;
// * read-only access to the shared dataset bucket, read/write access to the job's own KMS-encrypted artifact bucket, nothing else.
//
// The image digest, the model and dataset digests, the buckets and the e-mail address are examples: they do not point at real resources.
import { App, CfnResource, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { IConstruct } from 'constructs';
import { DatasetArtifact, ImageReference, ModelArtifact, ecs } from '../../src';

const ACCOUNT = '123456789012';
const REGION = 'eu-central-1';
/**
 * What `cdk.context.json` holds after an availability-zone lookup. Given up front, synthesis of this environment-specific stack
 * makes no AWS call, and `cdk synth` and an in-process `app.synth()` give the same template.
 */
const CONTEXT = { [`availability-zones:account=${ACCOUNT}:region=${REGION}`]: [`${REGION}a`, `${REGION}b`, `${REGION}c`] };
/** The training image in the account's own ECR registry. */
export const TRAINER_IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/demand-forecast-train:4.2.0`
  + '@sha256:e3b7c1a9d5f2e8b4c0a6d2f8e4b0c6a2d8f4e0b6c2a8d4f0e6b2c8a4d0f6e2b8';

/** The base model (a directory in S3) and the sha256 of its manifest (`cdk-compliant-ml pin`, README "Pinning the model"). */
export const BASE_MODEL = ModelArtifact.fromUri('s3://acme-models/demand-forecast/4.1.0/',
  'sha256:9a3c5e7f1b2d4a6c8e0f2b4d6a8c0e2f4b6d8a0c2e4f6b8d0a2c4e6f8b0d2a4c');
/** The training snapshot of the sales dataset and the sha256 of its manifest. */
export const SALES_SNAPSHOT = DatasetArtifact.fromUri('s3://acme-datasets-eu/sales/2026-11/',
  'sha256:3e5a7c9b1d2f4e6a8c0b2d4f6e8a0c2b4d6f8e0a2c4b6d8f0e2a4c6b8d0f2e4a');

/**
 * Builds the app without synthesizing it.
 *
 * @param outdir the cloud assembly directory (default: `CDK_OUTDIR`, which `cdk synth` sets, else a temporary directory)
 */
export function createApp(outdir?: string): App {
  const app = new App({ outdir, analyticsReporting: false, context: CONTEXT });
  const stack = new Stack(app, 'DemandForecastTraining', { env: { account: ACCOUNT, region: REGION } });

  // flow logs encrypted with a key of the stack, like every other log group here (checkov CKV_AWS_158)
  const flowLogKey = new kms.Key(stack, 'FlowLogKey', { enableKeyRotation: true, description: 'VPC flow logs of DemandForecastTraining' });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'ingress', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
      { name: 'training', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
    flowLogs: {
      all: {
        trafficType: ec2.FlowLogTrafficType.REJECT,
        destination: ec2.FlowLogDestination.toCloudWatchLogs(
          new logs.LogGroup(stack, 'FlowLogs', { retention: logs.RetentionDays.TWO_YEARS, encryptionKey: flowLogKey })),
      },
    },
  });
  flowLogKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${REGION}.amazonaws.com`));
  const cluster = new awsecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: awsecs.ContainerInsights.ENABLED });

  const userData = ec2.UserData.forLinux();
  // Tasks in awsvpc mode must not reach the instance role through the metadata service.
  userData.addCommands('echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config');
  const gpuNodes = new autoscaling.AutoScalingGroup(stack, 'GpuNodes', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    launchTemplate: new ec2.LaunchTemplate(stack, 'GpuLaunchTemplate', {
      instanceType: new ec2.InstanceType('g5.2xlarge'),
      machineImage: awsecs.EcsOptimizedImage.amazonLinux2(awsecs.AmiHardwareType.GPU),
      userData,
      role: new iam.Role(stack, 'GpuNodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
      requireImdsv2: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(200, { encrypted: true }) }],
    }),
    minCapacity: 0,
    maxCapacity: 2,
  });
  const gpuCapacity = new awsecs.AsgCapacityProvider(stack, 'GpuCapacity', { autoScalingGroup: gpuNodes });
  cluster.addAsgCapacityProvider(gpuCapacity);

  const job = new ecs.CompliantTrainingJob(stack, 'Forecast', {
    image: ImageReference.fromString(TRAINER_IMAGE),
    model: { name: 'demand-forecast', version: '4.2.0', framework: 'pytorch', registry: 'mlflow' },
    datasets: [{ name: 'sales', version: '2026-11', uri: 's3://acme-datasets-eu/sales/2026-11/' }],
    modelArtifact: BASE_MODEL,
    datasetArtifacts: [SALES_SNAPSHOT],
    codeRevision: 'c4a8e2f6b0d4a8c2e6f0b4d8a2c6e0f4b8d2a6c0',
    cluster,
    capacityProviderStrategies: [{ capacityProvider: gpuCapacity.capacityProviderName, weight: 1 }],
    gpuCount: 1,
    cpu: 7168,
    memoryLimitMiB: 28672,
    timeout: Duration.hours(8),
    retries: 2,
    retryInterval: Duration.minutes(5),
    datasetBuckets: [s3.Bucket.fromBucketName(stack, 'Datasets', 'acme-datasets-eu')],
    artifactBucket: new s3.Bucket(stack, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    }),
    schedule: ScheduleExpression.cron({ minute: '0', hour: '2', timeZone: TimeZone.EUROPE_BERLIN }),
    imageProvenance: {
      source: 'https://github.com/acme/demand-forecast',
      revision: 'c4a8e2f6b0d4a8c2e6f0b4d8a2c6e0f4b8d2a6c0',
      version: '4.2.0',
      created: '2026-11-02T06:00:00Z',
    },
    partOf: 'demand-forecast',
  });
  job.failureTopic.addSubscription(new subscriptions.EmailSubscription('ml-oncall@example.com'));

  // cdk-nag findings on the resources of this app (not of the construct), each accepted with its reason:
  Validations.of(gpuNodes).acknowledge(
    { id: 'AwsSolutions-AS3', reason: 'The ECS capacity provider scales the GPU nodes; scaling activity is in the ECS and Auto Scaling event history.' },
    { id: 'AwsSolutions-IAM5[Action::ecs:Submit*]', reason: 'The ECS container agent permissions aws-cdk grants to container instances.' },
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'ECS agent actions (ecs:Submit*, ecs:Poll, ...) support no resource-level permissions.' },
  );
  Validations.of(stack.node.findChild('GpuNodeRole')).acknowledge(
    { id: 'AwsSolutions-IAM5[Action::ecs:Submit*]', reason: 'The ECS container agent permissions aws-cdk grants to container instances.' },
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'ECS agent actions (ecs:Submit*, ecs:Poll, ...) support no resource-level permissions.' },
  );
  const artifactAccess = 'Object-level access to the artifact bucket is recorded by the account\'s CloudTrail data events.';
  Validations.of(stack.node.findChild('Artifacts')).acknowledge({ id: 'AwsSolutions-S1', reason: artifactAccess });
  // checkov findings on the same resources, accepted with the same reasons in the metadata checkov reads
  const checkovSkip = (resource: IConstruct, id: string, comment: string) =>
    (resource.node.defaultChild as CfnResource).addMetadata('checkov', { skip: [{ id, comment }] });
  checkovSkip(stack.node.findChild('Artifacts'), 'CKV_AWS_18', artifactAccess);
  checkovSkip(stack.node.findChild('GpuNodeRole').node.findChild('DefaultPolicy'), 'CKV_AWS_111',
    'The ECS container agent permissions aws-cdk grants to container instances: ecs:DiscoverPollEndpoint and ecr:GetAuthorizationToken '
    + 'support no resource-level permissions, and the agent writes the logs of tasks that have no execution role.');
  return app;
}
