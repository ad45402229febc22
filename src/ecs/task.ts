import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Acknowledged, acknowledge } from './acknowledgements';
import { VERIFIER_CPU, VERIFIER_MIB, VerifiedInputPlacement, addArtifactVerifiers } from './artifact-verifier';
import { TaskPlacement } from './capacity';
import { AWS_FOR_FLUENT_BIT_IMAGE, EcsLogging } from './logging';
import { requireMountPaths, requireUniqueNames } from '../core/bounds';
import { propError } from '../core/errors';
import { ImageReference } from '../core/image-reference';
import { plaintextSecretProblem } from '../core/secret-detection';

/** The name of the main container. */
export const MAIN_CONTAINER = 'main';
/** The hard memory limit of the FireLens router container, in MiB. */
const FIRELENS_ROUTER_MIB = 256;
const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/**
 * What the hardened task needs.
 *
 * @internal
 */
export interface TaskSpec {
  readonly image: ImageReference;
  readonly repository?: ecr.IRepository;
  readonly placement: TaskPlacement;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly ephemeralStorageGiB?: number;
  readonly gpuCount: number;
  readonly user: string;
  readonly readonlyRootFilesystem: boolean;
  readonly command?: string[];
  readonly environment: Record<string, string>;
  readonly systemEnvironment: Record<string, string>;
  /** Variables the construct sets outside the task definition's environment (added later, or per run); none may be redefined. */
  readonly reservedEnvironment?: readonly string[];
  readonly secrets?: Record<string, ecs.Secret>;
  readonly dockerLabels: Record<string, string>;
  readonly scratchVolumes: Record<string, string>;
  /** The prop each scratch volume's path comes from, for errors. */
  readonly scratchVolumeProps?: Record<string, string>;
  readonly port?: number;
  readonly healthCheck?: ecs.HealthCheck;
  readonly logging: EcsLogging;
  readonly stopTimeout?: Duration;
  /** Pinned inputs (model, datasets): each a non-essential verifier the main container depends on with SUCCESS (MOD-1). */
  readonly verifiedInputs?: VerifiedInputPlacement[];
  /** KMS keys of the S3 objects of the pinned inputs (`kms:Decrypt` through S3). */
  readonly artifactDecryptionKeys?: kms.IKey[];
}

/**
 * The rendered task: definition, main container, roles and log group.
 *
 * @internal
 */
export interface RenderedTask {
  readonly taskDefinition: ecs.TaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly taskRole: iam.Role;
  readonly executionRole: iam.Role;
  readonly logGroup: logs.LogGroup;
}

/**
 * Renders the hardened task definition shared by services and jobs: non-root numeric user, read-only root with explicit
 * scratch volumes, every capability dropped, an init process, provenance docker labels, secrets only by reference, and logs
 * into an encrypted log group with a floor on retention.
 *
 * @internal
 */
