import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * The construct ID of the stack-wide network that every construct of this library without a `cluster` shares.
 *
 * @internal
 */
export const SHARED_NETWORK_ID = 'CompliantMlNetwork';

/**
 * The VPC and cluster shared by every construct of this library in a stack that gets no `cluster`: two availability zones, a
 * NAT gateway in each zone's public subnet so that each task subnet's egress (image pulls from any registry, logs, model
 * downloads) stays in its own zone (AVL-3), private subnets for the tasks, flow logs of all traffic kept a year and encrypted
 * with the stack's log key, and a Fargate cluster with Container Insights (MON-1). Created on first use, directly under the
 * stack, with a stable ID.
 *
 * @internal
 */
export class SharedNetwork extends Construct {
  /** The network of `scope`'s stack, created on first use. */
  public static of(scope: Construct): SharedNetwork {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(SHARED_NETWORK_ID) as SharedNetwork | undefined) ?? new SharedNetwork(stack, SHARED_NETWORK_ID);
  }

  public readonly vpc: ec2.Vpc;
  public readonly cluster: ecs.Cluster;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: stackLogKey(this) });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 2,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: 'ingress', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'tasks', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup), trafficType: ec2.FlowLogTrafficType.ALL } },
    });
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  }
}

/** The construct ID of the stack-wide key of the log groups this library creates without a given key. @internal */
export const STACK_LOG_KEY_ID = 'CompliantMlLogKey';

/**
 * The customer-managed key (rotation on) that encrypts every log group this library creates in a stack without a given key
 * (LOG-3): the workloads' logs, the training runs' execution history and the shared VPC's flow logs. Its policy lets CloudWatch
 * Logs of the stack's region use it only for log groups of the stack's account and region.
 *
 * @internal
 */
export function stackLogKey(scope: Construct): kms.Key {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(STACK_LOG_KEY_ID) as kms.Key | undefined;
  if (existing) {
    return existing;
  }
  const key = new kms.Key(stack, STACK_LOG_KEY_ID, {
    enableKeyRotation: true,
    description: `Encrypts the log groups of the cdk-compliant-ml workloads of stack ${stack.stackName} (LOG-3)`,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
  return key;
}
