/* eslint-disable @typescript-eslint/no-explicit-any */
import { Aspects } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DIGEST, EditableTemplate, EditEveryTaskDefinition, cfnTaskDefinition, compliantJob, compliantService, controlsOf, expectBroken, handEdited } from './support';
import { ControlStatus } from '../../../src/compliance';
import { flatten } from '../../../src/ecs/checks/template';

const { VIOLATED, UNVERIFIED, EXTERNAL, ENFORCED, EQUIVALENT, NOT_APPLICABLE } = ControlStatus;
type Edit = (t: EditableTemplate) => void;
const cfnService = (s: { service: awsecs.BaseService }) => s.service.node.defaultChild as awsecs.CfnService;

describe('AVL-1: at least two tasks, also as the autoscaling floor', () => {
  test('fails when an escape hatch sets one task', () => {
    const { service } = compliantService((s) => cfnService(s).addPropertyOverride('DesiredCount', 1));
    expectBroken(controlsOf(service)['AVL-1'], VIOLATED, /DesiredCount=1/);
  });
  test('fails when a hand edit lowers the autoscaling floor', () => {
    const { app, stack } = compliantService(undefined, () => ({ autoscaling: { maxCapacity: 4 } }));
    const template = app.synth().getStackArtifact(stack.artifactId).template;
    const controls = handEdited('service', (t) => {
      const [targetId, target] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget')!;
      t.add(targetId, { ...target, Properties: { ...target.Properties, MinCapacity: 1, ResourceId: JSON.parse(JSON.stringify(target.Properties.ResourceId).replace(/ScorerService\w+/g, t.idOf('AWS::ECS::Service'))) } });
    });
    expectBroken(controls['AVL-1'], VIOLATED, /ScalableTarget \w+ MinCapacity=1/);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['the count removed (ECS runs one)', (t) => { delete t.service.DesiredCount; }, VIOLATED, /DesiredCount is not set \(ECS runs 1 task\)/],
    ['the count as the string "1"', (t) => { t.service.DesiredCount = '1'; }, VIOLATED, /DesiredCount="1"/],
    ['the count from a parameter', (t) => { t.service.DesiredCount = { Ref: 'Count' }; }, UNVERIFIED, /DesiredCount=\$\{Count\}/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['AVL-1'], status, evidence);
  });
});

describe('AVL-2: minimum healthy 100 % is the ECS equivalent of a PodDisruptionBudget', () => {
  test('compliant: not set means the ECS default of 100', () => {
    expect(handEdited('service', (t) => { delete t.service.DeploymentConfiguration.MinimumHealthyPercent; })['AVL-2']).toMatchObject({
      status: EQUIVALENT, evidence: [expect.stringMatching(/MinimumHealthyPercent is not set \(ECS default 100\)/)],
    });
  });
  test('fails when an escape hatch lowers it to 50', () => {
    const { service } = compliantService((s) => cfnService(s).addPropertyOverride('DeploymentConfiguration.MinimumHealthyPercent', 50));
    expectBroken(controlsOf(service)['AVL-2'], VIOLATED, /MinimumHealthyPercent=50/);
  });
  test.each<[string, unknown, ControlStatus]>([['0', 0, VIOLATED], ['the string "50"', '50', VIOLATED], ['a parameter', { Ref: 'Min' }, UNVERIFIED]])('fails with %s', (_name, value, status) => {
    expectBroken(handEdited('service', (t) => { t.service.DeploymentConfiguration.MinimumHealthyPercent = value; })['AVL-2'], status, /MinimumHealthyPercent=/);
  });
});

describe('AVL-4: rolling ECS deployments that start new tasks first and roll back on failure', () => {
  test('fails when an escape hatch turns rollback off', () => {
    const { service } = compliantService((s) => cfnService(s).addPropertyOverride('DeploymentConfiguration.DeploymentCircuitBreaker.Rollback', false));
    expectBroken(controlsOf(service)['AVL-4'], VIOLATED, /DeploymentCircuitBreaker\.Rollback=false/);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['no surge', (t) => { t.service.DeploymentConfiguration.MaximumPercent = 100; }, VIOLATED, /MaximumPercent=100/],
    ['a CodeDeploy controller', (t) => { t.service.DeploymentController = { Type: 'CODE_DEPLOY' }; }, VIOLATED, /DeploymentController\.Type="CODE_DEPLOY"/],
    ['tasks stopped before replacements are healthy', (t) => { t.service.DeploymentConfiguration.MinimumHealthyPercent = 50; }, VIOLATED, /MinimumHealthyPercent=50/],
    ['no circuit breaker', (t) => { delete t.service.DeploymentConfiguration.DeploymentCircuitBreaker; }, VIOLATED, /DeploymentCircuitBreaker\.Enable is not set/],
    ['the breaker from a condition', (t) => { t.service.DeploymentConfiguration.DeploymentCircuitBreaker.Enable = { 'Fn::If': ['P', true, false] }; }, UNVERIFIED, /Enable=\$\{Fn::If\}/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['AVL-4'], status, evidence);
  });
});

