import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, acknowledgeCfnLint, acknowledgeCheckov } from './acknowledgements';
import { EcsDefaults } from './defaults';
import { EcsLogging } from './logging';
import { pinnedInputEnvironment, pinnedInputLabels, pinnedInputPlacements, validateEcsArtifact } from './pinned-inputs';
import { RenderedTask, renderTask } from './task';
import { CompliantTrainingJobProps } from './training-job-props';
import { EcsReportSubject, EcsWorkloadBase } from './workload-base';
import { ControlScope } from '../compliance/control';
import { wholeSeconds as wholeSecondsWithin } from '../core/bounds';
import { WorkloadDefaults } from '../core/defaults';
import { propError, requireInteger } from '../core/errors';
import { DatasetArtifact, ModelArtifact } from '../core/model-artifact';
import { DatasetMetadata, ModelMetadata } from '../core/provenance';
import { PROVENANCE_PREFIX } from '../core/provenance-keys';
import { validateDatasetMetadata, validateImageProvenance, validateModelMetadata } from '../core/provenance-validation';

/** Where the trainer finds the verified base model (read-only; `MODEL_DIR` is `<this>/model`). */
const BASE_MODEL_PATH = '/models';
/** Where the trainer finds verified dataset `i` (read-only; `DATASET_<i>_DIR` is `<this>/<i>/data`). */
const DATASETS_PATH = '/datasets';
/** Variables the state machine sets per run through container overrides. */
const RUN_VARIABLES = ['RUN_ID', 'RUN_ATTEMPT'];
/** Time the execution may take beyond its attempts and their backoff: stopping the task and publishing the failure. */
const MARGIN_SECONDS = 600;
const CRON_FIELD = /^(\*|\?|L|LW|[0-9A-Za-z]+(-[0-9A-Za-z]+)?(#[1-5])?[LW]?)(\/[0-9]+)?(,([0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;

/**
 * Amazon ECS (aws-cdk-lib): a bounded, retried training run. ECS has no retries or deadlines for a one-off task, so a Step Functions state
 * machine runs the task through the `ecs:runTask.sync` integration with a timeout per attempt (JOB-2), retries with
 * exponential backoff (JOB-1), and on final failure publishes to an SNS topic before failing the execution (which also emits
 * the EventBridge event `onFailure()` matches). Executions are logged at level ALL into a KMS-encrypted log group kept at least
 * a year (JOB-3: the run record outlives the task) and traced with X-Ray.
 *
 * The task has the same hardening as `CompliantModelService`: a non-root numeric user, a read-only root with writable `/tmp`
 * and checkpoint volumes, every capability dropped, logs in a KMS-encrypted log group, and model, dataset and code-revision
 * provenance in docker labels. Each run gets `RUN_ID` (the execution name) and `RUN_ATTEMPT` (0 for the first attempt).
 *
 * Define it inside an aws-cdk `Stack` (directly or below constructs in one): its resources are part of that stack's
 * template.
 */
export class CompliantTrainingJob extends EcsWorkloadBase {
  /** The task definition. */
  public readonly taskDefinition: ecs.TaskDefinition;
  /** The trainer container. */
  public readonly container: ecs.ContainerDefinition;
  /** The task role: no permissions beyond the dataset and artifact bucket grants (SEC-8). */
  public readonly taskRole: iam.IRole;
  /** The security group of the tasks: no ingress, egress only on HTTPS. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The state machine that runs, bounds and retries the task. */
  public readonly stateMachine: sfn.StateMachine;
  /** The log group of the state machine's executions. */
  public readonly executionLogGroup: logs.ILogGroup;
  /** The topic a final failure is published to. */
  public readonly failureTopic: sns.ITopic;
  /** The schedule that starts runs, when one was asked for. */
  public readonly schedule?: scheduler.Schedule;
  /** The model trained, when given. */
  public readonly model?: ModelMetadata;
  /** The datasets read. */
  public readonly datasets: DatasetMetadata[];
  /** The pinned base model (fine-tuning), verified before the trainer starts (MOD-1), when given. */
  public readonly modelArtifact?: ModelArtifact;
  /** The pinned datasets, each verified before the trainer starts (MOD-1). */
  public readonly datasetArtifacts: DatasetArtifact[];
  /** The timeout of one attempt (JOB-2). */
  public readonly timeout: Duration;
  /** The retries of a failed attempt (JOB-1). */
  public readonly retries: number;
  private readonly task: RenderedTask;

  /**
   * Defines the construct and validates its props.
   *
   * @param scope a construct inside an aws-cdk `Stack` (the stack itself or a construct below it); outside a stack the constructor throws
   * @param id the construct id, unique within `scope`
   * @param props the construct's settings
   */
  constructor(scope: Construct, id: string, props: CompliantTrainingJobProps) {
    super(scope, id, props, ControlScope.JOB);
    this.model = props.model ? validateModelMetadata(this, 'model', props.model) : undefined;
    this.datasets = (props.datasets ?? []).map((d, i) => validateDatasetMetadata(this, `datasets[${i}]`, d));
    if (props.imageProvenance) {
      validateImageProvenance(this, 'imageProvenance', props.imageProvenance);
    }
    const cpu = props.cpu ?? EcsDefaults.JOB_CPU;
    const memoryMiB = props.memoryLimitMiB ?? EcsDefaults.JOB_MEMORY_MIB;
    this._size(cpu, memoryMiB, props.ephemeralStorageGiB);
    this.timeout = props.timeout ?? Duration.seconds(WorkloadDefaults.JOB_TIMEOUT_SECONDS);
    this.retries = requireInteger(this, 'retries', props.retries ?? EcsDefaults.JOB_RETRIES, 0, EcsDefaults.MAX_JOB_RETRIES);
    if (this.retries === 0) {
      this._requireWaiver('JOB-1', 'retries', 0, 'runs the task once, so a transient failure fails the run');
    }
    const interval = wholeSeconds(this, 'retryInterval', props.retryInterval ?? Duration.seconds(EcsDefaults.JOB_RETRY_INTERVAL_SECONDS), 86400);
    const backoffRate = props.backoffRate ?? EcsDefaults.JOB_BACKOFF_RATE;
    if (!Number.isFinite(backoffRate) || backoffRate < 1 || backoffRate > 10) {
      throw propError(this, 'backoffRate', backoffRate, 'must be a number in 1..10', `use ${EcsDefaults.JOB_BACKOFF_RATE} (the wait doubles on each retry)`);
    }
    const attemptSeconds = wholeSeconds(this, 'timeout', this.timeout, EcsDefaults.MAX_EXECUTION_SECONDS);
    const backoffSeconds = Array.from({ length: this.retries }, (_x, i) => interval * backoffRate ** i).reduce((a, b) => a + b, 0);
    const executionSeconds = Math.ceil(attemptSeconds * (this.retries + 1) + backoffSeconds + MARGIN_SECONDS);
    if (executionSeconds > EcsDefaults.MAX_EXECUTION_SECONDS) {
      throw propError(this, 'timeout', `${attemptSeconds}s`, `with ${this.retries} retries and their backoff an execution may take ${executionSeconds}s, `
        + `more than Step Functions allows (${EcsDefaults.MAX_EXECUTION_SECONDS}s, one year)`, 'shorten the timeout or lower retries');
    }
    const checkpointDir = props.checkpointPath ?? '/checkpoints';
    if (!/^\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(checkpointDir) || checkpointDir === '/tmp') {
      throw propError(this, 'checkpointPath', checkpointDir, 'must be an absolute path other than / and /tmp', 'use e.g. \'/checkpoints\'');
    }
    const reserved = RUN_VARIABLES.find((n) => n in (props.environment ?? {}));
    if (reserved) {
      throw propError(this, `environment.${reserved}`, reserved, 'is set by the state machine for every run', 'remove it');
    }

    this.modelArtifact = props.modelArtifact === undefined ? undefined : validateEcsArtifact(this, 'modelArtifact', props.modelArtifact, 'ModelArtifact');
    this.datasetArtifacts = (props.datasetArtifacts ?? []).map((d, i) => validateEcsArtifact(this, `datasetArtifacts[${i}]`, d, 'DatasetArtifact'));
    const verified = pinnedInputPlacements(props.artifactVerifierImage,
      this.modelArtifact ? { artifact: this.modelArtifact, mountPath: BASE_MODEL_PATH } : undefined,
      this.datasetArtifacts.map((artifact, i) => ({ artifact, mountPath: `${DATASETS_PATH}/${i}` })));
    this.task = renderTask(this, {
      ...this._sharedTaskSpec(props),
      cpu,
      memoryMiB,
      readonlyRootFilesystem: true,
      command: props.command,
      verifiedInputs: verified,
      artifactDecryptionKeys: props.artifactEncryptionKeys,
      systemEnvironment: {
        CHECKPOINT_DIR: checkpointDir,
        ...(props.codeRevision ? { CODE_REVISION: props.codeRevision } : {}),
        ...(this.model ? { MODEL_NAME: this.model.name, MODEL_VERSION: this.model.version } : {}),
        ...(props.artifactBucket ? { ARTIFACT_BUCKET: props.artifactBucket.bucketName } : {}),
        ...pinnedInputEnvironment(verified),
      },
      dockerLabels: this._dockerLabels({
        model: this.model,
        datasets: this.datasets,
        imageProvenance: props.imageProvenance,
        extra: { [`run.${PROVENANCE_PREFIX}/code-revision`]: props.codeRevision, ...pinnedInputLabels(verified) },
      }),
      scratchVolumes: { tmp: '/tmp', checkpoints: checkpointDir },
      scratchVolumeProps: { tmp: 'tmp (the construct\'s /tmp)', checkpoints: 'checkpointPath' },
      reservedEnvironment: RUN_VARIABLES,
    }, this._acknowledged);
    this.taskDefinition = this.task.taskDefinition;
    this.container = this.task.container;
    this.taskRole = this.task.taskRole;
    this.grantBuckets(props);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.placement.cluster.vpc, allowAllOutbound: false, description: `Tasks of ${this.node.path}: no ingress, HTTPS egress only (NET-1)`,
    });
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs, the registry and the data stores');
    this.failureTopic = props.failureTopic ?? this.newFailureTopic();
    const executions = new Construct(this, 'Executions');
    const executionRetention = Math.max(this.logging.retentionDays, EcsDefaults.LOG_RETENTION_DAYS);
    this.executionLogGroup = EcsLogging.awsLogs({ retention: executionRetention })._renderLogGroup(executions);
    const tracing = props.tracing ?? true;
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(interval, backoffRate)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: Duration.seconds(executionSeconds),
      tracingEnabled: tracing,
      logs: { destination: this.executionLogGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment: `Runs ${this.node.path}: ${attemptSeconds}s per attempt, ${this.retries} retries (JOB-1, JOB-2)`,
    });
    this.failureTopic.masterKey?.grant(this.stateMachine.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    acknowledgeCfnLint(this.stateMachine, 'W3005', 'aws-cdk-lib makes a state machine depend on its role and the '
      + 'role\'s policy explicitly; the Fn::GetAtt of RoleArn already orders the role, so that DependsOn entry is redundant and harmless, '
      + 'and the policy entry is needed.');
    if (!tracing) {
      acknowledge(this._acknowledged, this.stateMachine, 'AwsSolutions-SF2',
        'X-Ray tracing was turned off (tracing: false); the execution history is logged at level ALL, which records every state transition.');
    }
    if (props.schedule !== undefined) {
      this.schedule = this.renderSchedule(props.schedule);
    }
    this.acknowledgeWildcards();
    this._tag(this.model, 'training', props.partOf);
    this._reportReady();
  }

  /**
   * An EventBridge rule that matches the final failure of a run: the "Step Functions Execution Status Change" event of this state
   * machine with status FAILED, TIMED_OUT or ABORTED.
   *
   * @param id the construct ID of the rule
   * @param options a target, a description or an extra event pattern
   */
  public onFailure(id: string, options: events.OnEventOptions = {}): events.Rule {
    const rule = new events.Rule(this, id, {
      description: options.description ?? `Final failure of a run of ${this.node.path}`,
      ruleName: options.ruleName,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [this.stateMachine.stateMachineArn] },
      },
    });
    rule.addEventPattern(options.eventPattern);
    rule.addTarget(options.target);
    return rule;
  }

  /** @internal */
  public _reportSubject(): EcsReportSubject {
    return { kind: 'CompliantTrainingJob', taskDefinition: this.taskDefinition, model: this.model };
  }

  /** Run the task (retried with backoff, bounded per attempt); on any final error publish the failure and fail. */
  private definition(interval: number, backoffRate: number): sfn.IChainable {
    const strategies = this.placement.capacityProviderStrategies;
    let launchTarget: tasks.IEcsLaunchTarget;
    if (strategies) {
      launchTarget = new CapacityProviderLaunchTarget(strategies, !this.placement.ec2);
    } else if (this.placement.ec2) {
      launchTarget = new tasks.EcsEc2LaunchTarget();
    } else {
      launchTarget = new tasks.EcsFargateLaunchTarget({ platformVersion: ecs.FargatePlatformVersion.LATEST });
    }
    // ecs:RunTask on this task definition's ARN rather than on every revision of its family (`family:*`)
    const flow = new Construct(this, 'Flow');
    flow.node.setContext(cxapi.STEPFUNCTIONS_TASKS_FIX_RUN_ECS_TASK_POLICY, true);
    const run = new tasks.EcsRunTask(flow, 'RunTrainingTask', {
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      cluster: this.placement.cluster,
      taskDefinition: this.taskDefinition,
      launchTarget,
      subnets: this.placement.subnets,
      securityGroups: [this.securityGroup],
      assignPublicIp: false,
      propagatedTagSource: ecs.PropagatedTagSource.TASK_DEFINITION,
      containerOverrides: [{
        containerDefinition: this.container,
        environment: [
          { name: 'RUN_ID', value: sfn.JsonPath.executionName },
          { name: 'RUN_ATTEMPT', value: sfn.JsonPath.format('{}', sfn.JsonPath.stringAt('$$.State.RetryCount')) },
        ],
      }],
      taskTimeout: sfn.Timeout.duration(this.timeout),
      resultPath: '$.run',
    });
    if (this.retries > 0) {
      run.addRetry({ errors: [sfn.Errors.TASKS_FAILED], maxAttempts: this.retries, interval: Duration.seconds(interval), backoffRate });
    }
    const notify = new tasks.SnsPublish(flow, 'PublishFailure', {
      topic: this.failureTopic,
      subject: 'Training run failed',
      message: sfn.TaskInput.fromObject({
        stateMachine: sfn.JsonPath.stateMachineId,
        execution: sfn.JsonPath.executionId,
        runId: sfn.JsonPath.executionName,
        error: sfn.JsonPath.stringAt('$.failure.Error'),
        cause: sfn.JsonPath.stringAt('$.failure.Cause'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
    });
    notify.addRetry({ errors: [sfn.Errors.ALL], maxAttempts: 3, interval: Duration.seconds(5), backoffRate: 2 });
    run.addCatch(notify.next(new sfn.Fail(flow, 'Failed', { errorPath: '$.failure.Error', causePath: '$.failure.Cause' })),
      { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
    return run;
  }

  private newFailureTopic(): sns.Topic {
    const key = new kms.Key(this, 'FailureTopicKey', { enableKeyRotation: true, description: `Encrypts the failure topic of ${this.node.path}` });
    return new sns.Topic(this, 'FailureTopic', { masterKey: key, enforceSSL: true, displayName: 'Training run failures' });
  }

  /**
   * Least-privilege S3 access of the task role: read on dataset buckets, write on the artifact bucket. The grants live in a
   * policy of their own, so that the object wildcards (`bucket/*`) can be acknowledged for cdk-nag IAM5 on exactly these
   * statements, while anything users add to the task role's default policy stays checked.
   */
  private grantBuckets(props: CompliantTrainingJobProps): void {
    const statements: iam.PolicyStatement[] = [];
    const grant = (bucket: s3.IBucket, objectActions: string[], keyActions: string[]) => {
      statements.push(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
      statements.push(new iam.PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects('*')] }));
      if (bucket.encryptionKey) {
        statements.push(new iam.PolicyStatement({ actions: keyActions, resources: [bucket.encryptionKey.keyArn] }));
      }
    };
    for (const bucket of props.datasetBuckets ?? []) {
      grant(bucket, ['s3:GetObject'], ['kms:Decrypt']);
    }
    if (props.artifactBucket) {
      grant(props.artifactBucket, ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], ['kms:Decrypt', 'kms:GenerateDataKey']);
    }
    if (statements.length > 0) {
      const policy = new iam.Policy(this, 'DataAccess', { roles: [this.task.taskRole], statements });
      for (const resource of nagResources(Stack.of(this).resolve(policy.document)).filter((r) => r.endsWith('/*'))) {
        acknowledge(this._acknowledged, policy, `AwsSolutions-IAM5[Resource::${resource}]`,
          'This policy holds only the S3 grants of the buckets named in datasetBuckets (read) and artifactBucket (write); its only '
          + 'wildcards are the objects of those buckets (bucket/*).');
      }
    }
  }

  private renderSchedule(expression: scheduler.ScheduleExpression): scheduler.Schedule {
    if (typeof (expression as unknown) === 'string' || typeof expression?.expressionString !== 'string') {
      // a plain string (from JavaScript, or a cast) would reach aws-cdk-lib as an object without expressionString
      throw propError(this, 'schedule', expression, 'is not a ScheduleExpression',
        `wrap it: ScheduleExpression.expression(${JSON.stringify(typeof (expression as unknown) === 'string' ? expression : 'cron(0 3 * * ? *)')}) `
        + 'or use ScheduleExpression.cron({ minute: \'0\', hour: \'3\' })');
    }
    validateScheduleExpression(this, expression.expressionString);
    const role = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      description: `Starts executions of ${this.node.path} on its schedule, nothing else`,
    });
    return new scheduler.Schedule(this, 'Schedule', {
      schedule: expression,
      description: `Periodic training run of ${this.node.path}`,
      target: new targets.StepFunctionsStartExecution(this.stateMachine, { role, retryAttempts: 2, maxEventAge: Duration.hours(1) }),
    });
  }

  /**
   * Acknowledges the wildcard resources cdk-nag IAM5 reports on the state machine role that have a reason: APIs without
   * resource-level permissions. Any other wildcard stays reported. (The bucket grants have a policy of their own, see
   * `grantBuckets`.)
   */
  private acknowledgeWildcards(): void {
    const stack = Stack.of(this);
    const check = (role: IConstruct, reasons: Array<[RegExp, string]>) => {
      const policy = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
      const doc = policy ? stack.resolve(policy.document) : undefined;
      for (const resource of nagResources(doc)) {
        const reason = reasons.find(([re]) => re.test(resource))?.[1];
        if (reason && !resource.includes('::')) {
          acknowledge(this._acknowledged, role, `AwsSolutions-IAM5[Resource::${resource}]`, reason);
        }
      }
    };
    const wildcardWrites = 'The write actions on Resource * are ecs:StopTask of the runTask.sync integration (the task ARN is known only at run '
      + 'time), CloudWatch Logs log delivery and X-Ray tracing, which support no resource-level permissions.';
    const stateMachinePolicy = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (stateMachinePolicy && nagResources(stack.resolve((stateMachinePolicy as iam.Policy).document)).includes('*')) {
      acknowledgeCheckov(stateMachinePolicy, 'CKV_AWS_111', wildcardWrites);
    }
    check(this.stateMachine.role, [
      [/^\*$/, 'ecs:StopTask and ecs:DescribeTasks of the runTask.sync integration, CloudWatch Logs log delivery and X-Ray tracing '
        + 'support no resource-level permissions.'],
    ]);
  }
}

