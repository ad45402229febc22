/* eslint-disable @typescript-eslint/no-explicit-any */
import { CfnResourceJson, TemplateView, flatten } from './template';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { hasAcceptableTag, isPinnedReference, SECRET_ENV_NAME_PATTERN } from '../../core/patterns';

const MIN_ID = 10000;
const OCI_REQUIRED = ['org.opencontainers.image.source', 'org.opencontainers.image.revision'];

/**
 * A view of one `AWS::ECS::TaskDefinition` of a template: its containers with their field paths.
 *
 * @internal
 */
export class TaskView {
  public readonly props: Record<string, any>;
  public readonly containers: Array<{ c: any; path: string }>;
  public readonly fargate: boolean;

  constructor(public readonly template: TemplateView, public readonly id: string, resource: CfnResourceJson) {
    this.props = resource.Properties ?? {};
    this.containers = (this.props.ContainerDefinitions ?? []).map((c: any, i: number) => ({ c, path: `ContainerDefinitions[${i}]` }));
    this.fargate = (this.props.RequiresCompatibilities ?? []).includes('FARGATE');
  }

  /** `TaskDefinition <id> path=value` evidence text. */
  public ev(path: string, value: unknown): string {
    return `TaskDefinition ${this.id} ${path}=${JSON.stringify(value ?? null)}`;
  }

  /** Runs `ok` on every container: enforced with all evidence, or violated with the failing ones. */
  public each(id: string, field: string, ok: (c: any) => boolean, value: (c: any) => unknown): Finding {
    const good: string[] = []; const bad: string[] = [];
    for (const { c, path } of this.containers) {
      (ok(c) ? good : bad).push(this.ev(`${path}.${field}`, value(c)));
    }
    return verdict(id, good, bad);
  }
}

/** IMG-1, IMG-2, IMG-3 on every container image (intrinsics flattened, so token names with a literal digest pass). @internal */
export function imageChecks(t: TaskView): Finding[] {
  const image = (c: any) => flatten(c.Image);
  return [
    t.each('IMG-1', 'Image', (c) => isPinnedReference(image(c)), image),
    t.each('IMG-2', 'Image', (c) => hasAcceptableTag(image(c)), image),
    t.fargate
      ? { id: 'IMG-3', status: ControlStatus.RUNTIME_MANAGED, evidence: [t.ev('RequiresCompatibilities', t.props.RequiresCompatibilities) + ': Fargate pulls the image on every task start'] }
      : { id: 'IMG-3', status: ControlStatus.EXTERNAL, evidence: ['on EC2 the pull behaviour is the agent setting ECS_IMAGE_PULL_BEHAVIOR of the container instances'] },
  ];
}

