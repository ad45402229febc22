import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Acknowledged, acknowledge } from './acknowledgements';
import { TaskPlacement } from './capacity';
import { EcsLogging } from './logging';
import { verifierContainerCommand } from './verifier-command';
import { ImageReference } from '../core/image-reference';
import { PinnedArtifact } from '../core/model-artifact';

/** The hard memory limit of each verifier container, in MiB (taken from the main container's share of the task). */
export const VERIFIER_MIB = 512;
/** The CPU units each verifier reserves on EC2 (taken from the main container's share; Fargate sizes the task instead). */
export const VERIFIER_CPU = 256;
/** The task volume every verifier uses as `/tmp` and `HOME` (its root filesystem is read-only). */
export const VERIFIER_TMP_VOLUME = 'verifier-tmp';
/** Where a verifier mounts the volume it writes (below it: the volume's name), apart from a modelcar's own `/models`. */
export const VERIFIER_ROOT = '/cdk-compliant-ml';

/**
 * Where one verified input lands: the verifier container's name, the task volume, and the read-only mount in the main container.
 *
 * @internal
 */
export interface VerifiedInputPlacement {
  /** The artifact, validated for ECS (no claim, no gs://). */
  readonly artifact: PinnedArtifact;
  /** The image the verifier runs: the modelcar itself (OCI) or the verifier image of the URI's scheme. */
  readonly image: ImageReference;
  /** The prop the input came from, for errors (`modelArtifact`, `datasetArtifacts[0]`). */
  readonly prop: string;
  /** The verifier container's name, e.g. `model-verifier`. */
  readonly containerName: string;
  /** The task volume shared by the verifier (writable) and the main container (read-only). */
  readonly volumeName: string;
  /** The mount path of the volume in the main container. */
  readonly mountPath: string;
  /** The directory below the volume that receives the verified files, e.g. `model`. */
  readonly name: string;
}

/**
 * What the verifiers share with the main container.
 *
 * @internal
 */
export interface VerifierContext {
  readonly taskDefinition: ecs.TaskDefinition;
  readonly main: ecs.ContainerDefinition;
  readonly taskRole: iam.IRole;
  readonly user: string;
  readonly placement: TaskPlacement;
  readonly logging: EcsLogging;
  readonly logGroup: logs.ILogGroup;
  /** KMS keys that encrypt the S3 objects: `kms:Decrypt` through S3 only. */
  readonly decryptionKeys: kms.IKey[];
}

/**
 * Adds one non-essential verifier container per input, which the main container depends on with condition SUCCESS, so the
 * main container never starts unless every input was fetched and matched its digest (MOD-1). Each verifier runs with the
 * main container's hardening: the same non-root user, a read-only root filesystem with `/tmp` (and `HOME`) on a task
 * volume, every capability dropped, no new privileges on EC2, a hard memory limit, and logs in the workload's log group
 * through awslogs (also under FireLens, like the log router, so that a failed verification is never lost with the router).
 * The main container mounts each input's volume read-only; only its verifier mounts it writable. The task role gets read
 * access to each S3 object (or the prefix of a manifest) in a policy of its own, and nothing else.
 *
 * @internal
 */
export function addArtifactVerifiers(scope: Construct, context: VerifierContext, placements: VerifiedInputPlacement[],
  acks: Acknowledged[]): ecs.ContainerDefinition[] {
  if (placements.length === 0) {
    return [];
  }
  const containers: ecs.ContainerDefinition[] = [];
  context.taskDefinition.addVolume({ name: VERIFIER_TMP_VOLUME });
  const statements: iam.PolicyStatement[] = [];
  for (const placement of placements) {
    context.taskDefinition.addVolume({ name: placement.volumeName });
    const linuxParameters = new ecs.LinuxParameters(scope, `${pascal(placement.containerName)}LinuxParameters`, { initProcessEnabled: true });
    linuxParameters.dropCapabilities(ecs.Capability.ALL);
    const root = `${VERIFIER_ROOT}/${placement.volumeName}`;
    const { entryPoint, command, environment } = verifierContainerCommand(placement.artifact, root, placement.name);
    const verifier = context.taskDefinition.addContainer(placement.containerName, {
      image: ecs.ContainerImage.fromRegistry(placement.image.toString()),
      essential: false,
      user: context.user,
      readonlyRootFilesystem: true,
      privileged: false,
      linuxParameters,
      dockerSecurityOptions: context.placement.ec2 ? ['no-new-privileges'] : undefined,
      entryPoint,
      command,
      environment: { ...environment, HOME: '/tmp' },
      memoryLimitMiB: VERIFIER_MIB,
      cpu: context.placement.ec2 ? VERIFIER_CPU : undefined,
      logging: context.logging._awsLogs(context.logGroup, placement.containerName),
      dockerLabels: {
        'org.opencontainers.image.title': placement.containerName,
      },
    });
    verifier.addMountPoints(
      { sourceVolume: placement.volumeName, containerPath: root, readOnly: false },
      { sourceVolume: VERIFIER_TMP_VOLUME, containerPath: '/tmp', readOnly: false },
    );
    context.main.addMountPoints({ sourceVolume: placement.volumeName, containerPath: placement.mountPath, readOnly: true });
    context.main.addContainerDependencies({ container: verifier, condition: ecs.ContainerDependencyCondition.SUCCESS });
    statements.push(...s3ReadStatements(scope, placement.artifact));
    containers.push(verifier);
  }
  if (statements.length === 0) {
    return containers;
  }
  if (context.decryptionKeys.length > 0) {
    statements.push(new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: context.decryptionKeys.map((k) => k.keyArn),
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(scope).region}.amazonaws.com` } },
    }));
  }
  const policy = new iam.Policy(scope, 'ArtifactAccess', { roles: [context.taskRole as iam.Role], statements });
  const wildcards = placements.map((p) => s3Location(p.artifact)).filter((l) => l?.prefix)
    .map((l) => `Resource::arn:<AWS::Partition>:s3:::${l!.bucket}/${l!.key}*`);
  for (const finding of wildcards) {
    acknowledge(acks, policy, `AwsSolutions-IAM5[${finding}]`,
      'The verifier reads every file of the pinned manifest below this prefix; the manifest digest pins which files and bytes are accepted.');
  }
  return containers;
}

/** The bucket and key of an `s3://` artifact; `prefix` for a directory (a URI ending in `/`). */
function s3Location(artifact: PinnedArtifact): { bucket: string; key: string; prefix: boolean } | undefined {
  if (artifact.scheme !== 's3' || !artifact.uri) {
    return undefined;
  }
  const rest = artifact.uri.slice('s3://'.length);
  return { bucket: rest.slice(0, rest.indexOf('/')), key: rest.slice(rest.indexOf('/') + 1), prefix: artifact.isDirectory };
}

/** `s3:GetObject` on the object, or on `prefix*` plus `s3:ListBucket` limited to the prefix for a manifest's directory. */
function s3ReadStatements(scope: Construct, artifact: PinnedArtifact): iam.PolicyStatement[] {
  const location = s3Location(artifact);
  if (!location) {
    return [];
  }
  const { bucket, key, prefix } = location;
  const partition = Stack.of(scope).partition;
  if (!prefix) {
    return [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${partition}:s3:::${bucket}/${key}`] })];
  }
  return [
    new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${partition}:s3:::${bucket}/${key}*`] }),
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [`arn:${partition}:s3:::${bucket}`],
      conditions: { StringLike: { 's3:prefix': [`${key}*`] } },
    }),
  ];
}

function pascal(name: string): string {
  return name.split(/[^A-Za-z0-9]/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}
