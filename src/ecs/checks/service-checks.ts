/* eslint-disable @typescript-eslint/no-explicit-any */
import { cfnBoolean, cfnList, cfnNumber, fieldText } from './cfn-values';
import { networkIsolationCheck } from './network-checks';
import { ServiceRef, TaskView } from './task-view';
import { TemplateView, flatten } from './template';
import { zoneSpreadCheck } from './zone-checks';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';

/** `Service <id> path=value`, or `... path is not set (<default>)`. */
function serviceField(service: ServiceRef, path: string, value: unknown, whenUnset = ''): string {
  return `Service ${service.id} ${value === undefined && whenUnset ? `${path} is not set (${whenUnset})` : fieldText(path, value)}`;
}

/**
 * MON-1: "The cluster (the service's `Cluster`, or each runTask state's) is an `AWS::ECS::Cluster` of this template whose
 * `ClusterSettings` set containerInsights to enabled or enhanced → enforced; set to anything else → violated; not set (the
 * account default decides), a cluster outside this template, or a job with no runner → unverified."
 *
 * @internal
 */
export function insightsCheck(template: TemplateView, clusterValue: unknown): Finding {
  const cluster = template.resolve(clusterValue);
  if (cluster?.resource.Type !== 'AWS::ECS::Cluster') {
    const name = clusterValue === undefined ? 'the default cluster' : `cluster ${flatten(clusterValue)}`;
    return verdict('MON-1', [], [], [`${name} is outside this template; its Container Insights setting cannot be read`]);
  }
  const setting: any = (cfnList(cluster.resource.Properties?.ClusterSettings) ?? []).find((s: any) => s?.Name === 'containerInsights');
  if (setting === undefined) {
    return verdict('MON-1', [], [], [`Cluster ${cluster.id} ClusterSettings has no containerInsights: the account setting decides`]);
  }
  const text = `Cluster ${cluster.id} ClusterSettings.containerInsights=${JSON.stringify(setting.Value)}`;
  return ['enabled', 'enhanced'].includes(setting.Value) ? verdict('MON-1', [text], []) : verdict('MON-1', [], [text]);
}

/**
 * AVL-1: "`DesiredCount` (not set: 1) >= 2 and every `ApplicationAutoScaling::ScalableTarget` of the service has `MinCapacity`
 * >= 2 → enforced; fewer → violated; an intrinsic → unverified."
 * AVL-2: "`DeploymentConfiguration.MinimumHealthyPercent` >= 100 (not set: the ECS default 100) → equivalent (ECS has no
 * PodDisruptionBudget); less → violated; an intrinsic → unverified."
 * AVL-4: "`DeploymentController` ECS (not set: ECS), `MinimumHealthyPercent` >= 100 (not set: 100), `MaximumPercent` > 100 (not
 * set: 200) and `DeploymentCircuitBreaker` Enable and Rollback true → enforced; otherwise violated; an intrinsic → unverified."
 *
 * @internal
 */
