/* eslint-disable @typescript-eslint/no-explicit-any */
import { networkIsolationCheck } from './network-checks';
import { insightsCheck } from './service-checks';
import { TaskView } from './task-view';
import { TemplateView, flatten } from './template';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { WorkloadDefaults } from '../../core/defaults';

/** A state of a state machine that runs the task definition through `ecs:runTask`. @internal */
export interface RunTaskState {
  readonly machine: string;
  readonly name: string;
  readonly state: any;
  readonly machineTimeout?: number;
}

/**
 * Every `ecs:runTask` state, in any state machine of the template, whose parameters name the task definition: by reference, or
 * by its literal `Family` (optionally `family:revision`), which is what aws-cdk's `EcsRunTask` writes.
 */
export function runTaskStates(template: TemplateView, taskDefinitionId: string): RunTaskState[] {
  const out: RunTaskState[] = [];
  const taskProps = template.get(taskDefinitionId)?.Properties ?? {};
  const family = typeof taskProps.Family === 'string' ? taskProps.Family : undefined;
  const names = (params: any) => JSON.stringify(params ?? {}).includes(`\${${taskDefinitionId}}`)
    || (family !== undefined && (params?.TaskDefinition === family || String(params?.TaskDefinition ?? '').startsWith(`${family}:`)));
  for (const id of template.idsOfType('AWS::StepFunctions::StateMachine')) {
    const p = template.get(id)!.Properties ?? {};
    let def: any;
    try {
      def = JSON.parse(flatten(p.DefinitionString ?? p.Definition ?? ''));
    } catch {
      continue;
    }
    const visit = (states: Record<string, any>) => {
      for (const [name, state] of Object.entries(states ?? {})) {
        if (String(state.Resource ?? '').includes('ecs:runTask') && names(state.Parameters)) {
          out.push({ machine: id, name, state, machineTimeout: def.TimeoutSeconds });
        }
        for (const branch of state.Branches ?? []) {
          visit(branch.States);
        }
        if (state.Iterator?.States ?? state.ItemProcessor?.States) {
          visit(state.Iterator?.States ?? state.ItemProcessor?.States);
        }
      }
    };
    visit(def.States);
  }
  return out;
}

/** Violated when any finding is, unverified when any is, else enforced with every finding's evidence. */
function combine(id: string, findings: Finding[]): Finding {
  const of = (status: ControlStatus) => findings.filter((f) => f.status === status).flatMap((f) => f.evidence);
  return verdict(id, findings.flatMap((f) => f.evidence), of(ControlStatus.VIOLATED), of(ControlStatus.UNVERIFIED));
}

/**
 * JOB-1: "Every Step Functions `ecs:runTask` state of this template that runs the task definition (by reference or by its
 * `Family`) uses `.sync` and has a `Retry` with `MaxAttempts` 1..10 → enforced; otherwise, or when no state runs it, violated."
 * JOB-2: "Every such state (or its state machine) has `TimeoutSeconds` > 0 and uses `.sync` → enforced; otherwise, or when no
 * state runs it, violated."
 * JOB-3: "Every such state machine logs at level ALL to a log group of this template kept >= 184 days (or never expiring) →
 * equivalent (the execution history outlives the expiring task metadata); otherwise violated; no runner → not-applicable."
 * NET-1 and MON-1 of a job are judged on each runner's `NetworkConfiguration` and `Cluster` by the service rules; with no
 * runner in the template → unverified (whoever runs the task chooses them).
 *
 * @internal
 */
export function jobChecks(t: TaskView, runs: RunTaskState[]): Finding[] {
  if (runs.length === 0) {
    const none = `TaskDefinition ${t.id}: no Step Functions ecs:runTask state in this template runs it, so nothing bounds its retries or run time`;
    return [
      { id: 'JOB-1', status: ControlStatus.VIOLATED, evidence: [none] },
      { id: 'JOB-2', status: ControlStatus.VIOLATED, evidence: [none] },
      { id: 'JOB-3', status: ControlStatus.NOT_APPLICABLE, evidence: ['ECS task metadata expires; evidence comes from the logs'] },
      { id: 'NET-1', status: ControlStatus.UNVERIFIED, evidence: [`TaskDefinition ${t.id}: network settings are given by whoever runs the task, outside this template`] },
      { id: 'MON-1', status: ControlStatus.UNVERIFIED, evidence: [`TaskDefinition ${t.id}: the cluster is chosen by whoever runs the task, outside this template`] },
    ];
  }
  const ev = (r: RunTaskState, path: string, v: unknown) => `StateMachine ${r.machine} States.${r.name}.${path}=${JSON.stringify(v ?? null)}`;
  const retryOk = (r: RunTaskState) => (r.state.Retry ?? [])
    .some((x: any) => Number.isInteger(x.MaxAttempts) && x.MaxAttempts >= 1 && x.MaxAttempts <= 10);
  const timeout = (r: RunTaskState) => r.state.TimeoutSeconds ?? r.machineTimeout;
  const sync = (r: RunTaskState) => String(r.state.Resource).includes('runTask.sync');
  const logged = runs.map((r) => {
    const cfg = t.template.get(r.machine)!.Properties?.LoggingConfiguration;
    const group = t.template.resolve(cfg?.Destinations?.[0]?.CloudWatchLogsLogGroup?.LogGroupArn);
    const days = group?.resource.Properties?.RetentionInDays;
    return { r, level: cfg?.Level, group: group?.id, days };
  });
  const keeps = logged.every((l) => l.level === 'ALL' && l.group && (l.days === undefined || l.days >= WorkloadDefaults.LOG_RETENTION_FLOOR_DAYS));
  return [
    verdict('JOB-1', runs.map((r) => ev(r, 'Retry', r.state.Retry)), runs.filter((r) => !retryOk(r) || !sync(r)).map((r) => ev(r, '{Resource,Retry}', [r.state.Resource, r.state.Retry ?? null]))),
    verdict('JOB-2', runs.map((r) => ev(r, 'TimeoutSeconds', timeout(r))), runs.filter((r) => !(timeout(r) > 0) || !sync(r)).map((r) => ev(r, 'TimeoutSeconds', timeout(r)))),
    keeps
      ? { id: 'JOB-3', status: ControlStatus.EQUIVALENT, evidence: logged.map((l) => `StateMachine ${l.r.machine} LoggingConfiguration.Level=ALL to LogGroup ${l.group} (RetentionInDays=${l.days ?? 'never expires'}): the execution history outlives the task`) }
      : { id: 'JOB-3', status: ControlStatus.VIOLATED, evidence: logged.map((l) => `StateMachine ${l.r.machine} LoggingConfiguration=${JSON.stringify({ level: l.level ?? null, group: l.group ?? null, days: l.days ?? null })}`) },
    combine('NET-1', runs.map((r) => networkIsolationCheck(t.template, `StateMachine ${r.machine} States.${r.name}`,
      r.state.Parameters?.NetworkConfiguration?.AwsvpcConfiguration))),
    combine('MON-1', runs.map((r) => insightsCheck(t.template, r.state.Parameters?.Cluster))),
  ];
}
