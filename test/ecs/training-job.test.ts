/* eslint-disable @typescript-eslint/no-explicit-any */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ComplianceReport } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import { CompliantTrainingJob, CompliantTrainingJobProps } from '../../src/ecs';
import { nagErrors } from '../support/nag';

const IMAGE = ImageReference.fromString(`123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-train:1.4.0@sha256:${'c'.repeat(64)}`);
const MODEL = { name: 'fraud-detector', version: '1.4.0' };
const DATASET = { name: 'transactions', version: '2024-06', uri: 's3://acme-data/transactions/2024-06/' };

function synth(props: Partial<CompliantTrainingJobProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Training', { env: { account: '123456789012', region: 'eu-central-1' } });
  const job = new CompliantTrainingJob(stack, 'Job', { image: IMAGE, model: MODEL, ...props });
  return { app, stack, job };
}

const template = (stack: Stack) => Template.fromStack(stack);

/** Resources of a type in the stack's template, by logical ID. */
function resources(stack: Stack, type: string): Array<[string, any]> {
  return Object.entries(template(stack).toJSON().Resources as Record<string, any>).filter(([, r]) => r.Type === type);
}

/** Flattens an Fn::Join of literals and references to text (references as `${Id}`). */
function flat(v: any): string {
  if (typeof v === 'string') {
    return v;
  }
  if (v['Fn::Join']) {
    return v['Fn::Join'][1].map(flat).join(v['Fn::Join'][0]);
  }
  if (v.Ref) {
    return `\${${v.Ref}}`;
  }
  return `\${${v['Fn::GetAtt'].join('.')}}`;
}

/** The parsed definition of the one state machine of the stack. */
function definition(stack: Stack): any {
  const machines = resources(stack, 'AWS::StepFunctions::StateMachine');
  expect(machines).toHaveLength(1);
  return JSON.parse(flat(machines[0][1].Properties.DefinitionString));
}

/** cdk-nag AwsSolutions errors on the job's resources. */
const jobNagErrors = (app: App) => nagErrors(app, 'Training/Job/');

const status = (job: CompliantTrainingJob, id: string) => job.complianceEntry().controls.find((c) => c.id === id)?.status;

describe('task definition (SEC-*, IMG-*, LOG-*, RES-1)', () => {
  test('non-root, read-only root with /tmp and checkpoint volumes, ALL capabilities dropped, Fargate 4 vCPU / 16 GiB', () => {
    const { stack } = synth();
    template(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '4096',
      Memory: '16384',
      Volumes: [{ Name: 'tmp' }, { Name: 'checkpoints' }],
      ContainerDefinitions: [Match.objectLike({
        Name: 'main',
        Image: IMAGE.toString(),
        User: '10001:10001',
        ReadonlyRootFilesystem: true,
        Privileged: false,
        LinuxParameters: { Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true },
        MountPoints: [
          { SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false },
          { SourceVolume: 'checkpoints', ContainerPath: '/checkpoints', ReadOnly: false },
        ],
        Environment: Match.arrayWith([{ Name: 'CHECKPOINT_DIR', Value: '/checkpoints' }, { Name: 'MODEL_NAME', Value: 'fraud-detector' }]),
      })],
    });
  });

  test('docker labels carry model, dataset, code revision and OCI provenance', () => {
    const { stack } = synth({
      datasets: [DATASET],
      codeRevision: '3f2c1ab',
      imageProvenance: { source: 'https://github.com/acme/fraud', revision: '3f2c1ab' },
    });
    template(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        DockerLabels: Match.objectLike({
          'model.compliance.cdk-compliant-ml.io/name': 'fraud-detector',
          'model.compliance.cdk-compliant-ml.io/version': '1.4.0',
          'dataset-0.compliance.cdk-compliant-ml.io/name': 'transactions',
          'dataset-0.compliance.cdk-compliant-ml.io/uri': DATASET.uri,
          'run.compliance.cdk-compliant-ml.io/code-revision': '3f2c1ab',
          'org.opencontainers.image.source': 'https://github.com/acme/fraud',
          'org.opencontainers.image.revision': '3f2c1ab',
        }),
        Environment: Match.arrayWith([{ Name: 'CODE_REVISION', Value: '3f2c1ab' }]),
      })],
    });
  });

  test('awslogs (blocking) into a log group kept 365 days and encrypted with a rotated key', () => {
    const { stack, job } = synth();
    const t = template(stack);
    const taskLogs = resources(stack, 'AWS::Logs::LogGroup').find(([id]) => id.startsWith('JobLogs'))!;
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-group': { Ref: taskLogs[0] }, 'mode': 'blocking' }) },
      })],
    });
    expect(taskLogs[1].Properties).toMatchObject({ RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^CompliantMlLogKey/), 'Arn'] } });
    for (const [, key] of resources(stack, 'AWS::KMS::Key')) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
    }
    expect(['LOG-1', 'LOG-2', 'LOG-3', 'SEC-1', 'SEC-3', 'SEC-5', 'RES-1', 'IMG-1', 'IMG-2'].map((id) => status(job, id)))
      .toEqual(Array(9).fill('enforced'));
  });

  test('ephemeral storage on Fargate', () => {
    const { stack } = synth({ ephemeralStorageGiB: 200 });
    template(stack).hasResourceProperties('AWS::ECS::TaskDefinition', { EphemeralStorage: { SizeInGiB: 200 } });
  });

  test('GPU on an EC2 capacity provider: EC2 task definition with a GPU requirement, launched through the capacity provider', () => {
    const { stack, job } = synth({ gpuCount: 1, cpu: 8192, memoryLimitMiB: 30000, capacityProviderStrategies: [{ capacityProvider: 'gpu', weight: 1 }] });
    template(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['EC2'],
      NetworkMode: 'awsvpc',
      ContainerDefinitions: [Match.objectLike({
        ResourceRequirements: [{ Type: 'GPU', Value: '1' }],
        DockerSecurityOptions: ['no-new-privileges'],
        Cpu: 8192,
        Memory: 30000,
      })],
    });
    const run = definition(stack).States.RunTrainingTask;
    expect(run.Parameters.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'gpu', Weight: 1 }]);
    expect(run.Parameters.LaunchType).toBeUndefined();
    expect(status(job, 'SEC-2')).toBe('enforced');
  });
});