export function renderTask(scope: Construct, spec: TaskSpec, acks: Acknowledged[]): RenderedTask {
  checkEnvironment(scope, spec.environment, spec.systemEnvironment);
  // one name, one definition: ECS refuses a variable both in environment and secrets, and the construct's own may not be redefined
  requireUniqueNames(scope, 'environment variable', [
    ...[...Object.keys(spec.systemEnvironment), ...(spec.reservedEnvironment ?? [])].map((name) => ({ prop: 'the construct\'s own environment', name })),
    ...Object.keys(spec.environment).map((name) => ({ prop: `environment.${name}`, name })),
    ...Object.keys(spec.secrets ?? {}).map((name) => ({ prop: `secrets.${name}`, name })),
  ], 'set each variable once: in environment or secrets, and never one the construct sets');
  const verified = spec.verifiedInputs ?? [];
  requireMountPaths(scope, [
    ...Object.entries(spec.scratchVolumes).map(([name, path]) => ({ prop: spec.scratchVolumeProps?.[name] ?? `the construct's ${name} volume`, path })),
    ...verified.map((v) => ({ prop: `${v.prop} (its read-only mount)`, path: v.mountPath, readOnly: true })),
  ]);
  const verifierMiB = verified.length * VERIFIER_MIB;
  const mainMiB = spec.memoryMiB - (spec.logging.fireLensRouting ? FIRELENS_ROUTER_MIB : 0) - verifierMiB;
  if (spec.placement.ec2 && verified.length > 0 && spec.cpu - verified.length * VERIFIER_CPU < VERIFIER_CPU) {
    throw propError(scope, 'cpu', spec.cpu, `leaves the main container ${spec.cpu - verified.length * VERIFIER_CPU} CPU units after `
      + `${verified.length} verifier(s) of ${VERIFIER_CPU} each`, `give the task at least ${(verified.length + 1) * VERIFIER_CPU} CPU units`);
  }
  if (verified.length > 0 && mainMiB < VERIFIER_MIB) {
    throw propError(scope, 'memoryLimitMiB', spec.memoryMiB, `leaves the main container ${mainMiB} MiB after ${verified.length} verifier(s) of `
      + `${VERIFIER_MIB} MiB each`, `give the task at least ${spec.memoryMiB - mainMiB + VERIFIER_MIB} MiB`);
  }
  const taskRole = new iam.Role(scope, 'TaskRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    description: `Task role of ${scope.node.path}: no permissions beyond the grants made on it (SEC-8)`,
  });
  const executionRole = new iam.Role(scope, 'ExecutionRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    description: `Execution role of ${scope.node.path}: image pull, log delivery and secret retrieval only`,
  });
  const common = { taskRole, executionRole, volumes: Object.keys(spec.scratchVolumes).map((name) => ({ name })) };
  const taskDefinition: ecs.TaskDefinition = spec.placement.ec2
    ? new ecs.Ec2TaskDefinition(scope, 'TaskDefinition', { ...common, networkMode: ecs.NetworkMode.AWS_VPC })
    : new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
      ...common,
      cpu: spec.cpu,
      memoryLimitMiB: spec.memoryMiB,
      ephemeralStorageGiB: spec.ephemeralStorageGiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
  const logGroup = spec.logging._renderLogGroup(scope);
  const linuxParameters = new ecs.LinuxParameters(scope, 'LinuxParameters', { initProcessEnabled: true });
  linuxParameters.dropCapabilities(ecs.Capability.ALL);
  const container = taskDefinition.addContainer(MAIN_CONTAINER, {
    image: ecs.ContainerImage.fromRegistry(spec.image.toString()),
    user: spec.user,
    readonlyRootFilesystem: spec.readonlyRootFilesystem,
    privileged: false,
    linuxParameters,
    dockerSecurityOptions: spec.placement.ec2 ? ['no-new-privileges'] : undefined,
    command: spec.command,
    environment: sorted({ ...spec.systemEnvironment, ...spec.environment }),
    secrets: spec.secrets,
    dockerLabels: spec.dockerLabels,
    portMappings: spec.port !== undefined ? [{ containerPort: spec.port, name: 'http' }] : undefined,
    healthCheck: spec.healthCheck,
    gpuCount: spec.gpuCount > 0 ? spec.gpuCount : undefined,
    cpu: spec.placement.ec2 ? spec.cpu - verified.length * VERIFIER_CPU : undefined,
    // a hard memory limit on every container (Control Tower CT.ECS.PR.7); the FireLens router and the verifiers keep their own share
    memoryLimitMiB: mainMiB,
    logging: spec.logging._driver(logGroup, MAIN_CONTAINER),
    stopTimeout: spec.stopTimeout,
    essential: true,
  });
  container.addMountPoints(...Object.entries(spec.scratchVolumes)
    .map(([sourceVolume, containerPath]) => ({ sourceVolume, containerPath, readOnly: false })));
  if (spec.logging.fireLensRouting) {
    addFireLensRouter(scope, taskDefinition, spec, logGroup);
  }
  const verifiers = addArtifactVerifiers(scope, {
    taskDefinition,
    main: container,
    taskRole,
    user: spec.user,
    placement: spec.placement,
    logging: spec.logging,
    logGroup,
    decryptionKeys: spec.artifactDecryptionKeys ?? [],
  }, verified, acks);
  grantImagePull(scope, [
    { image: spec.image, repository: spec.repository, container },
    ...verifiers.map((v, i) => ({ image: verified[i].image, container: v })),
  ], executionRole, acks);
  if (Object.keys(spec.environment).length + Object.keys(spec.systemEnvironment).length > 0) {
    acknowledge(acks, taskDefinition, 'AwsSolutions-ECS2',
      'The environment holds only non-secret configuration (model identity, paths, log sink names); names that look like secrets '
      + 'are refused at construct time and secrets are injected from Secrets Manager or SSM (SEC-9).');
  }
  return { taskDefinition, container, taskRole, executionRole, logGroup };
}