describe('PRB-1: container health checks, target-group paths and a grace period', () => {
  test('fails when an escape hatch removes the health check', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyDeletionOverride('ContainerDefinitions.0.HealthCheck'));
    expectBroken(controlsOf(service)['PRB-1'], VIOLATED, /ContainerDefinitions\[0\]\.HealthCheck\.Command is not set/);
  });
  test('fails when the load balancer\'s target group loses its path, or the service its grace period', () => {
    const withBalancer = (edit: (s: any) => void) => compliantService(edit, () => ({ loadBalancer: {} })).service;
    expect(controlsOf(withBalancer(() => undefined))['PRB-1'].status).toBe(ENFORCED);
    const noPath = withBalancer((s) => (s.node.findAll().find((c: any) => c instanceof elbv2.CfnTargetGroup) as elbv2.CfnTargetGroup).addPropertyDeletionOverride('HealthCheckPath'));
    expectBroken(controlsOf(noPath)['PRB-1'], VIOLATED, /TargetGroup \w+ HealthCheckPath is not set/);
    const noGrace = withBalancer((s) => cfnService(s).addPropertyDeletionOverride('HealthCheckGracePeriodSeconds'));
    expectBroken(controlsOf(noGrace)['PRB-1'], VIOLATED, /HealthCheckGracePeriodSeconds is not set/);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['an essential sidecar without a health check', (t) => t.taskDefinition.ContainerDefinitions.push({ Name: 's', Image: `x@${DIGEST}` }), VIOLATED, /ContainerDefinitions\[1\]\.HealthCheck\.Command is not set/],
    ['a target group outside the template', (t) => { t.service.LoadBalancers = [{ TargetGroupArn: 'arn:aws:elasticloadbalancing:eu-central-1:1:targetgroup/x/1', ContainerName: 'main', ContainerPort: 8080 }]; t.service.HealthCheckGracePeriodSeconds = 600; },
      UNVERIFIED, /target group arn:aws:elasticloadbalancing.* is outside this template/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['PRB-1'], status, evidence);
  });
  const command = (value: unknown): Edit => (t) => { t.taskDefinition.ContainerDefinitions[0].HealthCheck.Command = value; };
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['a shell check that always succeeds (|| exit 0)', command(['CMD-SHELL', 'curl -fsS http://127.0.0.1:8080/v2/health/live || exit 0']), VIOLATED, /always succeeds/],
    ['a shell check that always succeeds (|| true)', command(['CMD-SHELL', 'curl -f http://127.0.0.1:8080/ || true']), VIOLATED, /always succeeds/],
    ['a probe sent to the background', command(['CMD-SHELL', 'curl -f http://127.0.0.1:8080/v2/health/live &']), VIOLATED, /always succeeds/],
    ['an exec-form true', command(['CMD', 'true']), VIOLATED, /always succeeds/],
    ['an exec-form shell that always succeeds', command(['CMD', '/bin/sh', '-c', 'curl -f http://127.0.0.1:8080/ || exit 0']), VIOLATED, /always succeeds/],
    ['a shell exit 0', command(['CMD-SHELL', 'exit 0']), VIOLATED, /always succeeds/],
    ['a command that is not CMD or CMD-SHELL', command(['curl', '-f', 'http://127.0.0.1:8080/']), VIOLATED, /must start with CMD or CMD-SHELL/],
    ['a shell check with an operator the checker does not follow', command(['CMD-SHELL', 'curl -f http://127.0.0.1:8080/ ; echo done']), UNVERIFIED, /does not follow/],
    ['a command behind an intrinsic', command({ 'Fn::Split': [',', { Ref: 'HealthCommand' }] }), UNVERIFIED, /behind an intrinsic/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['PRB-1'], status, evidence);
  });
  test('a shell check that fails with the probe (|| exit 1) is enforced', () => {
    expect(handEdited('service', command(['CMD-SHELL', 'curl -fsS http://127.0.0.1:8080/v2/health/live || exit 1']))['PRB-1'].status).toBe(ENFORCED);
  });
});