/** The wildcard resources of a resolved policy document, flattened the way cdk-nag names them in IAM5 findings. */
function nagResources(doc: { Statement?: Array<{ Effect?: string; Resource?: unknown }> } | undefined): string[] {
  const flat = (v: unknown): string => {
    if (typeof v === 'string') {
      return v.replace(/\$\{/g, '<').replace(/\}/g, '>');
    }
    const o = (v ?? {}) as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [sep, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flat).join(sep);
    }
    const ref = Array.isArray(o['Fn::GetAtt']) ? (o['Fn::GetAtt'] as string[]).join('.') : o.Ref;
    return typeof ref === 'string' ? `<${ref}>` : JSON.stringify(v);
  };
  const all = (doc?.Statement ?? []).filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Resource ?? []].flat().map(flat));
  return [...new Set(all.filter((r) => r.includes('*')))];
}

/** Runs the task through the given capacity provider strategies (EcsEc2LaunchTarget insists on a cluster with EC2 capacity). */
class CapacityProviderLaunchTarget implements tasks.IEcsLaunchTarget {
  constructor(private readonly strategies: ecs.CapacityProviderStrategy[], private readonly fargate: boolean) {}

  public bind(_task: tasks.EcsRunTask, _options: tasks.LaunchTargetBindOptions): tasks.EcsLaunchTargetConfig {
    return {
      parameters: {
        CapacityProviderStrategy: this.strategies.map((s) => ({ CapacityProvider: s.capacityProvider, Weight: s.weight, Base: s.base })),
        PlatformVersion: this.fargate ? ecs.FargatePlatformVersion.LATEST : undefined,
      },
    };
  }
}

