import { identityCheck } from './identity-checks';
import { jobChecks, runTaskStates } from './job-checks';
import { loggingChecks, registryChecks } from './logging-checks';
import { modelVerificationCheck, verifiedInputs } from './model-checks';
import { containerSecurityChecks, hostIsolationCheck, secretEnvironmentCheck } from './security-checks';
import { serviceChecks } from './service-checks';
import { imageChecks, metadataChecks, resourceCheck } from './task-checks';
import { ServiceRef, TaskView } from './task-view';
import { TemplateView, flatten } from './template';
import { applicableControlIds } from '../../compliance/catalogue';
import { ControlScope } from '../../compliance/control';
import { Finding, applyWaivers } from '../../compliance/finding';
import { AcknowledgedRule, Backend, ControlResult, ControlStatus, WorkloadReport } from '../../compliance/report-model';
import { readOutputWaivers } from '../../core/output-waivers';
import { datasetsFromProvenance } from '../../core/provenance-keys';
import { readTemplateAcknowledgements } from '../../core/third-party-acknowledgements';
import { Waiver } from '../../core/waiver';

/**
 * Which resources of a template make up one ECS workload.
 *
 * @internal
 */
export interface EcsWorkloadSubject {
  /** The logical ID of the `AWS::ECS::TaskDefinition`. */
  readonly taskDefinitionId: string;
  /** The logical ID of the `AWS::ECS::Service` that runs it (services only). */
  readonly serviceId?: string;
  /** Service or job. */
  readonly scope: ControlScope;
  /** The waivers in force. */
  readonly waivers: Waiver[];
  /** Where the waivers come from (`construct <path>`, `template metadata of <logical id>`). */
  readonly waiverSource?: string;
}

/**
 * Evaluates an ECS workload of a synthesized template against every control of the catalogue that applies to its scope,
 * then applies waivers. Evidence names the logical ID, the property path and the value found in the template.
 *
 * @internal
 */
export function evaluateEcsWorkload(tv: TemplateView, subject: EcsWorkloadSubject): ControlResult[] {
  const resource = tv.get(subject.taskDefinitionId);
  if (resource?.Type !== 'AWS::ECS::TaskDefinition') {
    throw new Error(`template has no AWS::ECS::TaskDefinition ${subject.taskDefinitionId}`);
  }
  const service: ServiceRef | undefined = subject.scope === ControlScope.SERVICE && subject.serviceId
    ? { id: subject.serviceId, props: tv.get(subject.serviceId)?.Properties ?? {} } : undefined;
  const runs = service ? [] : runTaskStates(tv, subject.taskDefinitionId);
  const task = new TaskView(tv, subject.taskDefinitionId, resource, service ? [service.props] : runs.map((r) => r.state.Parameters ?? {}));
  const findings: Finding[] = [
    ...imageChecks(task), ...metadataChecks(task, service), ...containerSecurityChecks(task), hostIsolationCheck(task),
    identityCheck(task), secretEnvironmentCheck(task), resourceCheck(task), ...loggingChecks(task, subject.scope), ...registryChecks(task),
    modelVerificationCheck(task, subject.scope),
  ];
  if (service) {
    findings.push(...serviceChecks(task, service));
  } else {
    findings.push(...jobChecks(task, runs));
    findings.push({ id: 'PRB-1', status: ControlStatus.NOT_APPLICABLE, evidence: ['run-to-completion tasks are bounded by JOB-2 instead of health checks'] });
  }
  return applyWaivers(findings, subject.waivers, subject.waiverSource);
}

/**
 * Every image of a task definition, flattened (token parts shown as `${...}`).
 *
 * @internal
 */
export function imagesOf(tv: TemplateView, taskDefinitionId: string): string[] {
  const containers: Array<{ Image?: unknown }> = tv.get(taskDefinitionId)?.Properties?.ContainerDefinitions ?? [];
  return containers.map((c) => flatten(c.Image));
}

/**
 * What a task definition records of its inputs, for the report, from one view of the task: `datasets`, the provenance that the
 * main container's `DockerLabels` record (`dataset-<i>.compliance.cdk-compliant-ml.io/{name,version,uri,digest}`, what
 * CompliantTrainingJob writes; an intrinsic value is flattened, `${...}`), and `modelArtifact` / `datasetArtifacts`, the pinned
 * artifacts its verifier containers show. Each is omitted when there is none; the same for our constructs and for foreign
 * task definitions.
 *
 * @internal
 */
