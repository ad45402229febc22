/* eslint-disable @typescript-eslint/no-explicit-any */
import { fieldText } from './cfn-values';
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
    const machineProps = template.get(id)!.Properties ?? {};
    let definition: any;
    try {
      definition = JSON.parse(flatten(machineProps.DefinitionString ?? machineProps.Definition ?? ''));
    } catch {
      continue;
    }
    const visit = (states: Record<string, any>) => {
      for (const [name, state] of Object.entries(states ?? {})) {
        if (String(state.Resource ?? '').includes('ecs:runTask') && names(state.Parameters)) {
          out.push({ machine: id, name, state, machineTimeout: definition.TimeoutSeconds });
        }
        for (const branch of state.Branches ?? []) {
          visit(branch.States);
        }
        if (state.Iterator?.States ?? state.ItemProcessor?.States) {
          visit(state.Iterator?.States ?? state.ItemProcessor?.States);
        }
      }
    };
    visit(definition.States);
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
export function jobChecks(task: TaskView, runs: RunTaskState[]): Finding[] {
  if (runs.length === 0) {
    const none = `TaskDefinition ${task.id}: no Step Functions ecs:runTask state in this template runs it, so nothing bounds its retries or run time`;
    return [
      { id: 'JOB-1', status: ControlStatus.VIOLATED, evidence: [none] },
      { id: 'JOB-2', status: ControlStatus.VIOLATED, evidence: [none] },
      { id: 'JOB-3', status: ControlStatus.NOT_APPLICABLE, evidence: ['ECS task metadata expires; evidence comes from the logs'] },
      { id: 'NET-1', status: ControlStatus.UNVERIFIED, evidence: [`TaskDefinition ${task.id}: network settings are given by whoever runs the task, outside this template`] },
      { id: 'MON-1', status: ControlStatus.UNVERIFIED, evidence: [`TaskDefinition ${task.id}: the cluster is chosen by whoever runs the task, outside this template`] },
    ];
  }
  const ev = (run: RunTaskState, path: string, value: unknown) => `StateMachine ${run.machine} States.${run.name}.${fieldText(path, value)}`;
  const retryOk = (run: RunTaskState) => (run.state.Retry ?? [])
    .some((retry: any) => Number.isInteger(retry.MaxAttempts) && retry.MaxAttempts >= 1 && retry.MaxAttempts <= 10);
  const timeout = (run: RunTaskState) => run.state.TimeoutSeconds ?? run.machineTimeout;
  const sync = (run: RunTaskState) => String(run.state.Resource).includes('runTask.sync');
  const logged = runs.map((run) => {
    const logConfig = task.template.get(run.machine)!.Properties?.LoggingConfiguration;
    const group = task.template.resolve(logConfig?.Destinations?.[0]?.CloudWatchLogsLogGroup?.LogGroupArn);
    const days = group?.resource.Properties?.RetentionInDays;
    return { run, level: logConfig?.Level, group: group?.id, days };
  });
  const keeps = logged.every((entry) => entry.level === 'ALL' && entry.group
    && (entry.days === undefined || entry.days >= WorkloadDefaults.LOG_RETENTION_FLOOR_DAYS));
  return [
    verdict('JOB-1', runs.map((run) => ev(run, 'Retry', run.state.Retry)), runs.filter((run) => !retryOk(run) || !sync(run)).map((run) => `${ev(run, 'Resource', run.state.Resource)}, ${fieldText('Retry', run.state.Retry)}`)),
    verdict('JOB-2', runs.map((run) => ev(run, 'TimeoutSeconds', timeout(run))), runs.filter((run) => !(timeout(run) > 0) || !sync(run)).map((run) => `${ev(run, 'TimeoutSeconds', timeout(run))}, ${fieldText('Resource', run.state.Resource)}`)),
    keeps
      ? { id: 'JOB-3', status: ControlStatus.EQUIVALENT, evidence: logged.map((entry) => `StateMachine ${entry.run.machine} LoggingConfiguration.Level=ALL to LogGroup ${entry.group} (RetentionInDays=${entry.days ?? 'never expires'}): the execution history outlives the task`) }
      : {
        id: 'JOB-3',
        status: ControlStatus.VIOLATED,
        evidence: logged.map((entry) => `StateMachine ${entry.run.machine} ${fieldText('LoggingConfiguration.Level', entry.level)}, `
        + `${entry.group ? `LogGroup ${entry.group} ${entry.days === undefined ? 'never expires' : `RetentionInDays=${entry.days}`}` : 'no log group of this template'}`),
      },
    combine('NET-1', runs.map((run) => networkIsolationCheck(task.template, `StateMachine ${run.machine} States.${run.name}`,
      run.state.Parameters?.NetworkConfiguration?.AwsvpcConfiguration))),
    combine('MON-1', runs.map((run) => insightsCheck(task.template, run.state.Parameters?.Cluster))),
  ];
}