describe('MON-1: Container Insights on a cluster of this template', () => {
  const cfnClusterOf = (s: any) => s.node.root.node.findAll().find((c: any) => c instanceof awsecs.CfnCluster) as awsecs.CfnCluster;
  test('fails when an escape hatch disables Container Insights on the shared cluster (service and job)', () => {
    const { service } = compliantService((s) => cfnClusterOf(s).addPropertyOverride('ClusterSettings', [{ Name: 'containerInsights', Value: 'disabled' }]));
    expectBroken(controlsOf(service)['MON-1'], VIOLATED, /containerInsights="disabled"/);
    const { job } = compliantJob((j) => cfnClusterOf(j).addPropertyOverride('ClusterSettings', [{ Name: 'containerInsights', Value: 'disabled' }]));
    expectBroken(controlsOf(job)['MON-1'], VIOLATED, /containerInsights="disabled"/);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['the setting removed (the account default decides)', (t) => { delete t.props('AWS::ECS::Cluster').ClusterSettings; }, UNVERIFIED, /the account setting decides/],
    ['a cluster outside the template', (t) => { t.service.Cluster = 'arn:aws:ecs:eu-central-1:1:cluster/shared'; }, UNVERIFIED, /cluster arn:aws:ecs.* is outside this template/],
    ['no cluster (the default cluster)', (t) => { delete t.service.Cluster; }, UNVERIFIED, /the default cluster is outside this template/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['MON-1'], status, evidence);
  });
});

describe('LOG-1: awslogs with an explicit mode, or FireLens', () => {
  test('fails when an escape hatch removes the mode', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyDeletionOverride('ContainerDefinitions.0.LogConfiguration.Options.mode'));
    expectBroken(controlsOf(service)['LOG-1'], VIOLATED, /LogConfiguration\.LogDriver="awslogs", Options\.mode is not set/);
  });
  test('fails when an Aspect switches every task to syslog', () => {
    const { service } = compliantService((_s, stack) => Aspects.of(stack).add(new EditEveryTaskDefinition((td) => td.addPropertyOverride('ContainerDefinitions.0.LogConfiguration.LogDriver', 'syslog'))));
    expectBroken(controlsOf(service)['LOG-1'], VIOLATED, /LogDriver="syslog"/);
  });
  test.each<[string, Edit]>([
    ['json-file on the node', (t) => { t.main.LogConfiguration.LogDriver = 'json-file'; }],
    ['no log configuration', (t) => { delete t.main.LogConfiguration; }],
    ['a mode ECS does not know', (t) => { t.main.LogConfiguration.Options.mode = 'BLOCKING'; }],
  ])('fails with %s', (_name, edit) => {
    expectBroken(handEdited('service', edit)['LOG-1'], VIOLATED, /ContainerDefinitions\[0\]\.LogConfiguration\.LogDriver/);
  });
});

