import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeCfnLint, acknowledgeCheckov } from './acknowledgements';
import { EcsDefaults } from './defaults';
import { CompliantModelServiceProps, InternalLoadBalancerOptions } from './model-service-props';
import { modelWithArtifact, pinnedInputEnvironment, pinnedInputLabels, pinnedInputPlacements, validateEcsArtifact } from './pinned-inputs';
import { MAIN_CONTAINER, RenderedTask, renderTask } from './task';
import { EcsReportSubject, EcsWorkloadBase } from './workload-base';
import { ControlScope } from '../compliance/control';
import { refuseControlCharacters, requirePort, requireUriPath, wholeSeconds } from '../core/bounds';
import { WorkloadDefaults } from '../core/defaults';
import { propError, requireInteger } from '../core/errors';
import { ModelArtifact } from '../core/model-artifact';
import { ModelMetadata } from '../core/provenance';
import { validateModelMetadata } from '../core/provenance-validation';

/** ECS caps a container health check's start period at 300 s, its interval at 300 s and its retries at 10. */
const MAX_START_PERIOD = 300;
const MAX_RETRIES = 10;

/**
 * Amazon ECS (aws-cdk-lib): a model server that is hardened, redundant and health-checked by default: two Fargate tasks spread across
 * availability zones, zero-downtime deployments with automatic rollback, a non-root read-only container with every
 * capability dropped, logs in a KMS-encrypted log group kept a year, and provenance in docker labels and tags.
 *
 * Every relaxation of a default needs a waiver for its control; `complianceEntry()` reports every control with evidence
 * read from the synthesized template.
 *
 * Define it inside an aws-cdk `Stack` (directly or below constructs in one): its resources are part of that stack's
 * template.
 */
export class CompliantModelService extends EcsWorkloadBase {
  /** The task definition. */
  public readonly taskDefinition: ecs.TaskDefinition;
  /** The main (inference server) container. */
  public readonly container: ecs.ContainerDefinition;
  /** The ECS service. */
  public readonly service: ecs.BaseService;
  /** The security group of the tasks: no ingress except from the load balancer, egress only on HTTPS. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The internal load balancer, when one was asked for. */
  public readonly loadBalancer?: elbv2.ApplicationLoadBalancer;
  /** The model served. */
  public readonly model: ModelMetadata;
  /** The pinned model weights, verified before the server starts (MOD-1), when given. */
  public readonly modelArtifact?: ModelArtifact;
  private readonly task: RenderedTask;

