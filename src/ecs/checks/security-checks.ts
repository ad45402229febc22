/* eslint-disable @typescript-eslint/no-explicit-any */
import { cfnBoolean, cfnList, containsIntrinsic, isIntrinsic } from './cfn-values';
import { TaskView } from './task-view';
import { flatten } from './template';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { WorkloadDefaults } from '../../core/defaults';
import { plaintextSecretProblem } from '../../core/secret-detection';

type Outcome = 'ok' | 'bad' | 'unknown';
const UNCONFINED_SECCOMP = /^seccomp[=:]unconfined$/i;

/**
 * SEC-1: "Every container's `User` is `uid:gid` with both numeric IDs >= 10000 → enforced; absent (the image's user, often
 * root), an ID below 10000, `root`, or a numeric UID without a GID (ECS then runs with group 0) → violated; a user or group
 * given by name other than root, or an intrinsic → unverified (the image's /etc/passwd decides the ID)."
 *
 * @internal
 */
export function judgeUser(user: unknown): Outcome {
  if (user === undefined || user === null) {
    return 'bad';
  }
  if (typeof user !== 'string') {
    return 'unknown';
  }
  const [uid, gid, ...rest] = user.split(':');
  if (rest.length > 0 || uid === '' || gid === '') {
    return 'bad';
  }
  const part = (id: string | undefined): Outcome => {
    if (id === undefined) {
      // a numeric UID alone runs with group 0; a user name alone gets its primary group from the image's /etc/passwd
      return /^\d+$/.test(uid) || uid === 'root' ? 'bad' : 'unknown';
    }
    if (/^\d+$/.test(id)) {
      return Number(id) >= WorkloadDefaults.MIN_USER_ID ? 'ok' : 'bad';
    }
    return id === 'root' ? 'bad' : 'unknown';
  };
  const outcomes = [part(uid), part(gid)];
  return outcomes.includes('bad') ? 'bad' : outcomes.includes('unknown') ? 'unknown' : 'ok';
}

/** A boolean field that must be true (`wanted`) or must not be true. */
function judgeBoolean(value: unknown, mustBeTrue: boolean): Outcome {
  const read = cfnBoolean(value);
  if (read === 'unknown') {
    return 'unknown';
  }
  return mustBeTrue ? (read === 'true' ? 'ok' : 'bad') : (read === 'true' ? 'bad' : 'ok');
}

/** The literal items of a string list field, or undefined when the list or an item is an intrinsic. */
function literalStrings(value: unknown): string[] | undefined {
  const list = cfnList(value);
  return list === undefined || list.some((item) => typeof item !== 'string') ? undefined : list as string[];
}

/**
 * SEC-2: "Launch rule: the tasks run on Fargate when `RequiresCompatibilities` has FARGATE and every runner (the service, or
 * each Step Functions `ecs:runTask` state) names the FARGATE launch type or only FARGATE/FARGATE_SPOT capacity providers, or no
 * runner names one and FARGATE is the only compatibility. On Fargate → runtime-managed; otherwise every container's
 * `DockerSecurityOptions` contains `no-new-privileges` → enforced, else violated on EC2 and unverified when the launch type is
 * not visible; an intrinsic → unverified."
 * SEC-3: "Every container's `LinuxParameters.Capabilities.Drop` contains ALL and `Add` holds nothing but NET_BIND_SERVICE →
 * enforced; otherwise (including no `LinuxParameters`) violated; an intrinsic → unverified."
 * SEC-4: "Any container with `seccomp=unconfined` in `DockerSecurityOptions` → violated; options behind an intrinsic →
 * unverified; else on Fargate (the launch rule of SEC-2) → runtime-managed (the runtime default profile); else → external (the
 * Docker daemon's default profile on the container instances)."
 * SEC-5: "Every container's `ReadonlyRootFilesystem` is true (`true` or `"true"`, as CloudFormation reads booleans) → enforced;
 * absent or false → violated; an intrinsic → unverified."
 * SEC-6: "No container's `Privileged` is true (`true` or `"true"`) → enforced (absent means false on every launch type); true →
 * violated; an intrinsic such as `Fn::If` → unverified."
 *
 * @internal
 */
