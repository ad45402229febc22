// The verdict rule of every control, per backend: exactly when the checker reports each status. The checkers implement this
// text and their doc comments quote it; docs/CONTROLS.md is generated from it. Statuses: enforced (the output proves the
// rule), equivalent, runtime-managed, external, not-applicable, unverified (the output cannot prove it either way: an
// intrinsic, a token, an object or peer the checker cannot see; enforcement fails on it), violated.
import { ControlVerdictRule } from './control';

/** @internal */
export const VERDICT_RULES: Record<string, ControlVerdictRule> = {
  'IMG-1': {
    kubernetes: '',
    ecs: 'Every container\'s `Image`, intrinsics flattened, ends in `@sha256:<64 hex>` or `@sha512:<128 hex>` → enforced; a digest part that is an intrinsic, or an image ending in an intrinsic without a literal `@`, → unverified; otherwise violated.',
    dockerfile: '',
  },
  'IMG-2': {
    kubernetes: '',
    ecs: 'A literal tag `latest`, or neither tag nor digest, on any container → violated; a tag or digest hidden in an intrinsic → unverified; otherwise enforced.',
    dockerfile: '',
  },
  'IMG-3': {
    kubernetes: '',
    ecs: 'The tasks run on Fargate (the launch rule of SEC-2) → runtime-managed (Fargate pulls on every task start); otherwise → external (the agent setting ECS_IMAGE_PULL_BEHAVIOR of the container instances).',
  },
  'IMG-4': {
    kubernetes: '',
    ecs: 'Every app container\'s `DockerLabels` hold the four OCI keys org.opencontainers.image.source, revision, version and created with literal, well-formed values (source a URL, revision 7–64 hex, created RFC 3339) → enforced; a malformed value → violated; an intrinsic value → unverified; a missing key → external (the image\'s own labels are not visible at synth time), naming each missing key.',
    dockerfile: '',
  },
  'META-1': {
    kubernetes: '',
    ecs: 'The task definition\'s `Tags` hold app.kubernetes.io/name, instance, version, component and managed-by with non-empty values (part-of is listed when present), and a service sets `PropagateTags` TASK_DEFINITION or SERVICE → enforced; a missing key or no propagation → violated; a tag list or value that is an intrinsic → unverified.',
  },
  'META-2': {
    kubernetes: '',
    ecs: 'The main container\'s `DockerLabels` name the model (`model.<prefix>/name` and `model.<prefix>/version`, the version not `latest`, a `model.<prefix>/digest` if present a registered digest) → enforced; otherwise violated; an intrinsic value → unverified.',
  },
  'SEC-1': {
    kubernetes: '',
    ecs: 'Every container\'s `User` is `uid:gid` with both numeric IDs >= 10000 → enforced; absent (the image\'s user, often root), an ID below 10000, `root`, or a numeric UID without a GID (ECS then runs with group 0) → violated; a user or group given by name other than root, or an intrinsic → unverified (the image\'s /etc/passwd decides the ID).',
    dockerfile: '',
  },
  'SEC-2': {
    kubernetes: '',
    ecs: 'Launch rule: the tasks run on Fargate when `RequiresCompatibilities` has FARGATE and every runner (the service, or each Step Functions `ecs:runTask` state) names the FARGATE launch type or only FARGATE/FARGATE_SPOT capacity providers, or no runner names one and FARGATE is the only compatibility. On Fargate → runtime-managed; otherwise every container\'s `DockerSecurityOptions` contains `no-new-privileges` → enforced, else violated on EC2 and unverified when the launch type is not visible; an intrinsic → unverified.',
  },
  'SEC-3': {
    kubernetes: '',
    ecs: 'Every container\'s `LinuxParameters.Capabilities.Drop` contains ALL and `Add` holds nothing but NET_BIND_SERVICE → enforced; otherwise (including no `LinuxParameters`) violated; an intrinsic → unverified.',
  },
  'SEC-4': {
    kubernetes: '',
    ecs: 'Any container with `seccomp=unconfined` in `DockerSecurityOptions` → violated; options behind an intrinsic → unverified; else on Fargate (the launch rule of SEC-2) → runtime-managed (the runtime default profile); else → external (the Docker daemon\'s default profile on the container instances).',
  },
  'SEC-5': {
    kubernetes: '',
    ecs: 'Every container\'s `ReadonlyRootFilesystem` is true (`true` or `"true"`, as CloudFormation reads booleans) → enforced; absent or false → violated; an intrinsic → unverified.',
  },
  'SEC-6': {
    kubernetes: '',
    ecs: 'No container\'s `Privileged` is true (`true` or `"true"`) → enforced (absent means false on every launch type); true → violated; an intrinsic such as `Fn::If` → unverified.',
  },
  'SEC-7': {
    kubernetes: '',
    ecs: '`NetworkMode` is awsvpc, `PidMode` and `IpcMode` are not host, no `Volumes[*].Host.SourcePath`, and every `PortMappings[*].HostPort` is absent or equals its `ContainerPort` → enforced; otherwise violated; an intrinsic → unverified.',
  },
  'SEC-8': {
    kubernetes: '',
    ecs: 'No `TaskRoleArn` → enforced (the task gets no AWS credentials). Otherwise the task role must be a role of this template, distinct from the execution role, and least privilege counting every policy attached to it (inline `Policies`; `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and `AWS::IAM::RolePolicy` resources anywhere in the template that name it; its `ManagedPolicyArns`): no Allow with `NotAction` or `NotResource`; no action wildcard on a whole service (`*`, `s3:*`, `IAM:*`: actions compare case-insensitively); no `iam:`/`organizations:` action and no pattern matching iam:PassRole, sts:AssumeRole or KMS key administration (`iam:Pass*`, `kms:*`); `Resource: "*"` only for actions without resource-level permissions (ecr:GetAuthorizationToken, X-Ray, cloudwatch:PutMetricData, ssmmessages) → enforced. An AWS managed policy ARN (AdministratorAccess, PowerUserAccess, any `arn:aws:iam::aws:policy/...`) or any other breach → violated; a role, policy document, managed policy ARN or action outside the template or behind an intrinsic → unverified.',
  },
  'SEC-9': {
    kubernetes: '',
    ecs: 'No container\'s `Environment` carries a plaintext secret by the one SEC-9 rule (src/core/secret-detection.ts: a name that denotes a secret with a value, or a value that looks like a credential), nor a `{{resolve:secretsmanager|ssm-secure}}` dynamic reference or an IAM access key\'s SecretAccessKey (both resolve into plaintext) → enforced, with `Secrets[*].ValueFrom` as evidence; one that does → violated; a value from a parameter or an import, or `EnvironmentFiles` (contents not in the template) → unverified.',
    dockerfile: '',
  },
  'NET-1': {
    kubernetes: '',
    ecs: '`AssignPublicIp` is not ENABLED, and every security group of the tasks (`AwsvpcConfiguration.SecurityGroups` of the service, or of each runTask state of a job) is in this template with, counting its inline rules and every `AWS::EC2::SecurityGroupIngress`/`SecurityGroupEgress` resource whose `GroupId` targets it: no ingress from 0.0.0.0/0 or ::/0; an explicit `SecurityGroupEgress` (without one AWS adds allow-all); no egress of all protocols to anywhere; egress to anywhere only on TCP 443 → enforced. A public IP, open ingress, default or broader egress, or no security group (the VPC default group) → violated; a group or list outside this template (an import), or a job with no runner in the template → unverified.',
  },
  'RES-1': {
    kubernetes: '',
    ecs: 'Task-level `Cpu` and `Memory` both positive → enforced (GPU `ResourceRequirements` listed); without them every container needs a positive `Cpu` and `Memory` or `MemoryReservation` → enforced, else violated; an intrinsic → unverified.',
  },
  'AVL-1': {
    kubernetes: '',
    ecs: '`DesiredCount` (not set: 1) >= 2 and every `ApplicationAutoScaling::ScalableTarget` of the service has `MinCapacity` >= 2 → enforced; fewer → violated; an intrinsic → unverified.',
  },
  'AVL-2': {
    kubernetes: '',
    ecs: '`DeploymentConfiguration.MinimumHealthyPercent` >= 100 (not set: the ECS default 100) → equivalent (ECS has no PodDisruptionBudget); less → violated; an intrinsic → unverified.',
  },
  'AVL-3': {
    kubernetes: '',
    ecs: 'The service\'s subnets are subnets of this template in at least two zones, `AvailabilityZoneRebalancing` is ENABLED (off Fargate also a `PlacementStrategies` spread on attribute:ecs.availability-zone), and each task subnet\'s egress stays in its own zone: its route table\'s 0.0.0.0/0 route goes to a NAT gateway in a public subnet of the same zone, or (no NAT route) the VPC has interface endpoints with a subnet in that zone for ecr.api, ecr.dkr, logs (and secretsmanager/ssm when secrets are used) plus the S3 gateway endpoint on its route table and every image comes from ECR → enforced. Fewer zones, rebalancing not set, or a subnet whose egress depends on another zone (one NAT gateway for all subnets: evidence names the NAT and the subnets) → violated; subnets, zones, route tables or NAT gateways outside the template → unverified.',
  },
  'AVL-4': {
    kubernetes: '',
    ecs: '`DeploymentController` ECS (not set: ECS), `MinimumHealthyPercent` >= 100 (not set: 100), `MaximumPercent` > 100 (not set: 200) and `DeploymentCircuitBreaker` Enable and Rollback true → enforced; otherwise violated; an intrinsic → unverified.',
  },
  'PRB-1': {
    kubernetes: '',
    ecs: 'Every app container (essential, not a FireLens router) has a `HealthCheck.Command` (evidence lists StartPeriod, Interval, Retries); each load balancer\'s target group is in this template with a `HealthCheckPath`, and with load balancers the service sets `HealthCheckGracePeriodSeconds` > 0 → enforced. A missing health check, path or grace period → violated; a target group outside this template → unverified. Jobs → not-applicable (JOB-2 bounds them).',
  },
  'JOB-1': {
    kubernetes: '',
    ecs: 'Every Step Functions `ecs:runTask` state of this template that runs the task definition (by reference or by its `Family`) uses `.sync` and has a `Retry` with `MaxAttempts` 1..10 → enforced; otherwise, or when no state runs it, violated.',
  },
  'JOB-2': {
    kubernetes: '',
    ecs: 'Every such state (or its state machine) has `TimeoutSeconds` > 0 and uses `.sync` → enforced; otherwise, or when no state runs it, violated.',
  },
  'JOB-3': {
    kubernetes: '',
    ecs: 'Every such state machine logs at level ALL to a log group of this template kept >= 184 days (or never expiring) → equivalent (the execution history outlives the expiring task metadata); otherwise violated; no runner → not-applicable.',
  },
  'LOG-1': {
    kubernetes: '',
    ecs: 'Every container\'s `LogConfiguration.LogDriver` is awslogs with `Options.mode` blocking or non-blocking set explicitly, or awsfirelens → enforced; otherwise violated.',
  },
  'LOG-2': {
    kubernetes: '',
    ecs: 'Every awslogs log group is an `AWS::Logs::LogGroup` of this template with `RetentionInDays` >= 184, or not set (never expires; the evidence notes the missing upper bound) → enforced; a shorter retention → violated; a log group outside the template → unverified; FireLens destinations (alone or beside a compliant router log group) → external (retention is set where the logs land).',
  },
  'LOG-3': {
    kubernetes: '',
    ecs: 'Every such log group has a `KmsKeyId` that targets an `AWS::KMS::Key` of this template with `EnableKeyRotation` true → enforced; no key or no rotation → violated; a key or log group outside the template → unverified; FireLens destinations → external.',
  },
  'LOG-4': {
    kubernetes: '',
    ecs: 'A container declares the inference-record sink (INFERENCE_LOG_PATH, _GROUP, _STREAM or _URL in `Environment` or `Secrets`) → external (the server must write one record per request there; the library does not produce the records); none declared → external naming the missing sink.',
  },
  'MON-1': {
    kubernetes: '',
    ecs: 'The cluster (the service\'s `Cluster`, or each runTask state\'s) is an `AWS::ECS::Cluster` of this template whose `ClusterSettings` set containerInsights to enabled or enhanced → enforced; set to anything else → violated; not set (the account default decides), a cluster outside this template, or a job with no runner → unverified.',
  },
  'REG-1': {
    kubernetes: '',
    ecs: 'Every ECR repository of this template that an image references has `ImageTagMutability` IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION) → enforced; MUTABLE or not set → violated; images from registries outside the template → external (a registry setting).',
  },
  'REG-2': {
    kubernetes: '',
    ecs: 'Scan evidence recorded in the containers\' docker labels over its threshold → violated; scan evidence, an ENHANCED `AWS::ECR::RegistryScanningConfiguration`, or scan-on-push on the image\'s repository → enforced; none → external (a registry or CI setting).',
  },
  'REG-3': {
    kubernetes: '',
    ecs: 'Always external: ECS has no native signature verification; a pipeline gate or a service lifecycle hook must verify the images.',
  },
};
