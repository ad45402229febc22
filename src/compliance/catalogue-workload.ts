// Workload controls (image, metadata, security), transcribed as data from the project's control catalogue (CONTROLS.md).
// Control IDs are stable: code, tests and the compliance report refer to them, so never renumber or reuse an ID.
import { ControlDefinition, ControlFamily, ControlScope } from './control';

export const WORKLOAD_CONTROLS: ControlDefinition[] = [
  {
    id: 'IMG-1',
    family: ControlFamily.IMAGE,
    title: 'Every image is pinned by digest (`@sha256:`/`@sha512:`)',
    rationale: 'The same bytes run on every replica and re-run (consistent performance, Art. 15(1)/15(4)) and a digest cannot be re-pointed '
      + '(Art. 15(5)); an immutable identity in the logs lets you reconstruct what ran (Art. 12(2)(a)).',
    articles: ['Art. 15(1)', 'Art. 15(4)', 'Art. 15(5)', 'Art. 12(2)(a)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: 'Every `spec.template.spec.{containers,initContainers,ephemeralContainers}[*].image` (CronJob: '
      + '`spec.jobTemplate.spec.template.spec...`) is `name[:tag]@sha256:<64 hex>` (or sha512).',
    ecs: '`AWS::ECS::TaskDefinition.ContainerDefinitions[*].Image` carries a digest (e.g. `repo.repositoryUriForDigest(d)`); '
      + '`VersionConsistency` stays `enabled`.',
    externalRules: [
      { standard: 'CIS-K8s', id: '5.5.1' },
      { standard: 'Kyverno', id: 'verifyDigest' },
      { standard: 'CIS-Docker', id: '4.2' },
    ],
  },
  {
    id: 'IMG-2',
    family: ControlFamily.IMAGE,
    title: 'No `:latest` and no untagged references',
    rationale: 'A mutable `latest` tag or an untagged reference can silently change what runs, breaking consistent behaviour over the '
      + 'lifecycle (Art. 15(1), 15(4)).',
    articles: ['Art. 15(1)', 'Art. 15(4)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`...containers[*].image` (and `initContainers`, `ephemeralContainers`): a tag, if present, is not `latest`; a digest-only '
      + 'reference is allowed.',
    ecs: '`ContainerDefinitions[*].Image`: a tag, if present, is not `latest`; untagged and undigested references fail.',
    externalRules: [
      { standard: 'Polaris', id: 'tagNotSpecified' },
      { standard: 'kube-score', id: 'container-image-tag' },
      { standard: 'Kubescape', id: 'C-0075' },
    ],
  },
  {
    id: 'IMG-3',
    family: ControlFamily.IMAGE,
    title: '`imagePullPolicy: Always` (K8s)',
    rationale: 'Always pulling re-validates `imagePullSecrets` and stops another workload from reusing a node-cached private image '
      + 'without credentials (Art. 15(5)); with a digest it costs only a manifest check.',
    articles: ['Art. 15(5)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`...containers[*].imagePullPolicy: Always` on every container.',
    ecs: 'n/a: Fargate always pulls; on EC2 the agent setting `ECS_IMAGE_PULL_BEHAVIOR` is Environment.',
    externalRules: [
      { standard: 'Polaris', id: 'pullPolicyNotAlways' },
      { standard: 'kube-score', id: 'container-image-pull-policy' },
    ],
  },
  {
    id: 'IMG-4',
    family: ControlFamily.IMAGE,
    title: 'The image carries the OCI annotations source/revision/version/created (+ base.digest); '
      + 'their values are mirrored into the manifest',
    rationale: 'Source, revision and build date make the running image traceable (Art. 12(2)) and feed the technical documentation '
      + '(Art. 11, Annex IV) and post-market monitoring (Art. 72).',
    articles: ['Art. 12(2)', 'Art. 11', 'Annex IV', 'Art. 72'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`metadata.annotations` of the Deployment/Job (our constructs: and of the pod template) mirror the OCI values '
      + '`source`, `revision`, `version` and `created` under a library prefix (not the reserved `org.opencontainers` prefix).',
    ecs: '`ContainerDefinitions[*].DockerLabels` (exact OCI keys allowed) plus `Tags` on the TaskDefinition/Service.',
    externalRules: [
      { standard: 'OCI', id: 'annotations.md' },
    ],
  },
  {
    id: 'META-1',
    family: ControlFamily.METADATA,
    title: 'The `app.kubernetes.io/*` recommended labels, or equivalent ECS tags',
    rationale: 'Consistent name/instance/version/component/part-of/managed-by metadata ties every resource to its AI system '
      + 'for traceability (Art. 12(2)) and the technical documentation (Art. 11, Annex IV).',
    articles: ['Art. 12(2)', 'Art. 11', 'Annex IV'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`metadata.labels` (and the pod template labels) `app.kubernetes.io/name`, `/instance`, `/version`, `/component`, '
      + '`/part-of`, `/managed-by`; values <= 63 chars, so never a digest or URL.',
    ecs: 'The same keys as `Tags` on `AWS::ECS::TaskDefinition`/`Service`, with `PropagateTags: SERVICE` or `TASK_DEFINITION`.',
    externalRules: [
      { standard: 'K8s-recommended-labels', id: 'app.kubernetes.io' },
      { standard: 'SecurityHub', id: 'ECS.13' },
      { standard: 'SecurityHub', id: 'ECS.15' },
    ],
  },
  {
    id: 'META-2',
    family: ControlFamily.METADATA,
    title: 'Model and dataset provenance: name, version, URI, digest, registry, training run id',
    rationale: 'Model and dataset versions identify substantial modifications (Art. 12(2)(a)), document the system (Annex IV, Art. 13(3)(b)(iv)) '
      + 'and let post-market monitoring data be correlated with specific model versions (Art. 72).',
    articles: ['Art. 12(2)(a)', 'Art. 11', 'Annex IV(2)', 'Annex IV(3)', 'Annex IV(6)', 'Art. 13(3)(b)(iv)', 'Art. 72'],
    practice: 'model-registry',
    scope: ControlScope.ALL,
    kubernetes: 'Model servers and training jobs: `metadata.annotations` (not labels) `model.<prefix>/name` and `/version` (not `latest`), '
      + 'plus `/uri`, `/digest`, `/registry`, `/training-run-id` and the datasets when known (a training run without a model: '
      + '`run.<prefix>/id`); the same values go into the serving container env.',
    ecs: '`Tags` on the TaskDefinition/Service plus `ContainerDefinitions[*].DockerLabels`; the version must not be `latest`.',
    externalRules: [
      { standard: 'OCI', id: 'annotations.md' },
      { standard: 'OIP', id: 'model_version' },
    ],
  },
  {
    id: 'SEC-1',
    family: ControlFamily.SECURITY,
    title: 'Runs as non-root with a non-zero UID/GID >= 10000',
    rationale: 'A root process turns any container escape or vulnerability into full control of the node, so running as a '
      + 'dedicated high UID limits exploitation of system vulnerabilities (Art. 15(5)).',
    articles: ['Art. 15(5)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`securityContext.runAsNonRoot: true`, `runAsUser`/`runAsGroup` >= 10000 (10001) for every container (its own '
      + 'securityContext, else the pod\'s), never 0 at the pod level, and `fsGroup` (not 0) on the pod.',
    ecs: '`ContainerDefinitions[*].User: "10001:10001"` (numeric UID and GID, both >= 10000; a UID alone runs with group 0).',
    externalRules: [
      { standard: 'PSS-restricted', id: 'Running as Non-root' },
      { standard: 'PSS-restricted', id: 'Non-root user' },
      { standard: 'CIS-K8s', id: '5.2.7' },
      { standard: 'Kubescape', id: 'C-0013' },
      { standard: 'SecurityHub', id: 'ECS.20' },
      { standard: 'Polaris', id: 'runAsRootAllowed' },
      { standard: 'CIS-Docker', id: '4.1' },
    ],
  },
  {
    id: 'SEC-2',
    family: ControlFamily.SECURITY,
    title: '`allowPrivilegeEscalation: false`',
    rationale: 'Blocking setuid and similar privilege gains keeps a compromised process at its own privileges (Art. 15(5)).',
    articles: ['Art. 15(5)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`containers[*].securityContext.allowPrivilegeEscalation: false` (nil fails the restricted profile).',
    ecs: 'EC2 only: `DockerSecurityOptions: ["no-new-privileges"]`; Fargate has no field and is reported as runtime-managed.',
    externalRules: [
      { standard: 'PSS-restricted', id: 'Privilege Escalation' },
      { standard: 'CIS-K8s', id: '5.2.6' },
      { standard: 'Kubescape', id: 'C-0016' },
      { standard: 'Polaris', id: 'privilegeEscalationAllowed' },
      { standard: 'CIS-Docker', id: '5.26' },
    ],
  },
  {
    id: 'SEC-3',
    family: ControlFamily.SECURITY,
    title: 'Drop ALL capabilities; only `NET_BIND_SERVICE` may be added back',
    rationale: 'Kernel capabilities are the attack surface an exploited process would use; a model server needs none of them (Art. 15(5)).',
    articles: ['Art. 15(5)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`securityContext.capabilities.drop: ["ALL"]`; `add` may contain only `NET_BIND_SERVICE` (unneeded on ports >= 1024).',
    ecs: '`LinuxParameters.Capabilities.Drop: ["ALL"]`; never add `SYS_PTRACE` (the only capability Fargate can add).',
    externalRules: [
      { standard: 'PSS-restricted', id: 'Capabilities' },
      { standard: 'CIS-K8s', id: '5.2.8' },
      { standard: 'CIS-K8s', id: '5.2.9' },
      { standard: 'CIS-K8s', id: '5.2.10' },
      { standard: 'Kubescape', id: 'C-0046' },
      { standard: 'Polaris', id: 'insecureCapabilities' },
      { standard: 'CIS-Docker', id: '5.4' },
    ],
  },
  {
    id: 'SEC-4',
    family: ControlFamily.SECURITY,
    title: 'Seccomp `RuntimeDefault`',
    rationale: 'A syscall filter narrows the kernel interface reachable from an exploited process (Art. 15(5)).',
    articles: ['Art. 15(5)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`seccompProfile.type: RuntimeDefault` (or `Localhost`) for every container, set explicitly on the pod or the container '
      + '(absence fails the restricted profile; a container\'s `Unconfined` overrides the pod).',
    ecs: 'Environment: there is no seccomp field, the runtime default profile applies (runtime-managed); '
      + '`DockerSecurityOptions` must not contain `seccomp=unconfined`.',
    externalRules: [
      { standard: 'PSS-restricted', id: 'Seccomp' },
      { standard: 'CIS-K8s', id: '5.7.2' },
      { standard: 'Kubescape', id: 'C-0055' },
      { standard: 'Polaris', id: 'linuxHardening' },
      { standard: 'CIS-Docker', id: '5.22' },
    ],
  },
  {
    id: 'SEC-5',
    family: ControlFamily.SECURITY,
    title: 'Read-only root filesystem, with explicit writable scratch volumes',
    rationale: 'An immutable root filesystem stops an attacker from planting binaries or altering the model and code at runtime (Art. 15(5)) '
      + 'and keeps every replica identical (Art. 15(4)).',
    articles: ['Art. 15(5)', 'Art. 15(4)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`securityContext.readOnlyRootFilesystem: true` plus `emptyDir` mounts (with `sizeLimit`) at `/tmp` and the model cache.',
    ecs: '`ReadonlyRootFilesystem: true` with task `Volumes` (ephemeral bind mounts) and container `MountPoints`.',
    externalRules: [
      { standard: 'Kubescape', id: 'C-0017' },
      { standard: 'kube-score', id: 'container-security-context-readonlyrootfilesystem' },
      { standard: 'Polaris', id: 'notReadOnlyRootFilesystem' },
      { standard: 'SecurityHub', id: 'ECS.5' },
      { standard: 'CIS-Docker', id: '5.13' },
    ],
  },
  {
    id: 'SEC-6',
    family: ControlFamily.SECURITY,
    title: 'Never privileged',
    rationale: 'A privileged container has full access to the host, so any vulnerability becomes a host compromise (Art. 15(5)).',
    articles: ['Art. 15(5)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`securityContext.privileged` absent or `false` on every container.',
    ecs: '`ContainerDefinitions[*].Privileged` absent or `false` (Fargate does not support it).',
    externalRules: [
      { standard: 'PSS-baseline', id: 'Privileged Containers' },
      { standard: 'CIS-K8s', id: '5.2.2' },
      { standard: 'Kubescape', id: 'C-0057' },
      { standard: 'SecurityHub', id: 'ECS.4' },
      { standard: 'CIS-Docker', id: '5.5' },
    ],
  },
  {
    id: 'SEC-7',
    family: ControlFamily.SECURITY,
    title: 'No host namespaces, hostPath, hostPort; only the volume types the restricted profile allows',
    rationale: 'Host namespaces, host paths and host ports break the isolation between workload and node that limits the impact '
      + 'of an exploited vulnerability (Art. 15(5)).',
    articles: ['Art. 15(5)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: '`hostNetwork`/`hostPID`/`hostIPC` absent or false, no `volumes[*].hostPath`, `ports[*].hostPort` absent or 0, '
      + '`spec.volumes[*]` limited to the restricted list, no `host` in probes or lifecycle handlers.',
    ecs: '`NetworkMode: awsvpc`, no `PidMode`/`IpcMode: host`, no `Volumes[*].Host`; `PortMappings[*].HostPort` absent or equal to `ContainerPort`.',
    externalRules: [
      { standard: 'PSS-baseline', id: 'Host Namespaces' },
      { standard: 'PSS-baseline', id: 'HostPath Volumes' },
      { standard: 'PSS-baseline', id: 'Host Ports' },
      { standard: 'PSS-restricted', id: 'Volume Types' },
      { standard: 'CIS-K8s', id: '5.2.3' },
      { standard: 'CIS-K8s', id: '5.2.4' },
      { standard: 'CIS-K8s', id: '5.2.5' },
      { standard: 'CIS-K8s', id: '5.2.12' },
      { standard: 'CIS-K8s', id: '5.2.13' },
      { standard: 'SecurityHub', id: 'ECS.3' },
      { standard: 'SecurityHub', id: 'ECS.17' },
      { standard: 'CIS-Docker', id: '5.10' },
      { standard: 'CIS-Docker', id: '5.16' },
      { standard: 'CIS-Docker', id: '5.17' },
      { standard: 'CIS-Docker', id: '5.6' },
    ],
  },
  {
    id: 'SEC-8',
    family: ControlFamily.SECURITY,
    title: 'No automounted API token; dedicated identity with least privilege',
    rationale: 'An automounted API token or an over-broad role lets a compromised container act on the cluster or the cloud account '
      + '(Art. 15(5)).',
    articles: ['Art. 15(5)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: 'A dedicated `serviceAccountName` (not `default`) with `automountServiceAccountToken: false` on the PodSpec, or on that '
      + 'ServiceAccount in the same output; our constructs set both.',
    ecs: 'A scoped `TaskRoleArn` (model bucket prefix and log group, no `*` actions), or none; `ExecutionRoleArn` kept separate.',
    externalRules: [
      { standard: 'CIS-K8s', id: '5.1.5' },
      { standard: 'CIS-K8s', id: '5.1.6' },
      { standard: 'Kubescape', id: 'C-0034' },
      { standard: 'Polaris', id: 'automountServiceAccountToken' },
      { standard: 'cdk-nag', id: 'AwsSolutions-IAM5' },
    ],
  },
  {
    id: 'SEC-9',
    family: ControlFamily.SECURITY,
    title: 'No plaintext secrets in env vars',
    rationale: 'Literal credentials in the environment leak through manifests, templates, logs and `describe` output (Art. 15(5)).',
    articles: ['Art. 15(5)'],
    practice: 'containerization',
    scope: ControlScope.ALL,
    kubernetes: 'Secrets come from a read-only `volumes[*].secret` or `env[*].valueFrom.secretKeyRef`; no literal `env[*].value` holds a credential.',
    ecs: '`Secrets: [{Name, ValueFrom}]` (Secrets Manager/SSM ARN) and `LogConfiguration.SecretOptions`; no secret in `Environment`.',
    externalRules: [
      { standard: 'CIS-K8s', id: '5.4.1' },
      { standard: 'Kubescape', id: 'C-0012' },
      { standard: 'Polaris', id: 'sensitiveContainerEnvVar' },
      { standard: 'SecurityHub', id: 'ECS.8' },
      { standard: 'cdk-nag', id: 'AwsSolutions-ECS2' },
    ],
  },
];