export function containerSecurityChecks(task: TaskView): Finding[] {
  const options = (container: any) => container.DockerSecurityOptions;
  const capabilities = (container: any) => container.LinuxParameters?.Capabilities;
  const noNewPrivileges = task.launch === 'fargate'
    ? { id: 'SEC-2', status: ControlStatus.RUNTIME_MANAGED, evidence: [task.note(`${task.launchReason}; Fargate offers no no-new-privileges setting and applies it`)] }
    : task.eachContainer('SEC-2', 'DockerSecurityOptions', options, (value) => {
      const list = literalStrings(value);
      if (list === undefined) {
        return 'unknown';
      }
      return list.includes('no-new-privileges') ? 'ok' : task.launch === 'ec2' ? 'bad' : 'unknown';
    });
  const unconfined = task.containers.filter(({ container }) => (literalStrings(options(container)) ?? []).some((o) => UNCONFINED_SECCOMP.test(o)));
  const hiddenOptions = task.containers.filter(({ container }) => literalStrings(options(container)) === undefined);
  let seccomp: Finding;
  if (unconfined.length > 0) {
    seccomp = verdict('SEC-4', [], unconfined.map(({ container, path }) => task.field(`${path}.DockerSecurityOptions`, options(container))));
  } else if (hiddenOptions.length > 0) {
    seccomp = verdict('SEC-4', [], [], hiddenOptions.map(({ container, path }) => task.field(`${path}.DockerSecurityOptions`, options(container))));
  } else if (task.launch === 'fargate') {
    seccomp = { id: 'SEC-4', status: ControlStatus.RUNTIME_MANAGED, evidence: [task.note(`${task.launchReason}; no seccomp setting exists, the runtime default profile applies`)] };
  } else {
    seccomp = { id: 'SEC-4', status: ControlStatus.EXTERNAL, evidence: [task.note('no container sets seccomp=unconfined; the Docker daemon of the container instances applies its default profile unless configured otherwise')] };
  }
  return [
    task.eachContainer('SEC-1', 'User', (c) => c.User, (value) => judgeUser(value)),
    noNewPrivileges,
    task.eachContainer('SEC-3', 'LinuxParameters.Capabilities', capabilities, (value) => {
      if (containsIntrinsic(value)) {
        return 'unknown';
      }
      const drop = literalStrings(value?.Drop) ?? [];
      const add = literalStrings(value?.Add) ?? [];
      return drop.some((d) => d.toUpperCase() === 'ALL') && add.every((a) => a.toUpperCase() === 'NET_BIND_SERVICE') ? 'ok' : 'bad';
    }),
    seccomp,
    task.eachContainer('SEC-5', 'ReadonlyRootFilesystem', (c) => c.ReadonlyRootFilesystem, (value) => judgeBoolean(value, true)),
    task.eachContainer('SEC-6', 'Privileged', (c) => c.Privileged, (value) => judgeBoolean(value, false)),
  ];
}

/**
 * SEC-7: "`NetworkMode` is awsvpc, `PidMode` and `IpcMode` are not host, no `Volumes[*].Host.SourcePath`, and every
 * `PortMappings[*].HostPort` is absent or equals its `ContainerPort` → enforced; otherwise violated; an intrinsic →
 * unverified."
 *
 * @internal
 */
export function hostIsolationCheck(task: TaskView): Finding {
  const good: string[] = []; const bad: string[] = []; const unknown: string[] = [];
  const sort = (outcome: Outcome, text: string) => (outcome === 'ok' ? good : outcome === 'bad' ? bad : unknown).push(text);
  const mode = task.props.NetworkMode;
  sort(isIntrinsic(mode) ? 'unknown' : mode === 'awsvpc' ? 'ok' : 'bad', task.field('NetworkMode', mode));
  for (const key of ['PidMode', 'IpcMode']) {
    const value = task.props[key];
    if (value !== undefined) {
      sort(isIntrinsic(value) ? 'unknown' : value === 'host' ? 'bad' : 'ok', task.field(key, value));
    }
  }
  const volumes = cfnList(task.props.Volumes);
  if (volumes === undefined) {
    sort('unknown', task.field('Volumes', task.props.Volumes));
  }
  (volumes ?? []).forEach((volume: any, index: number) => {
    if (volume?.Host?.SourcePath !== undefined) {
      sort('bad', task.field(`Volumes[${index}](${volume.Name}).Host.SourcePath`, volume.Host.SourcePath));
    }
  });
  for (const { container, path } of task.containers) {
    (cfnList(container.PortMappings) ?? []).forEach((mapping: any, index: number) => {
      if (mapping?.HostPort !== undefined) {
        const same = String(mapping.HostPort) === String(mapping.ContainerPort);
        sort(containsIntrinsic(mapping.HostPort) ? 'unknown' : same ? 'ok' : 'bad',
          task.field(`${path}.PortMappings[${index}].{HostPort,ContainerPort}`, [mapping.HostPort, mapping.ContainerPort]));
      }
    });
  }
  if (bad.length === 0 && unknown.length === 0) {
    good.push(task.note('no host volumes, no host PID/IPC namespace'));
  }
  return verdict('SEC-7', good, bad, unknown);
}