/** The FireLens router: pinned AWS for Fluent Bit, logging itself through awslogs into the workload's log group. */
function addFireLensRouter(scope: Construct, taskDefinition: ecs.TaskDefinition, spec: TaskSpec, logGroup: logs.ILogGroup): void {
  const f = spec.logging._fireLens!;
  if (!f.outputOptions?.Name) {
    throw propError(scope, 'logging.outputOptions.Name', f.outputOptions?.Name, 'is missing', 'name the Fluent Bit output plugin, e.g. { Name: \'kinesis_firehose\', ... }');
  }
  const routerLinuxParameters = new ecs.LinuxParameters(scope, 'RouterLinuxParameters');
  routerLinuxParameters.dropCapabilities(ecs.Capability.ALL);
  const router = taskDefinition.addFirelensLogRouter('log-router', {
    linuxParameters: routerLinuxParameters,
    image: ecs.ContainerImage.fromRegistry((f.routerImage ?? ImageReference.fromString(AWS_FOR_FLUENT_BIT_IMAGE)).toString()),
    firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
    logging: spec.logging._awsLogs(logGroup, 'log-router'),
    readonlyRootFilesystem: true,
    privileged: false,
    essential: true,
    memoryLimitMiB: FIRELENS_ROUTER_MIB,
    dockerLabels: { 'org.opencontainers.image.title': 'aws-for-fluent-bit' },
  });
  router.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
}

/** An image a container of the task pulls, with the ECR repository it comes from when known. */
interface PulledImage {
  readonly image: ImageReference;
  readonly repository?: ecr.IRepository;
  readonly container: ecs.ContainerDefinition;
}

/** Pull rights on the ECR repositories of the images only (none for other registries, e.g. public.ecr.aws). */
function grantImagePull(scope: Construct, images: PulledImage[], role: iam.Role, acks: Acknowledged[]): void {
  let tokenGranted = false;
  for (const { image, repository, container } of images) {
    const m = ECR_HOST.exec(image.registry ?? '');
    if (!repository && !m) {
      continue;
    }
    if (repository) {
      repository.grantPull(role);
    } else {
      const arn = Stack.of(scope).formatArn({ service: 'ecr', account: m![1], region: m![2], resource: 'repository', resourceName: image.repository });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], resources: [arn] }));
      if (!tokenGranted) {
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
      }
    }
    // aws-cdk warns about every ECR image given by name; the grants above are exactly what it asks for
    Annotations.of(container).acknowledgeWarning('@aws-cdk/aws-ecs:ecrImageRequiresPolicy', 'pull rights on the repository are granted by the construct');
    if (!tokenGranted) {
      acknowledge(acks, role, 'AwsSolutions-IAM5[Resource::*]',
        'ecr:GetAuthorizationToken supports no resource-level permissions; image pulls are limited to the one repository of the image.');
      tokenGranted = true;
    }
  }
}

/** Refuses plaintext secrets and names the construct sets itself. */
function checkEnvironment(scope: Construct, env: Record<string, string>, system: Record<string, string>): void {
  for (const name of Object.keys(env).sort()) {
    if (name in system) {
      throw propError(scope, `environment.${name}`, name, 'is set by the construct', `remove it; the construct sets ${Object.keys(system).join(', ')}`);
    }
    const problem = plaintextSecretProblem(name, env[name]);
    if (problem) {
      throw propError(scope, `environment.${name}`, '(value hidden)', `looks like a secret in a plaintext environment variable: ${problem} (SEC-9)`,
        `pass it in secrets: { ${name}: ecs.Secret.fromSecretsManager(secret) }`);
    }
  }
}

/** A copy of a record with its keys in sorted order (stable templates). */
function sorted(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
}

/**
 * The Fargate CPU/memory pairs (MiB), for a clear error before CloudFormation rejects the task definition.
 *
 * @internal
 */
export function fargateMemoryOptions(cpu: number): number[] {
  const range = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_x, i) => from + i * step);
  switch (cpu) {
    case 256: return [512, 1024, 2048];
    case 512: return range(1024, 4096, 1024);
    case 1024: return range(2048, 8192, 1024);
    case 2048: return range(4096, 16384, 1024);
    case 4096: return range(8192, 30720, 1024);
    case 8192: return range(16384, 61440, 4096);
    case 16384: return range(32768, 122880, 8192);
    default: return [];
  }
}