/** IMG-4, META-1, META-2: OCI docker labels, recommended tags and model provenance. @internal */
export function metadataChecks(t: TaskView): Finding[] {
  const labels = (c: any) => c.DockerLabels ?? {};
  const tags: Record<string, string> = Object.fromEntries((t.props.Tags ?? []).map((x: any) => [x.Key, flatten(x.Value)]));
  const main = t.containers[0]?.c ?? {};
  const oci = OCI_REQUIRED.every((k) => labels(main)[k]);
  const meta1 = ['app.kubernetes.io/name', 'app.kubernetes.io/version', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by'];
  const missing = meta1.filter((k) => !tags[k]);
  const modelKeys = Object.keys(labels(main)).filter((k) => k.startsWith('model.'));
  const version = labels(main)[modelKeys.find((k) => k.endsWith('/version')) ?? ''];
  return [
    oci
      ? { id: 'IMG-4', status: ControlStatus.ENFORCED, evidence: OCI_REQUIRED.map((k) => t.ev(`ContainerDefinitions[0].DockerLabels["${k}"]`, labels(main)[k])) }
      : { id: 'IMG-4', status: ControlStatus.EXTERNAL, evidence: [`TaskDefinition ${t.id}: no OCI source/revision docker labels; the image's own labels are not visible at synth time`] },
    verdict('META-1', meta1.map((k) => t.ev(`Tags["${k}"]`, tags[k])), missing.map((k) => t.ev(`Tags["${k}"]`, null))),
    modelKeys.length > 0 && version !== 'latest'
      ? { id: 'META-2', status: ControlStatus.ENFORCED, evidence: modelKeys.sort().map((k) => t.ev(`ContainerDefinitions[0].DockerLabels["${k}"]`, labels(main)[k])) }
      : { id: 'META-2', status: ControlStatus.VIOLATED, evidence: [t.ev('ContainerDefinitions[0].DockerLabels[model.*]', modelKeys.length ? version : null)] },
  ];
}

/** True when `User` is `uid[:gid]` with numeric IDs of at least 10000. */
function userOk(user: unknown): boolean {
  const m = /^(\d+)(?::(\d+))?$/.exec(String(user ?? ''));
  return m !== null && Number(m[1]) >= MIN_ID && (m[2] === undefined || Number(m[2]) >= MIN_ID);
}

/** SEC-1 .. SEC-7 and SEC-9 on every container and the task. @internal */
export function securityChecks(t: TaskView): Finding[] {
  const secOpts = (c: any): string[] => c.DockerSecurityOptions ?? [];
  const caps = (c: any) => c.LinuxParameters?.Capabilities ?? {};
  const out: Finding[] = [
    t.each('SEC-1', 'User', (c) => userOk(c.User), (c) => c.User),
    t.fargate
      ? { id: 'SEC-2', status: ControlStatus.RUNTIME_MANAGED, evidence: [`TaskDefinition ${t.id}: Fargate offers no no-new-privileges setting; the platform applies it`] }
      : t.each('SEC-2', 'DockerSecurityOptions', (c) => secOpts(c).includes('no-new-privileges'), secOpts),
    t.each('SEC-3', 'LinuxParameters.Capabilities', (c) => (caps(c).Drop ?? []).includes('ALL')
      && (caps(c).Add ?? []).every((a: string) => a === 'NET_BIND_SERVICE'), caps),
    t.containers.some(({ c }) => secOpts(c).some((o) => /^seccomp[=:]unconfined$/.test(o)))
      ? t.each('SEC-4', 'DockerSecurityOptions', (c) => !secOpts(c).some((o) => /^seccomp[=:]unconfined$/.test(o)), secOpts)
      : { id: 'SEC-4', status: ControlStatus.RUNTIME_MANAGED, evidence: [`TaskDefinition ${t.id}: no seccomp setting exists; the runtime default profile applies`] },
    t.each('SEC-5', 'ReadonlyRootFilesystem', (c) => c.ReadonlyRootFilesystem === true, (c) => c.ReadonlyRootFilesystem),
    t.each('SEC-6', 'Privileged', (c) => c.Privileged !== true, (c) => c.Privileged ?? false),
  ];
  const hostVolumes = (t.props.Volumes ?? []).filter((v: any) => v.Host?.SourcePath);
  const hostPorts = t.containers.flatMap(({ c, path }) => (c.PortMappings ?? [])
    .filter((p: any) => p.HostPort !== undefined && p.HostPort !== p.ContainerPort).map(() => path));
  const sec7bad = [
    ...(t.props.NetworkMode === 'awsvpc' ? [] : [t.ev('NetworkMode', t.props.NetworkMode)]),
    ...(['PidMode', 'IpcMode'].filter((k) => t.props[k] === 'host').map((k) => t.ev(k, 'host'))),
    ...hostVolumes.map((v: any) => t.ev(`Volumes[${v.Name}].Host.SourcePath`, v.Host.SourcePath)),
    ...hostPorts.map((p: string) => t.ev(`${p}.PortMappings[*].HostPort`, 'differs from ContainerPort')),
  ];
  out.push(verdict('SEC-7', [t.ev('NetworkMode', t.props.NetworkMode), t.ev('Volumes[*].Host', 'none')], sec7bad));
  const env = t.containers.flatMap(({ c, path }) => (c.Environment ?? []).map((e: any) => ({ e, path })));
  const leaked = env.filter(({ e }) => SECRET_ENV_NAME_PATTERN.test(String(e.Name)));
  const secrets = t.containers.flatMap(({ c, path }) => (c.Secrets ?? []).map((s: any) => t.ev(`${path}.Secrets[${s.Name}].ValueFrom`, flatten(s.ValueFrom))));
  out.push(verdict('SEC-9', secrets.length ? secrets : [t.ev('ContainerDefinitions[*].Environment', 'no secret-named variables')],
    leaked.map(({ e, path }) => t.ev(`${path}.Environment[${e.Name}]`, 'plaintext value'))));
  return out;
}

/** SEC-8: a task role without wildcard actions, kept apart from the execution role. @internal */
export function identityCheck(t: TaskView): Finding {
  const taskRole = t.template.target(t.props.TaskRoleArn);
  if (t.props.TaskRoleArn === undefined) {
    return { id: 'SEC-8', status: ControlStatus.ENFORCED, evidence: [t.ev('TaskRoleArn', 'none: the task gets no AWS credentials')] };
  }
  if (!taskRole || !t.template.get(taskRole)) {
    return { id: 'SEC-8', status: ControlStatus.EXTERNAL, evidence: [t.ev('TaskRoleArn', flatten(t.props.TaskRoleArn)) + ': role defined outside this template'] };
  }
  const bad: string[] = [];
  if (taskRole === t.template.target(t.props.ExecutionRoleArn)) {
    bad.push(t.ev('TaskRoleArn', 'same role as ExecutionRoleArn'));
  }
  const role = t.template.get(taskRole)!;
  const policies = [
    ...(role.Properties?.Policies ?? []).map((p: any) => p.PolicyDocument),
    ...t.template.referrers(taskRole, 'AWS::IAM::Policy').map((id) => t.template.get(id)!.Properties?.PolicyDocument),
  ];
  for (const doc of policies) {
    for (const s of doc?.Statement ?? []) {
      const actions: string[] = [s.Action ?? []].flat().map(flatten);
      if (s.Effect !== 'Deny' && actions.some((a) => a === '*' || /^[a-z0-9-]+:\*$/.test(a))) {
        bad.push(`IAM policy of ${taskRole}: Action=${JSON.stringify(actions)}`);
      }
    }
  }
  const admin = (role.Properties?.ManagedPolicyArns ?? []).map(flatten).filter((a: string) => /AdministratorAccess|PowerUserAccess/.test(a));
  bad.push(...admin.map((a: string) => `Role ${taskRole} ManagedPolicyArns contains ${a}`));
  return verdict('SEC-8', [t.ev('TaskRoleArn', `\${${taskRole}}`), `Role ${taskRole}: ${policies.length} inline/attached policies, no wildcard actions`], bad);
}

/** RES-1: task CPU and memory (Fargate) or container memory (EC2), and GPU requirements. @internal */
export function resourceCheck(t: TaskView): Finding {
  if (t.props.Cpu !== undefined && t.props.Memory !== undefined) {
    const gpu = t.containers.flatMap(({ c, path }) => (c.ResourceRequirements ?? []).map((r: any) => t.ev(`${path}.ResourceRequirements[${r.Type}]`, r.Value)));
    return { id: 'RES-1', status: ControlStatus.ENFORCED, evidence: [t.ev('Cpu', t.props.Cpu), t.ev('Memory', t.props.Memory), ...gpu] };
  }
  return t.each('RES-1', '{Cpu,Memory,MemoryReservation}', (c) => c.Cpu !== undefined && (c.Memory ?? c.MemoryReservation) !== undefined,
    (c) => [c.Cpu ?? null, c.Memory ?? c.MemoryReservation ?? null]);
}
