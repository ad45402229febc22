import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { propError } from '../core/errors';

const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/**
 * Where a workload's tasks run, as resolved from its props.
 */
export interface TaskPlacement {
  /** The cluster (given, or created with its VPC). */
  readonly cluster: ecs.ICluster;
  /** The subnets of the tasks. */
  readonly subnets: ec2.SubnetSelection;
  /** True when the tasks run on EC2 capacity (GPUs or an EC2 capacity provider), false on Fargate. */
  readonly ec2: boolean;
  /**
   * The capacity provider strategies in use.
   *
   * @default - Fargate
   */
  readonly capacityProviderStrategies?: ecs.CapacityProviderStrategy[];
}

/**
 * Resolves the cluster (creating a VPC and a Fargate cluster when none is given) and checks that GPU work has EC2 capacity.
 *
 * @internal
 */
export function resolvePlacement(scope: Construct, props: {
  cluster?: ecs.ICluster;
  vpcSubnets?: ec2.SubnetSelection;
  capacityProviderStrategies?: ecs.CapacityProviderStrategy[];
  gpuCount: number;
}): TaskPlacement {
  const cluster = props.cluster ?? newCluster(scope);
  const strategies = props.capacityProviderStrategies;
  const ec2Provider = (strategies ?? []).some((s) => !FARGATE_PROVIDERS.includes(s.capacityProvider));
  if (strategies !== undefined && strategies.length === 0) {
    throw propError(scope, 'capacityProviderStrategies', strategies, 'is empty', 'name at least one capacity provider, or leave it unset for Fargate');
  }
  if (props.gpuCount > 0 && !ec2Provider && !cluster.hasEc2Capacity) {
    const where = props.cluster ? 'the given cluster has no EC2 capacity' : 'the cluster the construct creates is Fargate-only';
    throw propError(scope, 'gpuCount', props.gpuCount,
      `needs EC2 GPU capacity: Fargate has no GPUs and ${where}`,
      'pass a cluster with EC2 GPU capacity (cluster.addAsgCapacityProvider(...) before creating this construct) or an EC2 capacity '
      + 'provider in capacityProviderStrategies');
  }
  const ec2Capacity = props.gpuCount > 0 || ec2Provider;
  return {
    cluster,
    subnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ec2: ec2Capacity,
    capacityProviderStrategies: strategies,
  };
}

/**
 * A VPC across two availability zones with private subnets for tasks and encrypted flow logs kept a year, and a cluster
 * with Container Insights (MON-1).
 */
function newCluster(scope: Construct): ecs.Cluster {
  const network = new Construct(scope, 'Network');
  const key = new kms.Key(network, 'FlowLogKey', { enableKeyRotation: true, description: `Encrypts the VPC flow logs of ${scope.node.path}` });
  key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${Stack.of(scope).region}.amazonaws.com`));
  const flowLogGroup = new logs.LogGroup(network, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key });
  const vpc = new ec2.Vpc(network, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    restrictDefaultSecurityGroup: true,
    subnetConfiguration: [
      { name: 'ingress', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
      { name: 'tasks', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
    flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup), trafficType: ec2.FlowLogTrafficType.ALL } },
  });
  return new ecs.Cluster(network, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
}
