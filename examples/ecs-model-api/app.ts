// Reference architecture 3: a model API on AWS Fargate behind an internal Application Load Balancer, with auto scaling.
//
// * a VPC across two availability zones (private subnets for tasks, a NAT gateway per zone so that each zone's egress stays in
//   that zone (AVL-3), encrypted flow logs kept a year) and a Fargate cluster with Container Insights; the availability zones come from context, so synthesis needs no AWS account lookup;
// * `ecs.CompliantModelService`: two or more tasks (CPU target tracking up to 10), spread and rebalanced across zones, rolled
//   out with a circuit breaker and rollback, a non-root read-only container, logs in a KMS-encrypted log group kept 365 days;
// * the model weights pinned by digest (MOD-1): a non-essential verifier container fetches the XGBoost model file from S3 with
//   the AWS CLI, checks its sha256 and writes it into a task volume that the server mounts read-only; the server starts only
//   after the verifier succeeded (`dependsOn` SUCCESS), and the task role may read that one object and nothing else. S3 fits
//   this example: the model is one file next to the other models of the team, and a single-object grant is the narrowest;
//   a modelcar (`ModelArtifact.fromOci`) fits models that are already built and shipped as images;
// * an internal HTTPS load balancer (TLS policy RECOMMENDED_TLS) reachable only from the VPC, with access logs in S3;
// * `ecs.CompliancePolicyPlugin`: `cdk synth` fails when any task definition of the app violates a control.
//
// The image digest, the model digest and the certificate are examples: they do not point at real resources.
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ImageReference, ModelArtifact, ecs } from '../../src';

const ACCOUNT = '123456789012';
const REGION = 'eu-central-1';
/**
 * What `cdk.context.json` holds after an availability-zone lookup. Given up front, synthesis of this environment-specific stack
 * makes no AWS call, and `cdk synth` and an in-process `app.synth()` give the same template.
 */
const CONTEXT = { [`availability-zones:account=${ACCOUNT}:region=${REGION}`]: [`${REGION}a`, `${REGION}b`, `${REGION}c`] };
/** An image in the account's own ECR registry: the execution role may pull from this repository only. */
export const MODEL_API_IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/credit-risk-api:2.3.0`
  + '@sha256:0c6e2a8f4b1d7e3a9c5f0b2d4e6a8c1e3f5b7d9a0c2e4f6b8d1a3c5e7f9b0d2a';

/** The model file in S3 and the sha256 of its bytes (`sha256sum model.json`, or `cdk-compliant-ml pin`). */
export const MODEL_URI = 's3://acme-models/credit-risk/2.3.0/model.json';
export const MODEL_DIGEST = 'sha256:5f0c3e8a1b7d9c2e4f6a8b0d1c3e5f7a9b2d4c6e8f0a1b3d5c7e9f2a4b6d8c0e';

/**
 * Builds the app without synthesizing it.
 *
 * @param outdir the cloud assembly directory (default: `CDK_OUTDIR`, which `cdk synth` sets, else a temporary directory)
 */
export function createApp(outdir?: string): App {
  const app = new App({ outdir, analyticsReporting: false, context: CONTEXT });
  Validations.of(app).addPlugins(new ecs.CompliancePolicyPlugin());
  const stack = new Stack(app, 'CreditRiskApi', { env: { account: ACCOUNT, region: REGION } });

  const flowLogKey = new kms.Key(stack, 'FlowLogKey', { enableKeyRotation: true, description: 'VPC flow logs of CreditRiskApi' });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 2,
    subnetConfiguration: [
      { name: 'ingress', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
      { name: 'tasks', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
    flowLogs: {
      all: {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(
          new logs.LogGroup(stack, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: flowLogKey })),
      },
    },
  });
  flowLogKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${REGION}.amazonaws.com`));
  const cluster = new awsecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: awsecs.ContainerInsights.ENABLED });

  const api = new ecs.CompliantModelService(stack, 'CreditRisk', {
    image: ImageReference.fromString(MODEL_API_IMAGE),
    model: { name: 'credit-risk', version: '2.3.0', framework: 'xgboost', uri: MODEL_URI },
    modelArtifact: ModelArtifact.fromUri(MODEL_URI, MODEL_DIGEST),
    cluster,
    cpu: 2048,
    memoryLimitMiB: 8192,
    modelLoadTimeout: Duration.minutes(5),
    autoscaling: { minCapacity: 2, maxCapacity: 10, targetCpuUtilizationPercent: 60 },
    loadBalancer: {
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate',
        `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/2f1c7a3e-8b4d-4e6f-9a0b-1c2d3e4f5a6b`),
    },
    imageProvenance: {
      source: 'https://github.com/acme/credit-risk-api',
      revision: '6e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f',
      version: '2.3.0',
      created: '2026-09-14T12:00:00Z',
    },
    partOf: 'credit-decisions',
  });
  // The construct grants the execution role pull rights on the ECR repository named in the image; aws-cdk still warns.
  // An escape hatch: the L2 objects are exposed, and the report reads the template, so a change like this one shows up in it.
  api.loadBalancer!.setAttribute('idle_timeout.timeout_seconds', '120');
  return app;
}