describe('state machine (JOB-1..3, NET-1)', () => {
  test('runTask.sync with a 24 h timeout per attempt, 2 retries with backoff, failure published then failed', () => {
    const { stack } = synth();
    const def = definition(stack);
    expect(def.StartAt).toBe('RunTrainingTask');
    const run = def.States.RunTrainingTask;
    expect(run.Resource).toBe('arn:${AWS::Partition}:states:::ecs:runTask.sync');
    expect(run.TimeoutSeconds).toBe(86400);
    expect(run.Retry).toEqual([{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 60, MaxAttempts: 2, BackoffRate: 2 }]);
    expect(run.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'PublishFailure' }]);
    expect(run.Parameters).toMatchObject({
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      PropagateTags: 'TASK_DEFINITION',
      Cluster: expect.stringMatching(/^\$\{CompliantMlNetworkCluster.*\.Arn\}$/),
      TaskDefinition: resources(stack, 'AWS::ECS::TaskDefinition')[0][1].Properties.Family,
      NetworkConfiguration: { AwsvpcConfiguration: { SecurityGroups: [expect.stringMatching(/^\$\{JobSecurityGroup.*\.GroupId\}$/)] } },
    });
    expect(run.Parameters.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).not.toBe('ENABLED');
    expect(run.Parameters.Overrides.ContainerOverrides[0]).toEqual({
      Name: 'main',
      Environment: [
        { 'Name': 'RUN_ID', 'Value.$': '$$.Execution.Name' },
        { 'Name': 'RUN_ATTEMPT', 'Value.$': 'States.Format(\'{}\', $$.State.RetryCount)' },
      ],
    });
    expect(def.States.PublishFailure).toMatchObject({ Resource: 'arn:${AWS::Partition}:states:::sns:publish', Next: 'Failed' });
    expect(def.States.Failed).toEqual({ Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' });
    // three attempts of 24 h, 60 s + 120 s backoff, 10 min margin
    expect(def.TimeoutSeconds).toBe(3 * 86400 + 180 + 600);
  });

  test('custom timeout, retries and backoff', () => {
    const { stack } = synth({ timeout: Duration.hours(2), retries: 5, retryInterval: Duration.minutes(5), backoffRate: 1.5 });
    const def = definition(stack);
    expect(def.States.RunTrainingTask.TimeoutSeconds).toBe(7200);
    expect(def.States.RunTrainingTask.Retry).toEqual([{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 300, MaxAttempts: 5, BackoffRate: 1.5 }]);
  });

  test('no ingress, HTTPS-only egress', () => {
    const { stack } = synth();
    template(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('no ingress'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
      SecurityGroupIngress: Match.absent(),
    });
  });

  test('executions logged at level ALL into a KMS-encrypted log group kept 365 days, X-Ray tracing on', () => {
    const { stack } = synth();
    const [groupId, group] = resources(stack, 'AWS::Logs::LogGroup').find(([id]) => id.startsWith('JobExecutionsLogs'))!;
    template(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [groupId, 'Arn'] } } }] },
      TracingConfiguration: { Enabled: true },
    });
    expect(group.Properties).toMatchObject({ RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^CompliantMlLogKey/), 'Arn'] } });
  });

  test('the failure topic is KMS-encrypted, TLS-only, and the state machine may publish to it', () => {
    const { stack } = synth();
    const [topicId] = resources(stack, 'AWS::SNS::Topic')[0];
    template(stack).hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobFailureTopicKey'), 'Arn'] } });
    template(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^JobStateMachineRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: topicId } }),
          Match.objectLike({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobFailureTopicKey'), 'Arn'] } }),
        ]),
      },
    });
  });

  test('a given failure topic is used instead of a new one', () => {
    const app = new App();
    const stack = new Stack(app, 'Training');
    const topic = new sns.Topic(stack, 'Alerts', { masterKey: new kms.Key(stack, 'AlertKey', { enableKeyRotation: true }) });
    const job = new CompliantTrainingJob(stack, 'Job', { image: IMAGE, model: MODEL, failureTopic: topic });
    expect(job.failureTopic).toBe(topic);
    template(stack).resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('onFailure(): an EventBridge rule on FAILED, TIMED_OUT and ABORTED executions of this state machine', () => {
    const { stack, job } = synth();
    const target: events.IRuleTarget = { bind: () => ({ arn: 'arn:aws:sns:eu-central-1:123456789012:oncall' }) };
    job.onFailure('Alert', { target });
    template(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        'detail': { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: Match.stringLikeRegexp('^JobStateMachine') }] },
      },
      Targets: [Match.objectLike({ Arn: 'arn:aws:sns:eu-central-1:123456789012:oncall' })],
    });
  });

  test('schedule: EventBridge Scheduler starts executions with a role that may only start this state machine', () => {
    const { stack } = synth({ schedule: ScheduleExpression.cron({ minute: '0', hour: '3' }) });
    const [machineId] = resources(stack, 'AWS::StepFunctions::StateMachine')[0];
    const [roleId] = resources(stack, 'AWS::IAM::Role').find(([id]) => id.startsWith('JobScheduleRole'))!;
    template(stack).hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { Ref: machineId }, RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }) }),
    });
    template(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: machineId } }] },
    });
    template(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        })],
      },
    });
  });

  test('rate and at expressions are accepted', () => {
    expect(() => synth({ schedule: ScheduleExpression.rate(Duration.days(7)) })).not.toThrow();
    expect(() => synth({ schedule: ScheduleExpression.expression('rate(1 day)') })).not.toThrow();
    expect(() => synth({ schedule: ScheduleExpression.at(new Date('2030-01-01T03:00:00Z')) })).not.toThrow();
  });
});