export function rolloutChecks(template: TemplateView, service: ServiceRef): Finding[] {
  const props = service.props;
  const deployment = props.DeploymentConfiguration ?? {};
  const desired = cfnNumber(props.DesiredCount) ?? 1;
  const targets = template.idsOfType('AWS::ApplicationAutoScaling::ScalableTarget')
    .filter((id) => JSON.stringify(template.get(id)!.Properties?.ResourceId ?? '').includes(`"${service.id}"`));
  const replicaGood: string[] = [serviceField(service, 'DesiredCount', props.DesiredCount, 'ECS runs 1 task')];
  const replicaBad: string[] = []; const replicaUnknown: string[] = [];
  if (Number.isNaN(desired)) {
    replicaUnknown.push(replicaGood[0]);
  } else if (desired < 2) {
    replicaBad.push(replicaGood[0]);
  }
  for (const id of targets) {
    const min = cfnNumber(template.get(id)!.Properties?.MinCapacity);
    const text = `ScalableTarget ${id} MinCapacity=${min === undefined ? 'not set' : flatten(template.get(id)!.Properties?.MinCapacity)}`;
    (min === undefined || Number.isNaN(min) ? replicaUnknown : min >= 2 ? replicaGood : replicaBad).push(text);
  }
  const minHealthy = cfnNumber(deployment.MinimumHealthyPercent) ?? 100;
  const minHealthyText = serviceField(service, 'DeploymentConfiguration.MinimumHealthyPercent', deployment.MinimumHealthyPercent, 'ECS default 100');
  let disruption: Finding;
  if (Number.isNaN(minHealthy)) {
    disruption = verdict('AVL-2', [], [], [minHealthyText]);
  } else {
    disruption = minHealthy >= 100
      ? { id: 'AVL-2', status: ControlStatus.EQUIVALENT, evidence: [`${minHealthyText}: no task stops before its replacement is healthy (ECS has no PodDisruptionBudget)`] }
      : verdict('AVL-2', [], [minHealthyText]);
  }
  const maxPercent = cfnNumber(deployment.MaximumPercent) ?? 200;
  const breaker = deployment.DeploymentCircuitBreaker ?? {};
  const controller = props.DeploymentController?.Type ?? 'ECS';
  const rolloutFields: Array<[string, unknown, boolean]> = [
    ['DeploymentController.Type', props.DeploymentController?.Type, controller === 'ECS'],
    ['DeploymentConfiguration.MinimumHealthyPercent', deployment.MinimumHealthyPercent, minHealthy >= 100],
    ['DeploymentConfiguration.MaximumPercent', deployment.MaximumPercent, maxPercent > 100],
    ['DeploymentConfiguration.DeploymentCircuitBreaker.Enable', breaker.Enable, cfnBoolean(breaker.Enable) === 'true'],
    ['DeploymentConfiguration.DeploymentCircuitBreaker.Rollback', breaker.Rollback, cfnBoolean(breaker.Rollback) === 'true'],
  ];
  const rolloutGood: string[] = []; const rolloutBad: string[] = []; const rolloutUnknown: string[] = [];
  for (const [path, value, ok] of rolloutFields) {
    const text = serviceField(service, path, value);
    const hidden = typeof value === 'object' && value !== null;
    (hidden ? rolloutUnknown : ok ? rolloutGood : rolloutBad).push(text);
  }
  return [
    verdict('AVL-1', replicaGood, replicaBad, replicaUnknown),
    disruption,
    verdict('AVL-4', rolloutGood, rolloutBad, rolloutUnknown),
  ];
}

