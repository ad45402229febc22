/* eslint-disable @typescript-eslint/no-explicit-any */
import { cfnList, fieldText, isIntrinsic } from './cfn-values';
import { CfnResourceJson, TemplateView, flatten } from './template';
import { Finding, verdict } from '../../compliance/finding';

const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'];

/**
 * Where the tasks of a task definition run, as far as the template shows: `fargate` when every runner (the service, or each
 * Step Functions `ecs:runTask` state) names the FARGATE launch type or only FARGATE/FARGATE_SPOT capacity providers and
 * `RequiresCompatibilities` has FARGATE, or when no runner names one and FARGATE is the only compatibility (ECS places such a
 * task definition on Fargate only); `ec2` when a runner names EC2/EXTERNAL or another capacity provider, or FARGATE is not a
 * compatibility; `unknown` otherwise (the cluster's default capacity provider strategy, which the template may not hold).
 *
 * @internal
 */
export type LaunchKind = 'fargate' | 'ec2' | 'unknown';

/** The `AWS::ECS::Service` that runs a task definition. @internal */
export interface ServiceRef {
  readonly id: string;
  readonly props: Record<string, any>;
}

/** One container of a task definition with its property path. @internal */
export interface ContainerEntry {
  readonly container: Record<string, any>;
  readonly path: string;
}

/**
 * A view of one `AWS::ECS::TaskDefinition` of a template: its containers with their field paths and where its tasks run.
 *
 * @internal
 */
export class TaskView {
  public readonly props: Record<string, any>;
  public readonly containers: ContainerEntry[];
  public readonly launch: LaunchKind;
  /** The resource's template metadata (our constructs record their kind under `cdk-compliant-ml`). */
  public readonly metadata: Record<string, any>;
  /** Why `launch` has its value, for evidence. */
  public readonly launchReason: string;

  /**
   * @param runners the properties of the service, or the Parameters of each `ecs:runTask` state, that run this task definition
   */
  constructor(public readonly template: TemplateView, public readonly id: string, resource: CfnResourceJson,
    runners: Array<Record<string, any>> = []) {
    this.props = resource.Properties ?? {};
    this.metadata = resource.Metadata ?? {};
    const definitions = cfnList(this.props.ContainerDefinitions) ?? [];
    this.containers = definitions.map((container: any, index: number) => ({ container: container ?? {}, path: `ContainerDefinitions[${index}]` }));
    [this.launch, this.launchReason] = launchOf(template, this.props.RequiresCompatibilities, runners);
  }

  /**
   * Why the task declares itself a model server or training job, or undefined when it does not: the kind our constructs
   * record in the metadata, the tag or docker label `app.kubernetes.io/component` with the value `model-server` or
   * `training-job`, or `model.*` docker labels on a container.
   */
  public get mlDeclaration(): string | undefined {
    const kind = this.metadata['cdk-compliant-ml']?.kind;
    if (kind === 'CompliantModelService' || kind === 'CompliantTrainingJob') {
      return `Metadata.cdk-compliant-ml.kind=${JSON.stringify(kind)}`;
    }
    const tags = cfnList(this.props.Tags) ?? [];
    const componentTag: any = tags.find((t: any) => t?.Key === 'app.kubernetes.io/component' && ML_COMPONENTS.includes(t?.Value));
    if (componentTag) {
      return `Tags["app.kubernetes.io/component"]=${JSON.stringify(componentTag.Value)}`;
    }
    for (const { container, path } of this.containers) {
      const labels: Record<string, unknown> = container.DockerLabels && typeof container.DockerLabels === 'object' ? container.DockerLabels : {};
      if (ML_COMPONENTS.includes(labels['app.kubernetes.io/component'] as string)) {
        return `${path}.DockerLabels["app.kubernetes.io/component"]=${JSON.stringify(labels['app.kubernetes.io/component'])}`;
      }
      const modelKey = Object.keys(labels).find((k) => k.startsWith('model.'));
      if (modelKey) {
        return `${path}.DockerLabels["${modelKey}"] is set`;
      }
    }
    return undefined;
  }

