/**
 * The hand-written aws-cdk-lib equivalent of one `ecs.CompliantModelService` with default props on a given cluster: the
 * same hardened resources (task and execution roles with their policies, a Fargate task definition with the same container
 * settings, a KMS key and an encrypted log group kept a year, a security group with HTTPS-only egress, a Fargate service with
 * the deployment circuit breaker, AZ rebalancing and managed tags, and the same tags), written as a careful platform engineer
 * would without the library: no validation, no report, literals where the library computes values.
 */
import { ArnFormat, CfnResource, Duration, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** What differs between the services of a benchmark app. */
export interface HandwrittenEcsService {
  /** The shared cluster (with its VPC). */
  readonly cluster: ecs.ICluster;
  /** The model server image, pinned by digest. */
  readonly image: string;
  /** Model name and version. */
  readonly model: { readonly name: string; readonly version: string };
}

/** Renders one hardened model service below `scope` (a construct with the same child IDs as the library's). */
export function handwrittenEcsService(scope: Construct, id: string, s: HandwrittenEcsService): Construct {
  const c = new Construct(scope, id);
  const path = c.node.path;
  const stack = Stack.of(c);
  const taskRole = new iam.Role(c, 'TaskRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    description: `Task role of ${path}: no permissions beyond the grants made on it (SEC-8)`,
  });
  const executionRole = new iam.Role(c, 'ExecutionRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    description: `Execution role of ${path}: image pull, log delivery and secret retrieval only`,
  });
  const taskDefinition = new ecs.FargateTaskDefinition(c, 'TaskDefinition', {
    taskRole,
    executionRole,
    volumes: [{ name: 'tmp' }, { name: 'model-cache' }],
    cpu: 1024,
    memoryLimitMiB: 4096,
    runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
  });
  const key = stackLogKey(stack);
  const logGroup = new logs.LogGroup(c, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key });
  const linuxParameters = new ecs.LinuxParameters(c, 'LinuxParameters', { initProcessEnabled: true });
  linuxParameters.dropCapabilities(ecs.Capability.ALL);
  const digest = s.image.slice(s.image.indexOf('@') + 1);
  // the cdk-nag acknowledgement a team running AwsSolutions would write for this environment (the library writes the same)
  (taskDefinition.node.defaultChild as CfnResource).addMetadata('cdk_nag', {
    rules_to_suppress: [{
      id: 'AwsSolutions-ECS2',
      reason: 'The environment holds only non-secret configuration (model identity, paths, log sink names); names that look like secrets '
        + 'are refused at construct time and secrets are injected from Secrets Manager or SSM (SEC-9).',
    }],
  });
  const container = taskDefinition.addContainer('main', {
    image: ecs.ContainerImage.fromRegistry(s.image),
    user: '10001:10001',
    readonlyRootFilesystem: true,
    privileged: false,
    linuxParameters,
    memoryLimitMiB: 4096, // a hard limit on the container too (Control Tower CT.ECS.PR.7)
    environment: { INFERENCE_LOG_STREAM: 'inference', MODEL_CACHE_DIR: '/models', MODEL_NAME: s.model.name, MODEL_VERSION: s.model.version },
    dockerLabels: {
      'compliance.cdk-compliant-ml.io/image': s.image,
      'compliance.cdk-compliant-ml.io/image-digest': digest,
      'model.compliance.cdk-compliant-ml.io/name': s.model.name,
      'model.compliance.cdk-compliant-ml.io/version': s.model.version,
    },
    portMappings: [{ containerPort: 8080, name: 'http' }],
    healthCheck: {
      command: ['CMD', 'curl', '-fsS', '--max-time', '4', 'http://127.0.0.1:8080/v2/health/live'],
      startPeriod: Duration.seconds(300),
      interval: Duration.seconds(30),
      retries: 10,
      timeout: Duration.seconds(5),
    },
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'main', mode: ecs.AwsLogDriverMode.BLOCKING }),
    essential: true,
  });
  container.addMountPoints(
    { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
    { sourceVolume: 'model-cache', containerPath: '/models', readOnly: false },
  );
  container.addEnvironment('INFERENCE_LOG_GROUP', logGroup.logGroupName);
  logGroup.grantWrite(taskRole);
  const securityGroup = new ec2.SecurityGroup(c, 'SecurityGroup', {
    vpc: s.cluster.vpc, allowAllOutbound: false, description: `Tasks of ${path}: ingress only from the load balancer (NET-1)`,
  });
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs, the registry and the model store');
  new ecs.FargateService(c, 'Service', {
    cluster: s.cluster,
    taskDefinition,
    desiredCount: 2,
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    circuitBreaker: { enable: true, rollback: true },
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [securityGroup],
    propagateTags: ecs.PropagatedTagSource.TASK_DEFINITION,
    enableECSManagedTags: true,
    availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
    assignPublicIp: false,
    platformVersion: ecs.FargatePlatformVersion.LATEST,
  });
  const tags: Record<string, string> = {
    'app.kubernetes.io/name': s.model.name,
    'app.kubernetes.io/instance': path,
    'app.kubernetes.io/version': s.model.version,
    'app.kubernetes.io/component': 'model-server',
    'app.kubernetes.io/managed-by': 'cdk-compliant-ml',
    'compliance.cdk-compliant-ml.io/image-digest': digest,
  };
  for (const [k, v] of Object.entries(tags)) {
    Tags.of(c).add(k, v);
  }
  return c;
}

/** One log key per stack, shared by every service of the stack (what the library does since its keys are per stack). */
function stackLogKey(stack: Stack): kms.Key {
  const existing = stack.node.tryFindChild('CompliantMlLogKey') as kms.Key | undefined;
  if (existing) {
    return existing;
  }
  const key = new kms.Key(stack, 'CompliantMlLogKey', {
    enableKeyRotation: true,
    description: `Encrypts the log groups of the cdk-compliant-ml workloads of stack ${stack.stackName} (LOG-3)`,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }));
  return key;
}
