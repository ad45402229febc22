import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { SharedNetwork } from './shared-network';
import { propError } from '../core/errors';

const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/**
 * Where a workload's tasks run, as resolved from its props.
 */
export interface TaskPlacement {
  /** The cluster (given, or the stack's shared one). */
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
 * Resolves the cluster (the stack's shared VPC and Fargate cluster when none is given) and checks that GPU work has EC2 capacity.
 *
 * @internal
 */
export function resolvePlacement(scope: Construct, props: {
  cluster?: ecs.ICluster;
  vpcSubnets?: ec2.SubnetSelection;
  capacityProviderStrategies?: ecs.CapacityProviderStrategy[];
  gpuCount: number;
}): TaskPlacement {
  const cluster = props.cluster ?? SharedNetwork.of(scope).cluster;
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