  /** The containers that do the work: essential ones other than a FireLens log router. */
  public get appContainers(): ContainerEntry[] {
    return this.containers.filter(({ container }) => container.Essential !== false && container.Essential !== 'false' && !container.FirelensConfiguration);
  }

  /** `TaskDefinition <id> path=value`, or `... path is not set` when the value is absent. */
  public field(path: string, value: unknown): string {
    return `TaskDefinition ${this.id} ${fieldText(path, value)}`;
  }

  /** `TaskDefinition <id>: text`. */
  public note(text: string): string {
    return `TaskDefinition ${this.id}: ${text}`;
  }

  /**
   * Judges one field of every container: `judge` says ok, bad or unknown; the verdict is violated on any bad, unverified on
   * any unknown, enforced otherwise. Evidence names each container's field and value.
   */
  public eachContainer(id: string, field: string, read: (container: any) => unknown,
    judge: (value: any, container: any) => 'ok' | 'bad' | 'unknown', containers = this.containers): Finding {
    const good: string[] = []; const bad: string[] = []; const unknown: string[] = [];
    for (const { container, path } of containers) {
      const value = read(container);
      const outcome = judge(value, container);
      const text = this.field(`${path}.${field}`, value);
      (outcome === 'ok' ? good : outcome === 'bad' ? bad : unknown).push(outcome === 'unknown' ? `${text} (not visible in the template)` : text);
    }
    if (containers.length === 0) {
      unknown.push(this.field('ContainerDefinitions', this.props.ContainerDefinitions));
    }
    return verdict(id, good, bad, unknown);
  }
}

/** The `app.kubernetes.io/component` values that declare a model server or a training job. */
const ML_COMPONENTS: unknown[] = ['model-server', 'training-job'];

/** The launch kind of one runner (service properties or runTask parameters). */
function runnerLaunch(template: TemplateView, runner: Record<string, any>): LaunchKind {
  const launchType = runner.LaunchType;
  if (typeof launchType === 'string') {
    return launchType === 'FARGATE' ? 'fargate' : 'ec2';
  }
  const strategy = runner.CapacityProviderStrategy;
  if (launchType !== undefined || isIntrinsic(strategy)) {
    return 'unknown';
  }
  const providers = (cfnList(strategy) ?? []).map((s: any) => s?.CapacityProvider);
  if (providers.length === 0) {
    return 'unknown';
  }
  if (providers.every((p) => typeof p === 'string' && FARGATE_PROVIDERS.includes(p))) {
    return 'fargate';
  }
  const known = providers.some((p) => (typeof p === 'string' && !FARGATE_PROVIDERS.includes(p))
    || template.get(template.target(p))?.Type === 'AWS::ECS::CapacityProvider');
  return known ? 'ec2' : 'unknown';
}

function launchOf(template: TemplateView, compatibilities: unknown, runners: Array<Record<string, any>>): [LaunchKind, string] {
  const compat = cfnList(compatibilities);
  if (compat === undefined || compat.some((c) => typeof c !== 'string')) {
    return ['unknown', `RequiresCompatibilities=${flatten(compatibilities)} is not visible in the template`];
  }
  if (!compat.includes('FARGATE')) {
    return ['ec2', `RequiresCompatibilities=${JSON.stringify(compat)} (not FARGATE)`];
  }
  const kinds = runners.map((r) => runnerLaunch(template, r));
  if (kinds.includes('ec2')) {
    return ['ec2', 'its runner names the EC2 launch type or an EC2 capacity provider'];
  }
  if (kinds.length > 0 && kinds.every((k) => k === 'fargate')) {
    return ['fargate', 'RequiresCompatibilities has FARGATE and its runner names the FARGATE launch type or Fargate capacity providers'];
  }
  if (compat.length === 1) {
    return ['fargate', 'RequiresCompatibilities=["FARGATE"]: ECS places it on Fargate only'];
  }
  return ['unknown', `RequiresCompatibilities=${JSON.stringify(compat)} and no runner names the launch type (the cluster's default capacity provider strategy decides)`];
}