/**
 * SEC-9: "No container's `Environment` carries a plaintext secret by the one SEC-9 rule (src/core/secret-detection.ts: a name
 * that denotes a secret with a value, or a value that looks like a credential), nor a `{{resolve:secretsmanager|ssm-secure}}`
 * dynamic reference or an IAM access key's SecretAccessKey (both resolve into plaintext) → enforced, with
 * `Secrets[*].ValueFrom` as evidence; one that does → violated; a value from a parameter or an import, or `EnvironmentFiles`
 * (contents not in the template) → unverified."
 *
 * @internal
 */
export function secretEnvironmentCheck(task: TaskView): Finding {
  const good: string[] = []; const bad: string[] = []; const unknown: string[] = [];
  for (const { container, path } of task.containers) {
    const environment = cfnList(container.Environment);
    if (environment === undefined) {
      unknown.push(task.field(`${path}.Environment`, container.Environment));
    }
    for (const variable of environment ?? []) {
      const name = String((variable as any)?.Name);
      const value = (variable as any)?.Value;
      const text = flatten(value);
      const where = `${path}.Environment[${name}]`;
      const problem = plaintextSecretProblem(name, text)
        ?? (/\{\{resolve:(secretsmanager|ssm-secure):/.test(text) ? 'its value is a dynamic reference that resolves the secret into plaintext' : undefined)
        ?? (secretAttribute(task, value) ? 'its value is the SecretAccessKey of an IAM access key' : undefined);
      if (problem) {
        bad.push(task.note(`${where} holds a plaintext secret: ${problem} (value hidden)`));
      } else if (hiddenValue(task, value)) {
        unknown.push(task.note(`${where}=${text}: the value is given at deploy time and is not in the template`));
      }
    }
    for (const file of cfnList(container.EnvironmentFiles) ?? []) {
      unknown.push(task.field(`${path}.EnvironmentFiles[*].Value`, (file as any)?.Value) + ': the file\'s variables are not in the template');
    }
    for (const secret of cfnList(container.Secrets) ?? []) {
      good.push(task.field(`${path}.Secrets[${(secret as any)?.Name}].ValueFrom`, (secret as any)?.ValueFrom));
    }
  }
  if (good.length === 0) {
    good.push(task.note('no Environment entry carries a secret (names and values checked)'));
  }
  return verdict('SEC-9', good, bad, unknown);
}

/** True for `Fn::GetAtt [<AWS::IAM::AccessKey>, SecretAccessKey]` anywhere in the value. */
function secretAttribute(task: TaskView, value: unknown): boolean {
  return JSON.stringify(value ?? null).replace(/"Fn::GetAtt":\s*\["([^"]+)","SecretAccessKey"\]/g, (match, id: string) =>
    task.template.get(id)?.Type === 'AWS::IAM::AccessKey' ? '!SECRET!' : match).includes('!SECRET!');
}

/** True when part of the value comes from a parameter or an import, whose text the template does not show. */
function hiddenValue(task: TaskView, value: unknown): boolean {
  if (!containsIntrinsic(value)) {
    return false;
  }
  const text = JSON.stringify(value);
  if (text.includes('"Fn::ImportValue"')) {
    return true;
  }
  const refs = [...text.matchAll(/"Ref":"([^"]+)"/g)].map((m) => m[1]);
  return refs.some((ref) => !ref.startsWith('AWS::') && task.template.get(ref) === undefined);
}