describe('LOG-2 and LOG-3: log groups of this template kept >= 184 days and encrypted with a rotated key', () => {
  const cfnLogGroupOf = (s: any) => (s.node.findAll().find((c: any) => c instanceof logs.CfnLogGroup) as logs.CfnLogGroup);
  test('compliant: a log group that never expires passes LOG-2 with the GDPR note', () => {
    expect(handEdited('service', (t) => { delete t.props('AWS::Logs::LogGroup').RetentionInDays; })['LOG-2']).toMatchObject({
      status: ENFORCED, evidence: expect.arrayContaining([expect.stringMatching(/RetentionInDays is not set: never expires \(no upper bound/)]),
    });
  });
  test('fail when escape hatches shorten retention, drop the key or stop rotation', () => {
    expectBroken(controlsOf(compliantService((s) => cfnLogGroupOf(s).addPropertyOverride('RetentionInDays', 30)).service)['LOG-2'], VIOLATED, /RetentionInDays=30/);
    expectBroken(controlsOf(compliantService((s) => cfnLogGroupOf(s).addPropertyDeletionOverride('KmsKeyId')).service)['LOG-3'], VIOLATED, /KmsKeyId is not set/);
    const noRotation = compliantService((s) => (s.node.root.node.findAll().find((c: any) => c instanceof kms.CfnKey && c.node.path.includes('CompliantMlLogKey')) as kms.CfnKey)
      .addPropertyOverride('EnableKeyRotation', false)).service;
    expectBroken(controlsOf(noRotation)['LOG-3'], VIOLATED, /EnableKeyRotation=false/);
  });
  const groupOfMain = (t: EditableTemplate) => t.template.Resources![t.main.LogConfiguration.Options['awslogs-group'].Ref].Properties!;
  test.each<[string, string, Edit, ControlStatus, RegExp]>([
    ['LOG-2', 'a retention of 90 days', (t) => { groupOfMain(t).RetentionInDays = 90; }, VIOLATED, /RetentionInDays=90/],
    ['LOG-2', 'a log group named outside the template', (t) => { t.main.LogConfiguration.Options['awslogs-group'] = '/shared/logs'; }, UNVERIFIED, /awslogs-group="\/shared\/logs": a log group outside this template/],
    ['LOG-3', 'a key outside the template', (t) => { groupOfMain(t).KmsKeyId = 'arn:aws:kms:eu-central-1:1:key/k'; }, UNVERIFIED, /KmsKeyId=arn:aws:kms.*: a key outside this template/],
    ['LOG-3', 'a log group named outside the template', (t) => { t.main.LogConfiguration.Options['awslogs-group'] = '/shared/logs'; }, UNVERIFIED, /a log group outside this template/],
    ['LOG-3', 'the stack key without rotation', (t) => { t.props('AWS::KMS::Key').EnableKeyRotation = false; }, VIOLATED, /EnableKeyRotation=false/],
  ])('%s fails with %s', (id, _name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)[id], status, evidence);
  });
});

describe('LOG-4: a declared sink is external (the server writes the records)', () => {
  test('our sink is named, and its removal is named too', () => {
    expect(controlsOf(compliantService().service)['LOG-4']).toMatchObject({ status: EXTERNAL, evidence: expect.arrayContaining([expect.stringMatching(/Environment\[INFERENCE_LOG_GROUP\]=/)]) });
    const removed = handEdited('service', (t) => { t.main.Environment = t.main.Environment.filter((e: { Name: string }) => !e.Name.startsWith('INFERENCE_LOG')); });
    expect(removed['LOG-4']).toMatchObject({ status: EXTERNAL, evidence: [expect.stringMatching(/no inference-record sink declared/)] });
  });
});

describe('REG-1..3: registry settings of repositories in this template', () => {
  test('fails when an escape hatch makes the repository mutable', () => {
    const { service } = compliantService((_s, stack) => (stack.node.findChild('Repo').node.defaultChild as ecr.CfnRepository).addPropertyOverride('ImageTagMutability', 'MUTABLE'));
    expectBroken(controlsOf(service)['REG-1'], VIOLATED, /Repository Repo\w+ ImageTagMutability="MUTABLE"/);
  });
  test.each<[string, string, Edit, ControlStatus, RegExp]>([
    ['REG-1', 'mutability removed (MUTABLE)', (t) => { delete t.props('AWS::ECR::Repository').ImageTagMutability; }, VIOLATED, /ImageTagMutability is not set \(MUTABLE\)/],
    ['REG-1', 'an image from another registry', (t) => { t.main.Image = `ghcr.io/acme/x@${DIGEST}`; }, EXTERNAL, /setting of the image registry/],
    ['REG-2', 'no registry scanning configuration', (t) => { delete t.template.Resources![t.idOf('AWS::ECR::RegistryScanningConfiguration')]; }, EXTERNAL, /vulnerability scanning is a registry\/CI setting/],
    ['REG-2', 'basic scanning', (t) => { t.props('AWS::ECR::RegistryScanningConfiguration').ScanType = 'BASIC'; }, EXTERNAL, /registry\/CI setting/],
    ['REG-3', 'anything', () => undefined, EXTERNAL, /no native signature verification/],
  ])('%s leaves enforced with %s', (id, _name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)[id], status, evidence);
  });
});