  /**
   * Defines the construct and validates its props.
   *
   * @param scope a construct inside an aws-cdk `Stack` (the stack itself or a construct below it); outside a stack the constructor throws
   * @param id the construct id, unique within `scope`
   * @param props the construct's settings
   */
  constructor(scope: Construct, id: string, props: CompliantModelServiceProps) {
    super(scope, id, props, ControlScope.SERVICE);
    this.model = validateModelMetadata(this, 'model', props.model);
    const port = requirePort(this, 'port', props.port ?? WorkloadDefaults.SERVICE_PORT);
    const replicas = this.resolveReplicas(props);
    const cpu = props.cpu ?? EcsDefaults.CPU;
    const memoryMiB = props.memoryLimitMiB ?? EcsDefaults.MEMORY_MIB;
    this._size(cpu, memoryMiB, props.ephemeralStorageGiB);
    const readonlyRoot = props.readonlyRootFilesystem ?? true;
    if (!readonlyRoot) {
      this._requireWaiver('SEC-5', 'readonlyRootFilesystem', false, 'makes the root filesystem writable');
    }
    const load = props.modelLoadTimeout ?? Duration.seconds(WorkloadDefaults.MODEL_LOAD_TIMEOUT_SECONDS);
    const liveness = props.livenessPath ?? WorkloadDefaults.LIVENESS_PATH;
    const readiness = props.readinessPath ?? WorkloadDefaults.READINESS_PATH;
    // RFC 3986 paths only: the liveness path goes into the health-check command, the readiness path into the target group
    requireUriPath(this, 'livenessPath', liveness, WorkloadDefaults.LIVENESS_PATH);
    requireUriPath(this, 'readinessPath', readiness, WorkloadDefaults.READINESS_PATH);
    const modelCache = props.modelCachePath ?? '/models';
    this.modelArtifact = props.modelArtifact === undefined ? undefined : validateEcsArtifact(this, 'modelArtifact', props.modelArtifact, 'ModelArtifact');
    if (!this.modelArtifact && this.model.uri !== undefined) {
      this._requireWaiver('MOD-1', 'model.uri', this.model.uri, 'names weights the server fetches with no digest verified before it starts; '
        + 'declare modelArtifact: ModelArtifact.fromUri(uri, \'sha256:…\') or ModelArtifact.fromOci(...)');
    }
    const verified = pinnedInputPlacements(props.artifactVerifierImage,
      this.modelArtifact ? { artifact: this.modelArtifact, mountPath: modelCache } : undefined, []);
    const labelledModel = modelWithArtifact(this, this.model, this.modelArtifact);
    this.task = renderTask(this, {
      ...this._sharedTaskSpec(props),
      cpu,
      memoryMiB,
      readonlyRootFilesystem: readonlyRoot,
      systemEnvironment: {
        MODEL_NAME: this.model.name,
        MODEL_VERSION: this.model.version,
        MODEL_CACHE_DIR: modelCache,
        INFERENCE_LOG_STREAM: 'inference',
        ...pinnedInputEnvironment(verified),
      },
      dockerLabels: this._dockerLabels({ model: labelledModel, imageProvenance: props.imageProvenance, extra: pinnedInputLabels(verified) }),
      // with a model artifact the model cache is the verified volume: written by the verifier only, read-only in the server
      scratchVolumes: verified.length > 0 ? { tmp: '/tmp' } : { 'tmp': '/tmp', 'model-cache': modelCache },
      scratchVolumeProps: { 'tmp': 'tmp (the construct\'s /tmp)', 'model-cache': 'modelCachePath' },
      verifiedInputs: verified.map((v) => ({ ...v, prop: 'modelCachePath' })),
      artifactDecryptionKeys: props.artifactEncryptionKeys,
      reservedEnvironment: ['INFERENCE_LOG_GROUP'],
      port,
      healthCheck: this.healthCheck(props, port, liveness, load),
    }, this._acknowledged);
    this.taskDefinition = this.task.taskDefinition;
    this.container = this.task.container;
    this.task.container.addEnvironment('INFERENCE_LOG_GROUP', this.task.logGroup.logGroupName);
    this.task.logGroup.grantWrite(this.task.taskRole);

    const vpc = this.placement.cluster.vpc;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc, allowAllOutbound: false, description: `Tasks of ${this.node.path}: ingress only from the load balancer (NET-1)`,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs, the registry and the model store');
    this.service = this.renderService(props, replicas);
    if (props.loadBalancer) {
      this.loadBalancer = this.renderLoadBalancer(props.loadBalancer, port, readiness);
    }
    if (props.autoscaling) {
      const a = props.autoscaling;
      const max = requireInteger(this, 'autoscaling.maxCapacity', a.maxCapacity, replicas, 1000);
      const scaling = this.service.autoScaleTaskCount({ minCapacity: replicas, maxCapacity: max });
      scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: requireInteger(this, 'autoscaling.targetCpuUtilizationPercent', a.targetCpuUtilizationPercent ?? 70, 10, 95) });
    }
    this._tag(this.model, 'model-server', props.partOf);
    this._reportReady();
  }

  /** @internal */
  public _reportSubject(): EcsReportSubject {
    return { kind: 'CompliantModelService', taskDefinition: this.taskDefinition, service: this.service, model: modelWithArtifact(this, this.model, this.modelArtifact) };
  }

  private resolveReplicas(props: CompliantModelServiceProps): number {
    const prop = props.autoscaling?.minCapacity !== undefined ? 'autoscaling.minCapacity' : 'replicas';
    const wanted = props.autoscaling?.minCapacity ?? props.replicas ?? WorkloadDefaults.REPLICAS;
    const replicas = requireInteger(this, prop, wanted, 1, 1000);
    if (replicas < WorkloadDefaults.MIN_REPLICAS) {
      this._requireWaiver('AVL-1', prop, replicas, `runs fewer than ${WorkloadDefaults.MIN_REPLICAS} tasks, so one failure stops the service`);
    }
    return replicas;
  }

  /** A container health check whose start period plus retries cover the model load budget. */
  private healthCheck(props: CompliantModelServiceProps, port: number, liveness: string, load: Duration): ecs.HealthCheck {
    const budget = wholeSeconds(this, 'modelLoadTimeout', load, 1, MAX_START_PERIOD * (1 + MAX_RETRIES), 'Duration.minutes(10)');
    const startPeriod = Math.min(MAX_START_PERIOD, budget);
    const rest = budget - startPeriod;
    const interval = Math.max(30, Math.ceil(rest / MAX_RETRIES));
    const retries = Math.min(MAX_RETRIES, Math.max(3, Math.ceil(rest / interval)));
    // the exec form: the URL is one argument of curl, never shell text (a '&' or ';' in the path cannot end the command early)
    const command = props.healthCheckCommand ?? ['CMD', 'curl', '-fsS', '--max-time', '4', `http://127.0.0.1:${port}${liveness}`];
    if (!Array.isArray(command) || command.length < 2 || !['CMD', 'CMD-SHELL'].includes(command[0])) {
      throw propError(this, 'healthCheckCommand', command, 'must start with CMD or CMD-SHELL followed by the command',
        `use ['CMD', 'curl', '-fsS', 'http://127.0.0.1:${port}${liveness}']`);
    }
    refuseControlCharacters(this, 'healthCheckCommand', command);
    return { command, startPeriod: Duration.seconds(startPeriod), interval: Duration.seconds(interval), retries, timeout: Duration.seconds(5) };
  }

  private renderService(props: CompliantModelServiceProps, replicas: number): ecs.BaseService {
    const common = {
      cluster: this.placement.cluster,
      desiredCount: replicas,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      vpcSubnets: this.placement.subnets,
      securityGroups: [this.securityGroup],
      propagateTags: ecs.PropagatedTagSource.TASK_DEFINITION,
      enableECSManagedTags: true,
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      capacityProviderStrategies: this.placement.capacityProviderStrategies,
      healthCheckGracePeriod: props.loadBalancer
        ? (props.modelLoadTimeout ?? Duration.seconds(WorkloadDefaults.MODEL_LOAD_TIMEOUT_SECONDS)) : undefined,
    };
    if (this.placement.ec2) {
      if (!this.placement.cluster.hasEc2Capacity) {
        throw propError(this, 'cluster', this.placement.cluster.node.path, 'has no EC2 capacity, which an EC2 (GPU) service needs',
          'call cluster.addAsgCapacityProvider(...) before creating this construct, or import the cluster with hasEc2Capacity: true');
      }
      return new ecs.Ec2Service(this, 'Service', {
        ...common,
        taskDefinition: this.taskDefinition as ecs.Ec2TaskDefinition,
        placementStrategies: [ecs.PlacementStrategy.spreadAcross('attribute:ecs.availability-zone'), ecs.PlacementStrategy.spreadAcrossInstances()],
      });
    }
    return new ecs.FargateService(this, 'Service', {
      ...common,
      taskDefinition: this.taskDefinition as ecs.FargateTaskDefinition,
      assignPublicIp: false,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
    });
  }

  private renderLoadBalancer(opts: InternalLoadBalancerOptions, port: number, readiness: string): elbv2.ApplicationLoadBalancer {
    if (Token.isUnresolved(Stack.of(this).region)) {
      throw propError(this, 'loadBalancer', 'an environment-agnostic stack', 'needs the stack\'s region: ELB access logs are delivered by a '
        + 'regional account or service principal', 'create the stack with env: { account, region }');
    }
    const vpc = this.placement.cluster.vpc;
    const sg = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc, allowAllOutbound: false, description: `Internal load balancer of ${this.node.path}`,
    });
    const listenerPort = opts.certificate ? 443 : 80;
    for (const peer of opts.allowedPeers ?? [ec2.Peer.ipv4(vpc.vpcCidrBlock)]) {
      sg.addIngressRule(peer, ec2.Port.tcp(listenerPort), 'clients inside the network');
    }
    if (!opts.allowedPeers) {
      acknowledge(this._acknowledged, sg, 'AwsSolutions-EC23',
        'Ingress comes only from the CIDR of the VPC itself; the rule cannot evaluate that intrinsic and reports it as open.');
    }
    const alb = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc, internetFacing: false, securityGroup: sg, vpcSubnets: this.placement.subnets, dropInvalidHeaderFields: true,
    });
    const bucket = opts.accessLogBucket ?? this.accessLogBucket();
    alb.logAccessLogs(bucket, 'alb');
    const listener = opts.certificate
      ? alb.addListener('Https', { port: 443, protocol: elbv2.ApplicationProtocol.HTTPS, certificates: [opts.certificate], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, open: false })
      : alb.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: false });
    listener.addTargets('Model', {
      port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service.loadBalancerTarget({ containerName: MAIN_CONTAINER, containerPort: port })],
      healthCheck: { path: readiness, healthyHttpCodes: '200', interval: Duration.seconds(15), healthyThresholdCount: 2, unhealthyThresholdCount: 3 },
      deregistrationDelay: Duration.seconds(30),
    });
    acknowledgeCfnLint(this.service, 'W3005', 'aws-cdk-lib makes a load-balanced ECS service depend on its target '
      + 'group and listener explicitly; the Ref in LoadBalancers already orders the target group, so that DependsOn entry is redundant '
      + 'and harmless, and the listener entry is needed.');
    return alb;
  }

  private accessLogBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // versioned, so an access log deleted or overwritten before its retention ends stays recoverable for that time (checkov CKV_AWS_21)
      versioned: true,
      lifecycleRules: [{
        expiration: Duration.days(EcsDefaults.LOG_RETENTION_DAYS),
        noncurrentVersionExpiration: Duration.days(EcsDefaults.LOG_RETENTION_DAYS),
      }],
    });
    const selfLogging = 'This bucket is the access-log destination of the load balancer; logging its own access to itself would recurse.';
    acknowledge(this._acknowledged, bucket, 'AwsSolutions-S1', selfLogging);
    acknowledgeCheckov(bucket, 'CKV_AWS_18', selfLogging);
    return bucket;
  }
}