export function inputsOf(tv: TemplateView, taskDefinitionId: string): Pick<WorkloadReport, 'datasets' | 'modelArtifact' | 'datasetArtifacts'> {
  const resource = tv.get(taskDefinitionId);
  if (resource?.Type !== 'AWS::ECS::TaskDefinition') {
    return {};
  }
  const task = new TaskView(tv, taskDefinitionId, resource);
  const recorded = datasetsFromProvenance(task.appContainers[0]?.container.DockerLabels, flatten);
  const { model, datasets } = verifiedInputs(task);
  return {
    ...(recorded ? { datasets: recorded } : {}),
    ...(model ? { modelArtifact: model } : {}),
    ...(datasets.length > 0 ? { datasetArtifacts: datasets } : {}),
  };
}

/**
 * The metadata key under which the constructs of this library record the kind and waivers of a workload on its
 * `AWS::ECS::TaskDefinition`, so that a template read without the construct tree (policy plugin, CLI) keeps them.
 *
 * @internal
 */
export const WORKLOAD_METADATA_KEY = 'cdk-compliant-ml';

/**
 * The report entries of every task definition of a template except `skip`: with the service that runs it (scope SERVICE)
 * or without (scope JOB), with the kind and waivers recorded in the task definition's metadata when present. Waivers there
 * are validated like waivers in code; each problem waives nothing and goes to `onProblem` with the task definition's ID.
 *
 * @internal
 */
export function templateWorkloads(tv: TemplateView, skip: Set<string>, pathOf: (logicalId: string) => string,
  onProblem: (logicalId: string, message: string) => void): WorkloadReport[] {
  const out: WorkloadReport[] = [];
  for (const id of tv.idsOfType('AWS::ECS::TaskDefinition').filter((x) => !skip.has(x))) {
    const serviceId = tv.idsOfType('AWS::ECS::Service').find((s) => tv.target(tv.get(s)!.Properties?.TaskDefinition) === id);
    const rawMeta = tv.get(id)!.Metadata?.[WORKLOAD_METADATA_KEY];
    const meta = rawMeta && typeof rawMeta === 'object' && !Array.isArray(rawMeta) ? rawMeta : {};
    if (rawMeta !== undefined && meta !== rawMeta) {
      onProblem(id, `metadata ${WORKLOAD_METADATA_KEY} ${JSON.stringify(rawMeta)} is not a mapping of kind and waivers`);
    }
    const scope = serviceId ? ControlScope.SERVICE : ControlScope.JOB;
    const found = meta.waivers === undefined ? { waivers: [], problems: [] } : readOutputWaivers(meta.waivers, applicableControlIds(scope));
    found.problems.forEach((message) => onProblem(id, `metadata ${WORKLOAD_METADATA_KEY}: ${message}`));
    const acknowledgedRules = templateAcknowledgedRules(tv, [id, ...(serviceId ? [serviceId] : [])].map((x) => ({ logicalId: x, path: pathOf(x) })));
    out.push({
      path: pathOf(serviceId ?? id),
      kind: typeof meta.kind === 'string' ? meta.kind : serviceId ? 'Service' : 'TaskDefinition',
      backend: Backend.ECS,
      images: imagesOf(tv, id),
      ...inputsOf(tv, id),
      controls: evaluateEcsWorkload(tv, {
        taskDefinitionId: id, serviceId, scope, waivers: found.waivers, waiverSource: `template metadata of ${id}`,
      }),
      ...(acknowledgedRules.length > 0 ? { acknowledgedRules } : {}),
    });
  }
  return out;
}

/**
 * The checkov and cfn-lint rules acknowledged in the template metadata of the given resources (`Metadata.checkov.skip`,
 * `Metadata.cfn-lint.config.ignore_checks` with the reasons in `Metadata.cdk-compliant-ml/acknowledged`), read from the
 * template, so that the report shows what the checkers will read. Entries without a reason acknowledge nothing.
 *
 * @param resources logical ID and report path of each resource
 * @internal
 */
export function templateAcknowledgedRules(tv: TemplateView, resources: Array<{ logicalId: string; path: string }>): AcknowledgedRule[] {
  return resources.flatMap(({ logicalId, path }) =>
    readTemplateAcknowledgements(tv.get(logicalId)?.Metadata).acknowledged.map((a) => ({ rule: a.rule, reason: a.reason, path })));
}

/**
 * A problem handler for template waivers inside an app or a policy plugin: the problem fails the report.
 *
 * @internal
 */
export function throwTemplateProblem(logicalId: string, message: string): never {
  throw new Error(`resource ${logicalId}: ${message}`);
}
