// The verdict rule of every control, per backend: exactly when the checker reports each status. The checkers implement this
// text and their doc comments quote it; docs/CONTROLS.md is generated from it. Statuses: enforced (the output proves the
// rule), equivalent, runtime-managed, external, not-applicable, unverified (the output cannot prove it either way: an
// intrinsic, a token, an object or peer the checker cannot see; enforcement fails on it), violated.
import { ControlVerdictRule } from './control';

/** @internal */
export const VERDICT_RULES: Record<string, ControlVerdictRule> = {
  'IMG-1': {
    kubernetes: 'Every container image (init, regular and ephemeral containers) is `name[:tag]@sha256:<64 hex>` or '
      + '`@sha512:<128 hex>`: enforced. An image that is empty, missing or has no registered digest: violated. An image '
      + 'that still holds a token or a template placeholder (`${...}`, `{{ ... }}`) is unverified: the output does not '
      + 'say what will run.',
    ecs: 'Every container\'s `Image`, intrinsics flattened, ends in `@sha256:<64 hex>` or `@sha512:<128 hex>` → '
      + 'enforced; a digest part that is an intrinsic, or an image ending in an intrinsic without a literal `@`, → '
      + 'unverified; otherwise violated.',
    dockerfile: 'Enforced when every external image the build reads (each FROM, COPY --from and RUN '
      + '--mount=type=bind|cache,from= that does not name an earlier stage, after ARG substitution with the given build '
      + 'args) is pinned by a sha256 or sha512 digest, and every ADD of a URL has --checksum=sha256:<64 hex> (of a git '
      + 'repository: a full commit id). Violated when one of them has no digest or checksum, or uses an ARG that has no '
      + 'value, so the image cannot be determined. A build from scratch and earlier stages only is enforced.',
  },
  'IMG-2': {
    kubernetes: 'Every container image (init, regular and ephemeral) has a tag other than `latest`, or is pinned by digest '
      + 'without a tag: enforced. `:latest`, an untagged and undigested reference, or an empty or missing image: '
      + 'violated. A token or template placeholder in the image: unverified.',
    ecs: 'A literal tag `latest`, or neither tag nor digest, on any container → violated; a tag or digest hidden in an '
      + 'intrinsic → unverified; otherwise enforced.',
    dockerfile: 'Enforced when no external image (FROM, COPY --from, RUN --mount from=) uses the tag latest or has neither tag '
      + 'nor digest; a digest-only reference passes. Violated when one does, or when the reference is invalid or uses '
      + 'an ARG that has no value.',
  },
  'IMG-3': {
    kubernetes: 'Every container (init, regular and ephemeral) sets `imagePullPolicy: Always`: enforced. Any other value, or '
      + 'the field left unset (the API server then defaults a tagged or digest reference to IfNotPresent): violated, '
      + 'with the value or `not set`. A placeholder in the field: unverified.',
    ecs: 'The tasks run on Fargate (the launch rule of SEC-2) → runtime-managed (Fargate pulls on every task start); '
      + 'otherwise → external (the agent setting ECS_IMAGE_PULL_BEHAVIOR of the container instances).',
  },
  'IMG-4': {
    kubernetes: 'The workload\'s `metadata.annotations` mirror all four OCI image keys the control names, as '
      + '`oci.compliance.cdk-compliant-ml.io/{source,revision,version,created}`, with source a URL, revision a 7–64 '
      + 'character hex commit and created RFC 3339: enforced. A mirrored value of the wrong form: violated. Any key '
      + 'missing: external (the image\'s own labels are not visible at synth time), naming the missing keys. The '
      + 'evidence lists all four keys.',
    ecs: 'Every app container\'s `DockerLabels` hold the four OCI keys org.opencontainers.image.source, revision, '
      + 'version and created with literal, well-formed values (source a URL, revision 7–64 hex, created RFC 3339) → '
      + 'enforced; a malformed value → violated; an intrinsic value → unverified; a missing key → external (the '
      + 'image\'s own labels are not visible at synth time), naming each missing key.',
    dockerfile: 'Enforced when the final stage (or a stage it builds on) has the LABELs org.opencontainers.image.source (a '
      + 'URL), revision (7 to 64 lowercase hex), version and created (RFC 3339), literal or through an ARG or ENV '
      + 'declared in the stage; a value left to an ARG without a default is checked when --build-arg gives it and '
      + 'counts as set otherwise. Violated when one is missing, empty, malformed or uses a variable the stage does not '
      + 'declare.',
  },
  'MOD-1': {
    kubernetes: 'Applies to every workload; each artifact (the model, and every dataset of a training job) is judged alone. '
      + 'An artifact is verified when an init container that is not a restartable sidecar (so it exits before any regular '
      + 'container starts) declares it in its env (`ARTIFACT_SOURCE`, `ARTIFACT_REFERENCE`, `ARTIFACT_DIGEST` = '
      + '`sha256:<64 hex>`), runs `sh -c` with exactly the library\'s verifier script for that artifact (regenerated from those '
      + 'values and its mounts: a hand-edited script does not count), writes an `emptyDir` volume that every container started '
      + 'after it mounts only with `readOnly: true`, and the main container mounts that volume read-only; for an OCI artifact the '
      + 'verifier\'s image is the reference itself, for a claim the claim is mounted read-only. The ImageVolume path counts '
      + 'too: an `image` volume whose reference is pinned by that digest, mounted read-only by the main container. Enforced '
      + 'when the model is verified, the main container\'s `MODEL_DIGEST` equals its digest, and every declared artifact is '
      + 'verified; the evidence names the digest and the verifying container. Violated when the workload declares an artifact '
      + '(the `model-artifact.compliance.cdk-compliant-ml.io/digest` or `dataset-artifact-<n>...` annotations on the workload or '
      + 'its pod template, or a verifier env) that is not verified as above, when `MODEL_DIGEST` differs or is missing, or when '
      + 'a model server (the profile rule of META-2) names a model URI (`model.compliance.cdk-compliant-ml.io/uri`) without a '
      + 'verified model. A token or placeholder in a digest, reference or script: unverified. No artifact declared and no '
      + 'model URI: external for a model server or a training job (the weights may be inside the digest-pinned image or '
      + 'fetched from somewhere the output does not show), not-applicable for any other workload.',
    ecs: 'Applies to every task definition; each artifact (the model, and every dataset of a training job) is judged '
      + 'alone. An artifact is declared by a container\'s `Environment` (`ARTIFACT_SOURCE`, `ARTIFACT_REFERENCE`, '
      + '`ARTIFACT_DIGEST`) or by the main container\'s docker labels '
      + '(`model-artifact.compliance.cdk-compliant-ml.io/digest`, '
      + '`dataset-artifact-<n>.compliance.cdk-compliant-ml.io/digest`). It is verified when the container that declares '
      + 'it has `Essential: false`, runs `sh -c` with exactly the library\'s verifier script for that artifact '
      + '(regenerated from those values, its root and its target: a hand-edited script does not count), writes a '
      + 'task-scoped bind mount (no `Host.SourcePath`, EFS or Docker volume configuration) at the script\'s root, every '
      + 'other container mounts that volume only with `ReadOnly: true` (`MountPoints` and `VolumesFrom`), and every '
      + 'essential container that mounts it, the main container first, has `DependsOn` the verifier with `Condition: '
      + 'SUCCESS`; for an OCI artifact the verifier\'s `Image` is the reference itself. Enforced when every declared '
      + 'artifact is verified and, when the task declares a model (`MODEL_DIGEST` or the model-artifact label), the main '
      + 'container\'s `MODEL_DIGEST` equals the digest of a verified artifact, its model-artifact label (when set) equals '
      + 'it, and it mounts that artifact\'s volume; the evidence names the digest and the verifying container. Violated '
      + 'when a declared artifact is not verified as above, when `MODEL_DIGEST` names no verified digest or is missing '
      + 'beside a declared model artifact, or when a model server (the declaration of META-2; not a training job, whose '
      + 'model labels name the model it produces) names a model URI (`model.compliance.cdk-compliant-ml.io/uri`) without '
      + 'a verified model. An intrinsic in a digest, reference, image, command, volume or dependency: unverified. No '
      + 'artifact declared and no model URI: external for a model server or a training job (the weights may be inside the '
      + 'digest-pinned image or fetched from somewhere the template does not show), not-applicable for any other task.',
  },
  'META-1': {
    kubernetes: 'Applies to every workload. Its `metadata.labels` and its pod template\'s labels both carry the six recommended '
      + 'labels `app.kubernetes.io/{name,instance,version,component,part-of,managed-by}`, each a non-empty valid label '
      + 'value (at most 63 characters, so never a digest or URL), and `instance` equals the object\'s name (Polaris '
      + 'metadataAndInstanceMismatched): enforced. A missing or invalid label, or another instance: violated.',
    ecs: 'The task definition\'s `Tags` hold app.kubernetes.io/name, instance, version, component and managed-by with '
      + 'non-empty values (part-of is listed when present), and a service sets `PropagateTags` TASK_DEFINITION or '
      + 'SERVICE → enforced; a missing key or no propagation → violated; a tag list or value that is an intrinsic → '
      + 'unverified.',
  },
  'META-2': {
    kubernetes: 'Applies to model servers and training jobs only (our constructs, a workload labelled '
      + '`app.kubernetes.io/component: model-server` or `training-job`, or a known ML serving or training kind); any '
      + 'other workload is not-applicable with that reason. The workload\'s annotations '
      + '`model.compliance.cdk-compliant-ml.io/name` and `/version` are non-empty, the version is not `latest`, and '
      + '`/digest`, when set, is a sha256/sha512 digest: enforced. A training job without a registered model yet is '
      + 'identified by `run.compliance.cdk-compliant-ml.io/id`: enforced. Otherwise violated. A runtime template '
      + '(ServingRuntime, ClusterServingRuntime, TrainingRuntime, ClusterTrainingRuntime) without model annotations: '
      + 'unverified (the objects that use it name the model).',
    ecs: 'Applies to tasks that declare themselves a model server or training job (the kind our constructs record in the '
      + 'template metadata, the tag or docker label `app.kubernetes.io/component` `model-server`/`training-job`, or '
      + '`model.*` docker labels); any other task is not-applicable with that reason. The main container\'s '
      + '`DockerLabels` name the model (`model.<prefix>/name` and `model.<prefix>/version`, the version not `latest`, a '
      + '`model.<prefix>/digest` if present a registered digest) → enforced; otherwise violated; an intrinsic value → '
      + 'unverified.',
  },
  'SEC-1': {
    kubernetes: 'Every container (init, regular and ephemeral) runs with `runAsNonRoot: true` and a `runAsUser` and '
      + '`runAsGroup` of at least 10000, each read from the container\'s securityContext, else from the pod\'s: '
      + 'enforced. A missing field, a lower ID or `runAsNonRoot` not true: violated. A pod-level `runAsUser: 0`, '
      + '`runAsGroup: 0` or `fsGroup: 0` is a violation even where every container overrides it (a container added '
      + 'later, or an ephemeral debug container, inherits it).',
    ecs: 'Every container\'s `User` is `uid:gid` with both numeric IDs >= 10000 → enforced; absent (the image\'s user, '
      + 'often root), an ID below 10000, `root`, or a numeric UID without a GID (ECS then runs with group 0) → '
      + 'violated; a user or group given by name other than root, or an intrinsic → unverified (the image\'s '
      + '/etc/passwd decides the ID).',
    dockerfile: 'Enforced when the USER in force for the final stage is a numeric UID:GID with both IDs >= 10000 (after ARG '
      + 'substitution). Violated when there is no USER (the base image\'s user, root by default), the user or group is '
      + 'root or 0, an ID is below 10000, or an ARG it uses has no value, or no group is given (USER 10001 runs with '
      + 'GID 0 unless the image\'s /etc/passwd says otherwise). Unverified when the user or group is a name: it maps to '
      + 'an ID through the image\'s /etc/passwd or /etc/group, which a Dockerfile does not show.',
  },
  'SEC-2': {
    kubernetes: 'Every container (init, regular and ephemeral) sets `securityContext.allowPrivilegeEscalation: false`: '
      + 'enforced. `true` or the field left unset (the runtime then allows escalation): violated, as PSS restricted.',
    ecs: 'Launch rule: the tasks run on Fargate when `RequiresCompatibilities` has FARGATE and every runner (the '
      + 'service, or each Step Functions `ecs:runTask` state) names the FARGATE launch type or only '
      + 'FARGATE/FARGATE_SPOT capacity providers, or no runner names one and FARGATE is the only compatibility. On '
      + 'Fargate → runtime-managed; otherwise every container\'s `DockerSecurityOptions` contains `no-new-privileges` → '
      + 'enforced, else violated on EC2 and unverified when the launch type is not visible; an intrinsic → unverified.',
  },
  'SEC-3': {
    kubernetes: 'Every container (init, regular and ephemeral) has `capabilities.drop` containing `ALL` (exactly: the runtime '
      + 'is case-sensitive, `all` drops nothing) and `capabilities.add` empty or only `NET_BIND_SERVICE` (as PSS '
      + 'restricted spells it: `CAP_NET_BIND_SERVICE` is refused like any other name): enforced. Anything else: '
      + 'violated.',
    ecs: 'Every container\'s `LinuxParameters.Capabilities.Drop` contains ALL and `Add` holds nothing but '
      + 'NET_BIND_SERVICE → enforced; otherwise (including no `LinuxParameters`) violated; an intrinsic → unverified.',
  },
  'SEC-4': {
    kubernetes: 'Every container (init, regular and ephemeral) runs under a seccomp profile of type `RuntimeDefault` or '
      + '`Localhost`, read from the container\'s securityContext, else from the pod\'s: enforced. `Unconfined` at '
      + 'either level (a container\'s own type overrides the pod\'s) or no type at all: violated.',
    ecs: 'Any container with `seccomp=unconfined` in `DockerSecurityOptions` → violated; options behind an intrinsic → '
      + 'unverified; else on Fargate (the launch rule of SEC-2) → runtime-managed (the runtime default profile); else → '
      + 'external (the Docker daemon\'s default profile on the container instances).',
  },
  'SEC-5': {
    kubernetes: 'Every container (init, regular and ephemeral) sets `securityContext.readOnlyRootFilesystem: true`: enforced. '
      + '`false` or unset: violated.',
    ecs: 'Every container\'s `ReadonlyRootFilesystem` is true (`true` or `"true"`, as CloudFormation reads booleans) → '
      + 'enforced; absent or false → violated; an intrinsic → unverified.',
  },
  'SEC-6': {
    kubernetes: 'No container (init, regular or ephemeral) sets `securityContext.privileged` to anything but false: enforced, '
      + 'with each container\'s value or `not set`. `privileged: true`: violated.',
    ecs: 'No container\'s `Privileged` is true (`true` or `"true"`) → enforced (absent means false on every launch '
      + 'type); true → violated; an intrinsic such as `Fn::If` → unverified.',
  },
  'SEC-7': {
    kubernetes: 'The pod sets none of `hostNetwork`, `hostPID`, `hostIPC` to true; every volume is of a type PSS restricted '
      + 'allows (configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret; so no '
      + 'hostPath); no container (init, regular or ephemeral) sets a non-zero `ports[*].hostPort`; no probe or '
      + 'lifecycle handler sets `host`: enforced. Any of them: violated, naming the field and value.',
    ecs: '`NetworkMode` is awsvpc, `PidMode` and `IpcMode` are not host, no `Volumes[*].Host.SourcePath`, and every '
      + '`PortMappings[*].HostPort` is absent or equals its `ContainerPort` → enforced; otherwise violated; an '
      + 'intrinsic → unverified.',
  },
  'SEC-8': {
    kubernetes: 'The pod names a dedicated ServiceAccount (`serviceAccountName` set and not `default`) and does not mount its '
      + 'API token: `automountServiceAccountToken: false` on the pod is enforced; left unset on the pod, it is enforced '
      + 'when that ServiceAccount is among the evaluated objects with `automountServiceAccountToken: false` (the API '
      + 'server honours it), and violated when the ServiceAccount is not in the output or does not set it to false (the '
      + 'default mounts the token). `automountServiceAccountToken: true` on the pod, or a missing or `default` '
      + 'ServiceAccount: violated. A KServe serving runtime (ServingRuntime, ClusterServingRuntime) that does not meet '
      + 'this: unverified (the InferenceService that uses it sets the pod\'s ServiceAccount).',
    ecs: 'No `TaskRoleArn` on Fargate → enforced (the task gets no AWS credentials); on EC2 or an unknown launch type → '
      + 'unverified (the containers can reach the container instance role through IMDS unless the agent blocks it). '
      + 'Otherwise the task role must be a role of this template, distinct from the execution role, and least privilege '
      + 'counting every policy attached to it (inline `Policies`; `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and '
      + '`AWS::IAM::RolePolicy` resources anywhere in the template that name it; its `ManagedPolicyArns`): no Allow '
      + 'with `NotAction` or `NotResource`; no action wildcard on a whole service (`*`, `s3:*`, `IAM:*`: actions '
      + 'compare case-insensitively); no `iam:`/`organizations:` action and no pattern matching iam:PassRole, '
      + 'sts:AssumeRole or KMS key administration (`iam:Pass*`, `kms:*`); `Resource: "*"` only for actions without '
      + 'resource-level permissions (ecr:GetAuthorizationToken, X-Ray, cloudwatch:PutMetricData, ssmmessages) → '
      + 'enforced. An AWS managed policy ARN (AdministratorAccess, PowerUserAccess, any `arn:aws:iam::aws:policy/...`) '
      + 'or any other breach → violated; a role, policy document, managed policy ARN or action outside the template or '
      + 'behind an intrinsic → unverified.',
  },
  'SEC-9': {
    kubernetes: 'No literal `env[*].value` of any container (init, regular or ephemeral) carries a plaintext secret: its name '
      + 'does not denote a secret value (PASSWORD, SECRET, TOKEN as a word, API_KEY, PRIVATE_KEY, CREDENTIALS; not '
      + '`*_NAME`, `*_PATH`, `*_FILE`, `*_ARN`, `MAX_*_TOKENS`, `TOKENIZER_*`) and its value does not look like a '
      + 'credential (a URL with user:password@, `password=`, an AWS access key id, a PEM block, a known token format): '
      + 'enforced. `valueFrom.secretKeyRef` and empty values carry none. Otherwise violated, naming the variable (never '
      + 'printing its value).',
    ecs: 'No container\'s `Environment` carries a plaintext secret by the one SEC-9 rule (src/core/secret-detection.ts: '
      + 'a name that denotes a secret with a value, or a value that looks like a credential), nor a '
      + '`{{resolve:secretsmanager|ssm-secure}}` dynamic reference or an IAM access key\'s SecretAccessKey (both '
      + 'resolve into plaintext) → enforced, with `Secrets[*].ValueFrom` as evidence; one that does → violated; a value '
      + 'from a parameter or an import, or `EnvironmentFiles` (contents not in the template) → unverified.',
    dockerfile: 'Violated when an ENV value or ARG default of any stage carries a plaintext secret by the one SEC-9 rule of '
      + 'every backend: a name that denotes a secret value with a literal (or variable) value, or a value that looks '
      + 'like a credential whatever the name (the value never enters the report). Enforced otherwise; an ARG without a '
      + 'default is a build argument and carries nothing into the Dockerfile.',
  },
  'NET-1': {
    kubernetes: 'Every NetworkPolicy of the workload\'s namespace whose podSelector selects its pod labels counts, ours or '
      + 'foreign ({} selects all); their union decides. Enforced when they restrict Ingress (policyTypes default: '
      + 'always) and Egress (default: only when egress rules exist) and no rule admits every peer: no from/to or an '
      + 'empty list, a peer {}, ipBlock 0.0.0.0/0 or ::/0 without except, or namespaceSelector {} without podSelector '
      + '(ports do not narrow peers). Otherwise violated, naming each selecting policy and open rule. No selecting '
      + 'policy while an operator renders them at runtime (KubeRay `networkIsolation`): unverified.',
    ecs: '`AssignPublicIp` is not ENABLED, and every security group of the tasks (`AwsvpcConfiguration.SecurityGroups` '
      + 'of the service, or of each runTask state of a job) is in this template with, counting its inline rules and '
      + 'every `AWS::EC2::SecurityGroupIngress`/`SecurityGroupEgress` resource whose `GroupId` targets it: no ingress '
      + 'from 0.0.0.0/0 or ::/0; an explicit `SecurityGroupEgress` (without one AWS adds allow-all); no egress of all '
      + 'protocols to anywhere; egress to anywhere only on TCP 443 → enforced. A public IP, open ingress, default or '
      + 'broader egress, or no security group (the VPC default group) → violated; a group or list outside this template '
      + '(an import), or a job with no runner in the template → unverified.',
  },
  'RES-1': {
    kubernetes: 'Every init container (native sidecars included: plain init containers count toward the pod\'s effective '
      + 'request too) and every regular container sets `resources.requests` and `resources.limits` for `cpu`, `memory` '
      + 'and `ephemeral-storage`, each a Kubernetes quantity greater than zero with the request not above the limit, '
      + 'and a limit for every GPU resource it requests (`nvidia.com/gpu`, ...): enforced. A missing value, zero (`0`, '
      + '`0Mi`, `0.0`, `0m`), a negative or unparsable quantity, or a request above its limit: violated, with the '
      + 'value. Ephemeral containers may not set resources and are not judged.',
    ecs: 'Task-level `Cpu` and `Memory` both positive → enforced (GPU `ResourceRequirements` listed); without them every '
      + 'container needs a positive `Cpu` and `Memory` or `MemoryReservation` → enforced, else violated; an intrinsic → '
      + 'unverified.',
  },
  'AVL-1': {
    kubernetes: 'At least 2 replicas at runtime: an autoscaler targeting the workload (HPA scaleTargetRef apiVersion/kind/name '
      + 'in its namespace, or a KEDA ScaledObject) overrides spec.replicas, so its minimum decides (minReplicas default '
      + '1, minReplicaCount default 0); two autoscalers on one workload are violated. A bare Pod is violated; a '
      + 'DaemonSet is not-applicable (one pod per eligible node); replicas managed by a custom-resource controller, or '
      + 'a value the output cannot read, are unverified.',
    ecs: '`DesiredCount` (not set: 1) >= 2 and every `ApplicationAutoScaling::ScalableTarget` of the service has '
      + '`MinCapacity` >= 2 → enforced; fewer → violated; an intrinsic → unverified.',
  },
  'AVL-2': {
    kubernetes: 'Exactly one PodDisruptionBudget of the namespace selects the pod labels (matchLabels and matchExpressions), '
      + 'allowing at least one voluntary disruption without blocking all. maxUnavailable 0 or "0%", minAvailable >= the '
      + 'replica count (the autoscaler minimum when one targets it) or "100%", minAvailable 0, or neither field: '
      + 'violated. More than one selecting PDB: violated (eviction refuses). None: violated (unverified for pods a '
      + 'custom-resource controller labels and runs). DaemonSet: not-applicable.',
    ecs: '`DeploymentConfiguration.MinimumHealthyPercent` >= 100 (not set: the ECS default 100) → equivalent (ECS has no '
      + 'PodDisruptionBudget); less → violated; an intrinsic → unverified.',
  },
  'AVL-3': {
    kubernetes: 'topologySpreadConstraints on topology.kubernetes.io/zone and on kubernetes.io/hostname plus a podAntiAffinity '
      + 'term (required or preferred) on the hostname or zone, each with a labelSelector that selects the workload\'s '
      + 'own pod labels (a selector that misses them spreads nothing); otherwise violated. DaemonSet: not-applicable.',
    ecs: 'The service\'s subnets are subnets of this template in at least two zones, `AvailabilityZoneRebalancing` is '
      + 'ENABLED (off Fargate also a `PlacementStrategies` spread on attribute:ecs.availability-zone), and each task '
      + 'subnet\'s egress stays in its own zone: its route table\'s 0.0.0.0/0 route goes to a NAT gateway in a public '
      + 'subnet of the same zone, or (no NAT route) the VPC has interface endpoints with a subnet in that zone for '
      + 'ecr.api, ecr.dkr, logs (and secretsmanager/ssm when secrets are used) plus the S3 gateway endpoint on its '
      + 'route table and every image comes from ECR → enforced. Fewer zones, rebalancing not set, or a subnet whose '
      + 'egress depends on another zone (one NAT gateway for all subnets: evidence names the NAT and the subnets) → '
      + 'violated; subnets, zones, route tables or NAT gateways outside the template → unverified.',
  },
  'AVL-4': {
    kubernetes: 'Deployment: RollingUpdate with maxUnavailable 0 (or "0%") and maxSurge > 0, and a progressDeadlineSeconds (API '
      + 'default 600). Kubernetes has no automatic rollback: enforced means a zero-downtime rollout in which a failing '
      + 'ReplicaSet stalls, the deadline marks it failed and the old ReplicaSet keeps serving. Recreate, StatefulSet, '
      + 'ReplicaSet, ReplicationController, bare Pod: violated; a DaemonSet needs the same rollingUpdate values; '
      + 'controller-run rollouts (Argo Rollout, CRDs): unverified.',
    ecs: '`DeploymentController` ECS (not set: ECS), `MinimumHealthyPercent` >= 100 (not set: 100), `MaximumPercent` > '
      + '100 (not set: 200) and `DeploymentCircuitBreaker` Enable and Rollback true → enforced; otherwise violated; an '
      + 'intrinsic → unverified.',
  },
  'PRB-1': {
    kubernetes: 'Every regular container has a liveness and a readiness probe whose handlers differ (a not-ready server is '
      + 'drained, not restarted); each probe is printed as what it is (httpGet, exec, tcpSocket, grpc). For model '
      + 'servers (our CompliantModelService, a workload labelled `app.kubernetes.io/component: model-server`, or a '
      + 'known ML serving kind) also: a startup probe whose budget (initialDelaySeconds + failureThreshold × '
      + 'periodSeconds) is at least the worst-case model load declared in the annotation '
      + '`compliance.cdk-compliant-ml.io/model-load-timeout-seconds` (our constructs write it from `modelLoadTimeout`; '
      + 'without it the budget cannot be compared: unverified), and httpGet liveness/readiness on the Open Inference '
      + 'Protocol paths `/v2/health/live` and `/v2/health/ready` (or `/v2/models/<name>/ready`). For other services a '
      + 'startup probe is not required and the OIP paths do not apply (not-applicable, said in the evidence). A missing '
      + 'probe, identical handlers, a short budget or another path: violated. Jobs: not applicable. `host` fields are '
      + 'judged by SEC-7.',
    ecs: 'Every app container (essential, not a FireLens router) has a `HealthCheck.Command` that can fail (evidence lists '
      + 'StartPeriod, Interval, Retries); each load balancer\'s target group is in this template with a `HealthCheckPath`, '
      + 'and with load balancers the service sets `HealthCheckGracePeriodSeconds` > 0 → enforced. A missing health check, '
      + 'path or grace period, or a command that always succeeds (`true`, `exit 0`, `|| exit 0`, `|| true`, `; exit 0`, a '
      + 'command sent to the background) → violated; a `CMD-SHELL` command with other shell operators (`;`, `&`, `|`, '
      + '`$(`, backquotes), a command behind an intrinsic, or a target group outside this template → unverified. Jobs → '
      + 'not-applicable (JOB-2 bounds them).',
  },
  'JOB-1': {
    kubernetes: 'backoffLimit an integer 0..6 (unset: the API default 6) and the pod template\'s restartPolicy Never; OnFailure '
      + 'is violated (it restarts in place, losing the failed pod, and podFailurePolicy needs Never). A '
      + 'podFailurePolicy is recommended, not required: its actions are named in the evidence. Jobs run by a '
      + 'custom-resource controller (Argo, Kubeflow, KubeRay): unverified.',
    ecs: 'Every Step Functions `ecs:runTask` state of this template that runs the task definition (by reference or by '
      + 'its `Family`) uses `.sync` and has a `Retry` with `MaxAttempts` 1..10 → enforced; otherwise, or when no state '
      + 'runs it, violated.',
  },
  'JOB-2': {
    kubernetes: 'activeDeadlineSeconds an integer > 0 on the Job (a CronJob\'s on its jobTemplate); unset or 0 is violated; a '
      + 'value the output cannot read, or a job run by a custom-resource controller, is unverified.',
    ecs: 'Every such state (or its state machine) has `TimeoutSeconds` > 0 and uses `.sync` → enforced; otherwise, or '
      + 'when no state runs it, violated.',
  },
  'JOB-3': {
    kubernetes: 'ttlSecondsAfterFinished >= the evidence-harvest window (ours: evidenceHarvestWindow; foreign Jobs: its default '
      + '86400 s); 0 or shorter deletes the evidence: violated. Unset: the TTL controller never deletes the Job: '
      + 'enforced, stated in the evidence. A CronJob history limit of 0 deletes finished Jobs: violated. '
      + 'Custom-resource jobs: unverified.',
    ecs: 'Every such state machine logs at level ALL to a log group of this template kept >= 184 days (or never '
      + 'expiring) → equivalent (the execution history outlives the expiring task metadata); otherwise violated; no '
      + 'runner → not-applicable.',
  },
  'LOG-1': {
    kubernetes: '`enforced` when a log-shipping sidecar of the pod (a Fluent Bit container) mounts a ConfigMap that is among '
      + 'the evaluated objects, whose configuration has an `[OUTPUT]` leaving the pod and tails a directory shared with '
      + 'the app containers, and every app container\'s stdout/stderr are routed into that directory by the library\'s '
      + 'wrapper (`captureStdio`). A sidecar that ships only files is `external` for stdout/stderr, with the action '
      + '(deploy a node agent shipping to the named destination) and the shipped files as evidence; no shipper, or one '
      + 'whose configuration ships nothing, is `external` (node agent); a container named log-shipper proves nothing by '
      + 'itself. The shipper\'s ConfigMap not among the evaluated objects, or outputs only behind `@INCLUDE`: '
      + '`unverified`.',
    ecs: 'Every container\'s `LogConfiguration.LogDriver` is awslogs with `Options.mode` blocking or non-blocking set '
      + 'explicitly, or awsfirelens → enforced; otherwise violated.',
  },
  'LOG-2': {
    kubernetes: '`external`, always: retention is a setting of the receiver; the evidence names the receiver read from the '
      + 'sidecar\'s `[OUTPUT]` (or the cluster log backend) and says that it must keep the logs at least 184 days.',
    ecs: 'Every awslogs log group is an `AWS::Logs::LogGroup` of this template with `RetentionInDays` >= 184, or not set '
      + '(never expires; the evidence notes the missing upper bound) → enforced; a shorter retention → violated; a log '
      + 'group outside the template → unverified; FireLens destinations (alone or beside a compliant router log group) '
      + '→ external (retention is set where the logs land).',
  },
  'LOG-3': {
    kubernetes: '`external`, always: encryption at rest and access control are settings of the receiver, named as for LOG-2; '
      + 'the evidence gives the transport (TLS or plaintext) read from the `[OUTPUT]`.',
    ecs: 'Every such log group has a `KmsKeyId` that targets an `AWS::KMS::Key` of this template with '
      + '`EnableKeyRotation` true → enforced; no key or no rotation → violated; a key or log group outside the template '
      + '→ unverified; FireLens destinations → external.',
  },
  'LOG-4': {
    kubernetes: '`enforced` only for inference records the library itself produces (none on Kubernetes today). A declared sink '
      + '(`INFERENCE_LOG_PATH` on an app container) is `external`: the server must write its records to that path; the '
      + 'evidence says whether the verified sidecar ships that file and to where. No sink declared: `external`.',
    ecs: 'A container declares the inference-record sink (INFERENCE_LOG_PATH, _GROUP, _STREAM or _URL in `Environment` '
      + 'or `Secrets`) → external (the server must write one record per request there; the library does not produce the '
      + 'records); none declared → external naming the missing sink.',
  },
  'MON-1': {
    kubernetes: '`external`, always: metrics scraping (ServiceMonitor/PodMonitor) and dashboards are cluster objects outside '
      + 'the workload.',
    ecs: 'The cluster (the service\'s `Cluster`, or each runTask state\'s) is an `AWS::ECS::Cluster` of this template '
      + 'whose `ClusterSettings` set containerInsights to enabled or enhanced → enforced; set to anything else → '
      + 'violated; not set (the account default decides), a cluster outside this template, or a job with no runner → '
      + 'unverified.',
  },
  'REG-1': {
    kubernetes: '`external`, always: tag immutability is a registry setting that no manifest holds.',
    ecs: 'Every ECR repository of this template that an image references has `ImageTagMutability` IMMUTABLE (or '
      + 'IMMUTABLE_WITH_EXCLUSION) → enforced; MUTABLE or not set → violated; images from registries outside the '
      + 'template → external (a registry setting).',
  },
  'REG-2': {
    kubernetes: '`enforced` when the workload\'s annotations record vulnerability scans, every one for an image digest of the '
      + 'pod and within its recorded threshold (recomputed from the counts); `violated` when a recorded scan is for '
      + 'another digest or over its threshold; no scan recorded: `external` (a CI or registry scan).',
    ecs: 'Scan evidence recorded in the containers\' docker labels over its threshold → violated; scan evidence, an '
      + 'ENHANCED `AWS::ECR::RegistryScanningConfiguration`, or scan-on-push on the image\'s repository → enforced; '
      + 'none → external (a registry or CI setting).',
  },
  'REG-3': {
    kubernetes: 'A signature policy counts when it reaches the Pods of the workload\'s namespace and enforces: Kyverno '
      + 'ClusterPolicy or Policy (own namespace) verifyImages with attestors, match covering Pod or the workload\'s '
      + 'kind (kinds, namespaces, namespaceSelector with the Namespace in the output, selector; exclude/preconditions '
      + 'cannot skip it), Enforce action; sigstore ClusterImagePolicy mode enforce in a Namespace of the output '
      + 'labelled policy.sigstore.dev/include=true. Enforced when such policies cover every image (init and sidecars '
      + 'too); otherwise external with what is missing.',
    ecs: 'Always external: ECS has no native signature verification; a pipeline gate or a service lifecycle hook must '
      + 'verify the images.',
  },
};