/** Rewrites the job's state machine definition: parsed from its flattened text, edited, written back as a literal. */
const editDefinition = (edit: (definition: any, runState: any) => void): Edit => (t) => {
  const machine = t.props('AWS::StepFunctions::StateMachine');
  const definition = JSON.parse(flatten(machine.DefinitionString));
  edit(definition, definition.States.RunTrainingTask);
  machine.DefinitionString = JSON.stringify(definition);
};
const noRunner: Edit = (t) => { delete t.template.Resources![t.idOf('AWS::StepFunctions::StateMachine')]; };

describe('JOB-1..3: bounded retries, a timeout and an execution history that outlives the task', () => {
  test.each<[string, string, Edit, ControlStatus, RegExp]>([
    ['JOB-1', 'no retry', editDefinition((_d, run) => { delete run.Retry; }), VIOLATED, /States\.RunTrainingTask\.Resource="arn:.*runTask\.sync", Retry is not set/],
    ['JOB-1', 'twenty attempts', editDefinition((_d, run) => { run.Retry[0].MaxAttempts = 20; }), VIOLATED, /"MaxAttempts":20/],
    ['JOB-1', 'zero attempts', editDefinition((_d, run) => { run.Retry[0].MaxAttempts = 0; }), VIOLATED, /"MaxAttempts":0/],
    ['JOB-1', 'a fire-and-forget runTask', editDefinition((_d, run) => { run.Resource = run.Resource.replace('.sync', ''); }), VIOLATED, /runTask"/],
    ['JOB-1', 'no state machine', noRunner, VIOLATED, /no Step Functions ecs:runTask state/],
    ['JOB-2', 'no timeout anywhere', editDefinition((d, run) => { delete run.TimeoutSeconds; delete d.TimeoutSeconds; }), VIOLATED, /TimeoutSeconds is not set/],
    ['JOB-2', 'a zero timeout', editDefinition((d, run) => { run.TimeoutSeconds = 0; delete d.TimeoutSeconds; }), VIOLATED, /TimeoutSeconds=0/],
    ['JOB-2', 'a fire-and-forget runTask', editDefinition((_d, run) => { run.Resource = run.Resource.replace('.sync', ''); }), VIOLATED, /TimeoutSeconds=/],
    ['JOB-2', 'no state machine', noRunner, VIOLATED, /no Step Functions ecs:runTask state/],
    ['JOB-3', 'errors-only execution logging', (t) => { t.props('AWS::StepFunctions::StateMachine').LoggingConfiguration.Level = 'ERROR'; }, VIOLATED, /LoggingConfiguration\.Level="ERROR"/],
    ['JOB-3', 'no execution logging', (t) => { delete t.props('AWS::StepFunctions::StateMachine').LoggingConfiguration; }, VIOLATED, /LoggingConfiguration\.Level is not set, no log group of this template/],
    ['JOB-3', 'a 30-day execution log', (t) => {
      const group = t.props('AWS::StepFunctions::StateMachine').LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
      t.template.Resources![group].Properties!.RetentionInDays = 30;
    }, VIOLATED, /RetentionInDays=30/],
    ['JOB-3', 'no state machine', noRunner, NOT_APPLICABLE, /task metadata expires/],
    ['NET-1', 'no state machine', noRunner, UNVERIFIED, /network settings are given by whoever runs the task/],
    ['NET-1', 'a public IP for the run', editDefinition((_d, run) => { run.Parameters.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp = 'ENABLED'; }), VIOLATED, /AssignPublicIp="ENABLED"/],
    ['MON-1', 'no state machine', noRunner, UNVERIFIED, /the cluster is chosen by whoever runs the task/],
  ])('%s fails with %s', (id, _name, edit, status, evidence) => {
    expectBroken(handEdited('job', edit)[id], status, evidence);
  });
});

describe('LOG-2: a retention from a parameter', () => {
  test('is unverified, and a numeric string is read as CloudFormation reads it', () => {
    const groupOf = (t: EditableTemplate) => t.template.Resources![t.main.LogConfiguration.Options['awslogs-group'].Ref].Properties!;
    expectBroken(handEdited('service', (t) => { groupOf(t).RetentionInDays = { Ref: 'Days' }; })['LOG-2'], UNVERIFIED, /RetentionInDays=\$\{Days\}/);
    expectBroken(handEdited('service', (t) => { groupOf(t).RetentionInDays = '30'; })['LOG-2'], VIOLATED, /RetentionInDays="30"/);
  });
});