describe('data access (SEC-8)', () => {
  test('dataset buckets readable, the artifact bucket writable, on the task role only', () => {
    const app = new App();
    const stack = new Stack(app, 'Training', { env: { account: '123456789012', region: 'eu-central-1' } });
    const artifacts = new s3.Bucket(stack, 'Artifacts', { encryption: s3.BucketEncryption.KMS, enforceSSL: true });
    const data = new s3.Bucket(stack, 'Data', { enforceSSL: true });
    const job = new CompliantTrainingJob(stack, 'Job', { image: IMAGE, model: MODEL, datasetBuckets: [data], artifactBucket: artifacts });
    const [taskRoleId] = resources(stack, 'AWS::IAM::Role').find(([id]) => id.startsWith('JobTaskRole'))!;
    const policies = resources(stack, 'AWS::IAM::Policy');
    const dataAccess = policies.filter(([id, p]) => p.Properties.Roles[0].Ref === taskRoleId && id.startsWith('JobDataAccess'));
    expect(dataAccess).toHaveLength(1);
    const taskPolicy = dataAccess[0][1];
    const statements = taskPolicy.Properties.PolicyDocument.Statement.map((s: any) => [s.Action, flat(s.Resource)]);
    expect(statements).toEqual(expect.arrayContaining([
      ['s3:ListBucket', expect.stringMatching(/^\$\{Data.*\.Arn\}$/)],
      ['s3:GetObject', expect.stringMatching(/^\$\{Data.*\.Arn\}\/\*$/)],
      ['s3:ListBucket', expect.stringMatching(/^\$\{Artifacts.*\.Arn\}$/)],
      [['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], expect.stringMatching(/^\$\{Artifacts.*\.Arn\}\/\*$/)],
      [['kms:Decrypt', 'kms:GenerateDataKey'], expect.stringMatching(/^\$\{ArtifactsKey.*\.Arn\}$/)],
    ]));
    for (const [, p] of policies.filter(([, x]) => x.Properties.Roles[0].Ref !== taskRoleId)) {
      expect(JSON.stringify(p.Properties.PolicyDocument)).not.toContain('s3:');
    }
    template(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'ARTIFACT_BUCKET', Value: { Ref: Match.stringLikeRegexp('^Artifacts') } }]) })],
    });
    expect(status(job, 'SEC-8')).toBe('enforced');
    expect(jobNagErrors(app)).toEqual([]);
  });

  test('an imported bucket: the same grants in the data-access policy, whose object wildcards are acknowledged with a reason', () => {
    const app = new App();
    const stack = new Stack(app, 'Training');
    const data = s3.Bucket.fromBucketName(stack, 'Data', 'acme-data');
    const job = new CompliantTrainingJob(stack, 'Job', { image: IMAGE, model: MODEL, datasetBuckets: [data] });
    template(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-data/*']] } })]) },
    });
    expect(jobNagErrors(app)).toEqual([]);
    const ack = job.complianceEntry().acknowledgedRules!.find((r) => r.path === 'Training/Job/DataAccess')!;
    expect(ack).toMatchObject({
      rule: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-data/*]', reason: expect.stringMatching(/only the S3 grants of the buckets named in datasetBuckets/),
    });
  });
});

describe('compliance report and cdk-nag', () => {
  test('complianceEntry(): nothing violated, JOB-1/JOB-2 enforced, JOB-3 equivalent, acknowledged rules with reasons', () => {
    const { job } = synth();
    const entry = job.complianceEntry();
    expect(entry).toMatchObject({ path: 'Training/Job', kind: 'CompliantTrainingJob', backend: 'ecs', images: [IMAGE.toString()], model: MODEL });
    expect(entry.controls.filter((c) => c.status === 'violated')).toEqual([]);
    expect(status(job, 'JOB-1')).toBe('enforced');
    expect(status(job, 'JOB-2')).toBe('enforced');
    expect(status(job, 'JOB-3')).toBe('equivalent');
    expect(status(job, 'NET-1')).toBe('enforced');
    expect(status(job, 'MON-1')).toBe('enforced');
    expect(entry.controls.find((c) => c.id === 'JOB-2')!.evidence.join()).toContain('TimeoutSeconds=86400');
    expect((entry.acknowledgedRules ?? []).map((a) => [a.rule, a.path]).sort()).toEqual([
      ['AwsSolutions-ECS2', 'Training/Job/TaskDefinition'],
      ['AwsSolutions-IAM5[Resource::*]', 'Training/Job/ExecutionRole'],
      ['AwsSolutions-IAM5[Resource::*]', 'Training/Job/StateMachine/Role'],
      ['cfn-lint:W3005', 'Training/Job/StateMachine'],
      ['checkov:CKV_AWS_111', 'Training/Job/StateMachine/Role/DefaultPolicy'],
    ]);
    for (const a of entry.acknowledgedRules ?? []) {
      expect(a.reason.length).toBeGreaterThan(40);
    }
    expect(job._claimedLogicalIds()).toEqual([resources(Stack.of(job), 'AWS::ECS::TaskDefinition')[0][0]]);
  });

  test('the app report lists the job once, with no foreign task definition and no violation', () => {
    const { app } = synth({ datasets: [DATASET], codeRevision: '3f2c1ab' });
    const report = ComplianceReport.of(app);
    expect(report.workloads.map((w) => [w.path, w.kind])).toEqual([['Training/Job', 'CompliantTrainingJob']]);
    expect(report.violations()).toEqual([]);
  });

  test('cdk-nag AwsSolutions: no errors for the defaults', () => {
    const { app } = synth();
    expect(nagErrors(app)).toEqual([]);
  });

  test('cdk-nag AwsSolutions: no errors for a GPU job on an EC2 capacity provider', () => {
    const { app } = synth({ gpuCount: 4, cpu: 16384, memoryLimitMiB: 65536, capacityProviderStrategies: [{ capacityProvider: 'gpu', weight: 1 }] });
    expect(nagErrors(app)).toEqual([]);
  });

  test('cdk-nag AwsSolutions: no errors with a schedule', () => {
    const { app } = synth({ schedule: ScheduleExpression.rate(Duration.days(1)) });
    expect(nagErrors(app)).toEqual([]);
  });

  test('tracing off: SF2 is acknowledged with its reason and reported', () => {
    const { app, stack, job } = synth({ tracing: false });
    template(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: false } });
    expect(nagErrors(app)).toEqual([]);
    expect(job.complianceEntry().acknowledgedRules).toEqual(expect.arrayContaining([
      expect.objectContaining({ rule: 'AwsSolutions-SF2', path: 'Training/Job/StateMachine', reason: expect.stringMatching(/level ALL/) }),
    ]));
  });

  test('retries: 0 needs a JOB-1 waiver and is then reported as waived', () => {
    expect(() => synth({ retries: 0 })).toThrow(/invalid retries 0: .*JOB-1/);
    const { stack, job } = synth({ retries: 0, waivers: [{ control: 'JOB-1', reason: 'the trainer is not idempotent; failures are re-run by hand' }] });
    expect(definition(stack).States.RunTrainingTask.Retry).toBeUndefined();
    expect(status(job, 'JOB-1')).toBe('waived');
  });

  test('snapshot of the defaults', () => {
    const { stack } = synth();
    expect(template(stack).toJSON()).toMatchSnapshot();
  });
});

describe('errors', () => {
  test.each<[string, Partial<CompliantTrainingJobProps>, RegExp]>([
    ['zero timeout', { timeout: Duration.seconds(0) }, /Training\/Job: invalid timeout "0s": must be a positive whole number of seconds/],
    ['sub-second timeout', { timeout: Duration.millis(1500) }, /invalid timeout "1.5s"/],
    ['timeout beyond the Step Functions limit', { timeout: Duration.days(200) }, /invalid timeout "17280000s": .*more than Step Functions allows/],
    ['negative retries', { retries: -1 }, /invalid retries -1: must be an integer in 0\.\.10/],
    ['too many retries', { retries: 11 }, /invalid retries 11: must be an integer in 0\.\.10/],
    ['fractional retries', { retries: 1.5 }, /invalid retries 1.5/],
    ['backoff below 1', { backoffRate: 0.5 }, /invalid backoffRate 0.5: must be a number in 1\.\.10/],
    ['zero retry interval', { retryInterval: Duration.seconds(0) }, /invalid retryInterval "0s"/],
    ['five-field cron', { schedule: ScheduleExpression.expression('cron(0 3 * * *)') }, /invalid schedule "cron\(0 3 \* \* \*\)": has 5 cron fields/],
    ['cron without ?', { schedule: ScheduleExpression.expression('cron(0 3 * * * *)') }, /invalid schedule .*needs \? in exactly one/],
    ['zero rate', { schedule: ScheduleExpression.expression('rate(0 minutes)') }, /invalid schedule "rate\(0 minutes\)": has a rate below 1/],
    ['plural unit for 1', { schedule: ScheduleExpression.expression('rate(1 hours)') }, /invalid schedule "rate\(1 hours\)": needs a singular unit/],
    ['no expression', { schedule: ScheduleExpression.expression('@daily') }, /invalid schedule "@daily": is not rate/],
    ['GPU on Fargate', { gpuCount: 1 }, /invalid gpuCount 1: needs EC2 GPU capacity/],
    ['Fargate cpu/memory mismatch', { cpu: 4096, memoryLimitMiB: 4096 }, /invalid memoryLimitMiB 4096: is not valid with cpu 4096 on Fargate/],
    ['ephemeral storage above 200 GiB', { ephemeralStorageGiB: 201 }, /invalid ephemeralStorageGiB 201: must be an integer in 21\.\.200/],
    ['relative checkpoint path', { checkpointPath: 'checkpoints' }, /invalid checkpointPath "checkpoints": must be an absolute path/],
    ['RUN_ID in the environment', { environment: { RUN_ID: 'x' } }, /invalid environment.RUN_ID "RUN_ID": is set by the state machine/],
    ['secret-like environment', { environment: { API_TOKEN: 'x' } }, /invalid environment.API_TOKEN .*SEC-9/],
    ['root user', { user: '0:0' }, /invalid user "0:0"/],
  ])('%s', (_name, props, error) => {
    expect(() => synth(props)).toThrow(error);
  });

  test('GPU on a cluster without EC2 capacity', () => {
    const app = new App();
    const stack = new Stack(app, 'Training');
    const cluster = new ecs.Cluster(stack, 'Cluster');
    expect(() => new CompliantTrainingJob(stack, 'Job', { image: IMAGE, cluster, gpuCount: 1 }))
      .toThrow(/invalid gpuCount 1: needs EC2 GPU capacity: Fargate has no GPUs and the given cluster has no EC2 capacity/);
  });
});