function wholeSeconds(scope: Construct, prop: string, d: Duration, max: number): number {
  return wholeSecondsWithin(scope, prop, d, 1, max, 'Duration.hours(24)');
}

/** Checks an EventBridge Scheduler expression: rate, six-field cron or one-time at. Tokens pass. */
function validateScheduleExpression(scope: Construct, expression: string): void {
  if (Token.isUnresolved(expression)) {
    return;
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  const cron = /^cron\((.*)\)$/.exec(expression)?.[1].trim().split(/\s+/);
  let problem: string | undefined;
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1 || (n === 1) === rate[2].endsWith('s')) {
      problem = n < 1 ? 'has a rate below 1' : `needs a ${n === 1 ? 'singular' : 'plural'} unit for a value of ${n}`;
    }
  } else if (cron) {
    if (cron.length !== 6) {
      problem = `has ${cron.length} cron fields, EventBridge needs six (minutes hours day-of-month month day-of-week year)`;
    } else if (!cron.every((f) => CRON_FIELD.test(f))) {
      problem = 'has a cron field that is not a value, range, list, step, *, ?, L, W or #';
    } else if ((cron[2] === '?') === (cron[4] === '?')) {
      problem = 'needs ? in exactly one of day-of-month and day-of-week';
    }
  } else if (!/^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(expression)) {
    problem = 'is not rate(...), cron(...) or at(...)';
  }
  if (problem) {
    throw propError(scope, 'schedule', expression, problem,
      'use ScheduleExpression.cron({ minute: \'0\', hour: \'3\' }), ScheduleExpression.rate(Duration.days(1)) or e.g. \'cron(0 3 * * ? *)\'');
  }
}