/** Shell text that makes a health check succeed whatever the server does. */
const ALWAYS_HEALTHY = /(\|\|\s*(exit\s+0|true|:)\s*$)|(;\s*(exit\s+0|true|:)\s*$)|(&\s*$)|(^\s*(exit\s+0|true|:)\s*$)/;
/** Shell operators whose effect the checker does not follow; `|| exit 1` (fail when the probe fails) is the one it reads. */
const SHELL_OPERATORS = /;|&|\||\$\(|`/;

/** Whether an ECS health-check command can fail: ok, bad (it always succeeds or is malformed) or unknown (cannot say). */
function healthCommandProblem(command: unknown): { outcome: 'ok' | 'bad' | 'unknown'; why?: string } {
  const list = cfnList(command);
  if (list === undefined || list.some((part) => typeof part !== 'string')) {
    return { outcome: 'unknown', why: 'the command is behind an intrinsic function' };
  }
  const [form, ...rest] = list as string[];
  if (form === 'CMD') {
    // the exec form runs no shell: only a shell it starts itself (`sh -c SCRIPT`) reads shell operators
    if (/^(\/usr)?(\/bin\/)?(ba|da)?sh$/.test(rest[0] ?? '') && rest[1] === '-c') {
      return shellCommandProblem(rest.slice(2, 3).join(''));
    }
    return rest.length === 0 || /^(\/usr)?(\/bin\/)?(true|:)$/.test(rest[0])
      ? { outcome: 'bad', why: 'the check always succeeds' } : { outcome: 'ok' };
  }
  if (form === 'CMD-SHELL') {
    return shellCommandProblem(rest.join(' '));
  }
  return { outcome: 'bad', why: `the command must start with CMD or CMD-SHELL, not ${JSON.stringify(form)}` };
}

/** Whether a shell script (`CMD-SHELL`, or `CMD sh -c`) can fail. */
function shellCommandProblem(script: string): { outcome: 'ok' | 'bad' | 'unknown'; why?: string } {
  if (script.trim().length === 0 || ALWAYS_HEALTHY.test(script)) {
    return { outcome: 'bad', why: 'the check always succeeds' };
  }
  return SHELL_OPERATORS.test(script.replace(/\|\|\s*exit\s+1\s*$/, ''))
    ? { outcome: 'unknown', why: 'a shell command whose operators the checker does not follow' } : { outcome: 'ok' };
}

/**
 * PRB-1: "Every app container (essential, not a FireLens router) has a `HealthCheck.Command` that can fail (evidence lists
 * StartPeriod, Interval, Retries); each load balancer's target group is in this template with a `HealthCheckPath`, and with
 * load balancers the service sets `HealthCheckGracePeriodSeconds` > 0 → enforced. A missing health check, path or grace
 * period, or a command that always succeeds (`true`, `exit 0`, `|| exit 0`, `|| true`, `; exit 0`, a command sent to the
 * background) → violated; a `CMD-SHELL` command with other shell operators (`;`, `&`, `|`, `$(`, backquotes), a command
 * behind an intrinsic, or a target group outside this template → unverified. Jobs → not-applicable (JOB-2 bounds them)."
 *
 * @internal
 */
export function probeCheck(task: TaskView, service: ServiceRef): Finding {
  const good: string[] = []; const bad: string[] = []; const unknown: string[] = [];
  for (const { container, path } of task.appContainers) {
    const healthCheck = container.HealthCheck;
    const commandField = task.field(`${path}.HealthCheck.Command`, healthCheck?.Command);
    const judged = healthCheck?.Command ? healthCommandProblem(healthCheck.Command) : { outcome: 'bad' as const };
    (judged.outcome === 'ok' ? good : judged.outcome === 'bad' ? bad : unknown).push(judged.why ? `${commandField} (${judged.why})` : commandField);
    if (healthCheck?.Command) {
      for (const key of ['StartPeriod', 'Interval', 'Retries']) {
        good.push(task.field(`${path}.HealthCheck.${key}`, healthCheck[key]));
      }
    }
  }
  const loadBalancers = cfnList(service.props.LoadBalancers) ?? [];
  for (const loadBalancer of loadBalancers) {
    const targetGroup = task.template.resolve((loadBalancer as any)?.TargetGroupArn);
    if (!targetGroup) {
      unknown.push(`Service ${service.id} target group ${flatten((loadBalancer as any)?.TargetGroupArn)} is outside this template`);
      continue;
    }
    const healthPath = targetGroup.resource.Properties?.HealthCheckPath;
    (healthPath ? good : bad).push(`TargetGroup ${targetGroup.id} ${healthPath === undefined ? 'HealthCheckPath is not set' : `HealthCheckPath=${JSON.stringify(healthPath)}`}`);
  }
  if (loadBalancers.length > 0) {
    const grace = service.props.HealthCheckGracePeriodSeconds;
    (grace !== undefined && cfnNumber(grace)! > 0 ? good : bad).push(serviceField(service, 'HealthCheckGracePeriodSeconds', grace));
  }
  return verdict('PRB-1', good, bad, unknown);
}

/**
 * AVL-1..4, NET-1, MON-1 and PRB-1 of an `AWS::ECS::Service`.
 *
 * @internal
 */
export function serviceChecks(task: TaskView, service: ServiceRef): Finding[] {
  return [
    ...rolloutChecks(task.template, service),
    zoneSpreadCheck(task, service),
    networkIsolationCheck(task.template, `Service ${service.id}`, service.props.NetworkConfiguration?.AwsvpcConfiguration),
    insightsCheck(task.template, service.props.Cluster),
    probeCheck(task, service),
  ];
}
