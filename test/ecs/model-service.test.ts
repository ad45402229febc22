import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ControlCatalogue, ControlScope, ControlStatus } from '../../src/compliance';
import { ImageReference, Waiver } from '../../src/core';
import * as ecs from '../../src/ecs';
import { nagErrors } from '../support/nag';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const IMAGE = `ghcr.io/acme/fraud-scorer:1.4.2@${DIGEST}`;
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const ENV = { account: '123456789012', region: 'eu-central-1' };

function build(props: Partial<ecs.CompliantModelServiceProps> = {}, env?: typeof ENV) {
  const app = new App();
  const stack = new Stack(app, 'Serving', { env });
  const svc = new ecs.CompliantModelService(stack, 'Scorer', { image: ImageReference.fromString(IMAGE), model: MODEL, ...props });
  return { app, stack, svc, template: Template.fromStack(stack) };
}

const waiver = (control: string): Waiver => ({ control, reason: `test: ${control} relaxed on purpose` });

describe('ecs.CompliantModelService defaults', () => {
  const { app, svc, template } = build();

  test('the container is non-root, read-only, drops every capability and runs an init process (SEC-1, SEC-3, SEC-5, SEC-6)', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '1024',
      Memory: '4096',
      ContainerDefinitions: [Match.objectLike({
        Name: 'main',
        Image: IMAGE,
        User: '10001:10001',
        ReadonlyRootFilesystem: true,
        Privileged: false,
        LinuxParameters: { Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true },
        MountPoints: [
          { ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'tmp' },
          { ContainerPath: '/models', ReadOnly: false, SourceVolume: 'model-cache' },
        ],
        PortMappings: [Match.objectLike({ ContainerPort: 8080 })],
      })],
      Volumes: [{ Name: 'tmp' }, { Name: 'model-cache' }],
    });
  });

  test('the health check probes the OIP liveness path and its budget covers the model load time (PRB-1)', () => {
    const td = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
    const hc = td.Properties.ContainerDefinitions[0].HealthCheck;
    expect(hc.Command).toEqual(['CMD', 'curl', '-fsS', '--max-time', '4', 'http://127.0.0.1:8080/v2/health/live']);
    expect(hc.StartPeriod).toBe(300);
    expect(hc.StartPeriod + hc.Interval * hc.Retries).toBeGreaterThanOrEqual(600);
    expect(hc.Timeout).toBeLessThan(hc.Interval);
  });

  test('docker labels carry the model and image provenance (META-2)', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        DockerLabels: Match.objectLike({
          'model.compliance.cdk-compliant-ml.io/name': 'fraud-scorer',
          'model.compliance.cdk-compliant-ml.io/version': '1.4.2',
          'compliance.cdk-compliant-ml.io/image-digest': DIGEST,
        }),
      })],
    });
  });

  test('logs go through blocking awslogs into a KMS-encrypted log group kept 365 days (LOG-1..3)', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'mode': 'blocking', 'awslogs-stream-prefix': 'main' }) },
      })],
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }) });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('two tasks, 100% minimum healthy, circuit breaker with rollback, AZ rebalancing, no public IP (AVL-1..4, NET-1)', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 2,
      LaunchType: 'FARGATE',
      AvailabilityZoneRebalancing: 'ENABLED',
      DeploymentConfiguration: Match.objectLike({
        MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      PropagateTags: 'TASK_DEFINITION',
    });
  });

  test('the task security group has no ingress and only HTTPS egress (NET-1)', () => {
    const sgs = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Tasks of') } });
    const [sg] = Object.values(sgs);
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    expect(sg.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })]);
  });

  test('the shared VPC spans two zones with a NAT gateway in each and flow logs, and the cluster has Container Insights (AVL-3, MON-1)', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 4);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  test('the recommended keys are tags of the task definition and the service (META-1)', () => {
    for (const type of ['AWS::ECS::TaskDefinition', 'AWS::ECS::Service']) {
      template.hasResourceProperties(type, {
        Tags: Match.arrayWith([
          { Key: 'app.kubernetes.io/component', Value: 'model-server' },
          { Key: 'app.kubernetes.io/managed-by', Value: 'cdk-compliant-ml' },
          { Key: 'app.kubernetes.io/name', Value: 'fraud-scorer' },
          { Key: 'app.kubernetes.io/version', Value: '1.4.2' },
        ]),
      });
    }
  });

  test('the task role has only the inference-log write grant (SEC-8)', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('ScorerTaskRole'));
    expect(policies).toHaveLength(1);
    const actions = policies[0].Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  test('cdk-nag AwsSolutions reports no unacknowledged error', () => {
    expect(nagErrors(app)).toEqual([]);
  });

  test('the report entry covers every service control with evidence and no violation', () => {
    const entry = svc.complianceEntry();
    const ids = entry.controls.map((c) => c.id).sort();
    expect(ids).toEqual(ControlCatalogue.forScope(ControlScope.SERVICE).map((c) => c.id).sort());
    expect(entry.controls.filter((c) => c.status === ControlStatus.VIOLATED)).toEqual([]);
    const status = Object.fromEntries(entry.controls.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({
      'IMG-1': 'enforced',
      'IMG-3': 'runtime-managed',
      'SEC-1': 'enforced',
      'SEC-2': 'runtime-managed',
      'SEC-4': 'runtime-managed',
      'AVL-1': 'enforced',
      'AVL-2': 'equivalent',
      'AVL-3': 'enforced',
      'AVL-4': 'enforced',
      'LOG-2': 'enforced',
      'LOG-3': 'enforced',
      'MON-1': 'enforced',
      'PRB-1': 'enforced',
      'NET-1': 'enforced',
      // CONTROLS.md §3b: a declared sink is external, the server must write the records
      'LOG-4': 'external',
    });
    expect(entry.controls.every((c) => c.evidence.length > 0)).toBe(true);
  });

  test('acknowledged cdk-nag rules appear in the report with their reasons', () => {
    const rules = (svc.complianceEntry().acknowledgedRules ?? []).map((r) => r.rule);
    expect(rules).toContain('AwsSolutions-ECS2');
    for (const r of svc.complianceEntry().acknowledgedRules ?? []) {
      expect(r.reason.length).toBeGreaterThan(30);
    }
  });

  test('the defaults template', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('ecs.CompliantModelService options', () => {
  test('an internal load balancer checks readiness, logs access and waits the model load time', () => {
    const { app, template } = build({ loadBalancer: {}, modelLoadTimeout: Duration.minutes(15) }, ENV);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }, { Key: 'access_logs.s3.enabled', Value: 'true' }]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/v2/health/ready', Port: 8080 });
    template.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 900 });
    template.hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] } });
    const td = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
    const hc = td.Properties.ContainerDefinitions[0].HealthCheck;
    expect(hc.StartPeriod + hc.Interval * hc.Retries).toBeGreaterThanOrEqual(900);
    expect(nagErrors(app)).toEqual([]);
  });

  test('autoscaling keeps at least two tasks (AVL-1)', () => {
    const { template, svc } = build({ autoscaling: { maxCapacity: 8 } });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 8 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 70 }),
    });
    expect(svc.complianceEntry().controls.find((c) => c.id === 'AVL-1')!.evidence.join()).toMatch(/MinCapacity=2/);
  });

  test('an ECR repository with a digest: token name, pull rights on that repository only', () => {
    const app = new App();
    const stack = new Stack(app, 'Serving');
    const repo = new ecr.Repository(stack, 'Repo', { imageTagMutability: ecr.TagMutability.IMMUTABLE });
    const svc = new ecs.CompliantModelService(stack, 'Scorer', {
      image: ImageReference.fromNameAndDigest(repo.repositoryUri, DIGEST), repository: repo, model: MODEL,
    });
    const template = Template.fromStack(stack);
    const td = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
    expect(JSON.stringify(td.Properties.ContainerDefinitions[0].Image)).toContain(`@${DIGEST}`);
    const status = Object.fromEntries(svc.complianceEntry().controls.map((c) => [c.id, c.status]));
    expect(status['IMG-1']).toBe('enforced');
    expect(status['REG-1']).toBe('enforced');
    expect(nagErrors(app)).toEqual([]);
  });

  test('GPU tasks run on an EC2 capacity provider with spread placement and no-new-privileges', () => {
    const app = new App();
    const stack = new Stack(app, 'Serving');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const cluster = new awsecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: awsecs.ContainerInsights.ENHANCED });
    const gpu = new awsecs.AsgCapacityProvider(stack, 'Gpu', {
      capacityProviderName: 'gpu-capacity',
      autoScalingGroup: new autoscaling.AutoScalingGroup(stack, 'GpuNodes', {
        vpc,
        instanceType: new ec2.InstanceType('g5.xlarge'),
        machineImage: awsecs.EcsOptimizedImage.amazonLinux2(awsecs.AmiHardwareType.GPU),
        minCapacity: 2,
        maxCapacity: 4,
      }),
    });
    cluster.addAsgCapacityProvider(gpu);
    const svc = new ecs.CompliantModelService(stack, 'Llm', {
      image: ImageReference.fromString(IMAGE),
      model: MODEL,
      cluster,
      gpuCount: 1,
      capacityProviderStrategies: [{ capacityProvider: gpu.capacityProviderName, weight: 1 }],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['EC2'],
      ContainerDefinitions: [Match.objectLike({
        ResourceRequirements: [{ Type: 'GPU', Value: '1' }], DockerSecurityOptions: ['no-new-privileges'], Memory: 4096, Cpu: 1024,
      })],
    });
    template.hasResourceProperties('AWS::ECS::Service', {
      PlacementStrategies: [{ Field: 'attribute:ecs.availability-zone', Type: 'spread' }, { Field: 'instanceId', Type: 'spread' }],
      CapacityProviderStrategy: [{ CapacityProvider: { Ref: Match.stringLikeRegexp('Gpu') }, Weight: 1 }],
    });
    const status = Object.fromEntries(svc.complianceEntry().controls.map((c) => [c.id, c.status]));
    expect(status['SEC-2']).toBe('enforced');
    expect(status['MON-1']).toBe('enforced');
    expect(nagErrors(svc).filter((e) => e.includes('/Llm/'))).toEqual([]);
  });

  test('GPU tasks need EC2 capacity on the cluster, not just a provider name', () => {
    const app = new App();
    const stack = new Stack(app, 'Serving');
    const cluster = new awsecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc') });
    expect(() => new ecs.CompliantModelService(stack, 'Llm', {
      image: ImageReference.fromString(IMAGE), model: MODEL, cluster, gpuCount: 1, capacityProviderStrategies: [{ capacityProvider: 'gpu', weight: 1 }],
    })).toThrow(/Serving\/Llm: invalid cluster .*has no EC2 capacity.*addAsgCapacityProvider/);
  });

  test('secrets come from Secrets Manager, never the plain environment (SEC-9)', () => {
    const app = new App();
    const stack = new Stack(app, 'Serving');
    const secret = new secretsmanager.Secret(stack, 'ApiKey');
    new ecs.CompliantModelService(stack, 'Scorer', {
      image: ImageReference.fromString(IMAGE),
      model: MODEL,
      secrets: { API_TOKEN: awsecs.Secret.fromSecretsManager(secret) },
      environment: { LOG_LEVEL: 'info' },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Secrets: [{ Name: 'API_TOKEN', ValueFrom: { Ref: Match.stringLikeRegexp('ApiKey') } }],
        Environment: Match.arrayWith([{ Name: 'LOG_LEVEL', Value: 'info' }]),
      })],
    });
  });

  test('FireLens routes the application logs through a pinned Fluent Bit router (with the SEC-1 waiver it needs)', () => {
    const { svc, template } = build({
      logging: ecs.EcsLogging.fireLens({ outputOptions: { Name: 'kinesis_firehose', region: 'eu-central-1', delivery_stream: 'ml' } }),
      waivers: [waiver('SEC-1')],
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({ Name: 'main', LogConfiguration: { LogDriver: 'awsfirelens', Options: Match.objectLike({ Name: 'kinesis_firehose' }) } }),
        Match.objectLike({ Name: 'log-router', Image: ecs.AWS_FOR_FLUENT_BIT_IMAGE, FirelensConfiguration: { Type: 'fluentbit' } }),
      ]),
    });
    const status = Object.fromEntries(svc.complianceEntry().controls.map((c) => [c.id, c.status]));
    expect(status['LOG-1']).toBe('enforced');
    expect(status['LOG-2']).toBe('external');
    expect(status['SEC-1']).toBe('waived');
  });

  test('a waived replica count is reported as waived with its reason (AVL-1)', () => {
    const { svc, template } = build({ replicas: 1, waivers: [waiver('AVL-1')] });
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 1 });
    const avl1 = svc.complianceEntry().controls.find((c) => c.id === 'AVL-1')!;
    expect(avl1.status).toBe(ControlStatus.WAIVED);
    expect(avl1.waiver!.reason).toBe('test: AVL-1 relaxed on purpose');
  });
});

describe('ecs.CompliantModelService rejects bad input with the prop, the value and the fix', () => {
  test.each<[string, Partial<ecs.CompliantModelServiceProps>, RegExp]>([
    ['one replica', { replicas: 1 }, /Serving\/Scorer: invalid replicas 1: runs fewer than 2 tasks.*AVL-1.*add a waiver/],
    ['port 0', { port: 0 }, /invalid port 0: must be an integer in 1\.\.65535/],
    ['port 70000', { port: 70000 }, /invalid port 70000/],
    ['root user', { user: '0:0' }, /invalid user "0:0": must be a numeric uid:gid with both IDs in 10000..2147483647/],
    ['a user name', { user: 'root' }, /invalid user "root"/],
    ['a low uid', { user: '1000:10001' }, /invalid user "1000:10001"/],
    ['short retention', { logging: ecs.EcsLogging.awsLogs({ retention: logs.RetentionDays.ONE_MONTH }) }, /invalid logging.retention 30: keeps logs less than six months.*LOG-2/],
    ['GPU on Fargate', { gpuCount: 1 }, /invalid gpuCount 1: needs EC2 GPU capacity: Fargate has no GPUs and the cluster the construct creates is Fargate-only/],
    ['a bad Fargate pair', { cpu: 1024, memoryLimitMiB: 1024 }, /invalid memoryLimitMiB 1024: is not valid with cpu 1024 on Fargate; use one of 2048/],
    ['too much ephemeral storage', { ephemeralStorageGiB: 300 }, /invalid ephemeralStorageGiB 300: must be an integer in 21\.\.200/],
    ['a secret in the environment', { environment: { DB_PASSWORD: 'hunter2' } }, /invalid environment.DB_PASSWORD "\(value hidden\)".*SEC-9.*secrets:/],
    ['a reserved variable', { environment: { MODEL_NAME: 'x' } }, /invalid environment.MODEL_NAME "MODEL_NAME": is set by the construct/],
    ['a writable root', { readonlyRootFilesystem: false }, /invalid readonlyRootFilesystem false.*SEC-5/],
    ['FireLens without a waiver', { logging: ecs.EcsLogging.fireLens({ outputOptions: { Name: 'stdout' } }) }, /invalid logging.*runs? as root.*SEC-1|FireLens router to run as root/],
    ['a bad health check', { healthCheckCommand: ['curl', 'x'] }, /invalid healthCheckCommand.*must start with CMD or CMD-SHELL/],
    ['a model load longer than ECS can wait', { modelLoadTimeout: Duration.hours(2) }, /invalid modelLoadTimeout "7200s": must be a positive whole number of seconds, at most 3300s/],
    ['autoscaling below two', { autoscaling: { minCapacity: 1, maxCapacity: 3 } }, /invalid autoscaling.minCapacity 1/],
    ['a relative readiness path', { readinessPath: 'ready' }, /invalid readinessPath "ready": is not an absolute URL path/],
    ['an expired waiver', { waivers: [{ control: 'AVL-1', reason: 'r', expires: '2020-01-01' }] }, /AVL-1.*expired|2020-01-01/],
  ])('%s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('a load balancer in an environment-agnostic stack', () => {
    expect(() => build({ loadBalancer: {} })).toThrow(/invalid loadBalancer "an environment-agnostic stack": needs the stack's region.*env: \{ account, region \}/);
  });

  test('an empty capacity provider list', () => {
    expect(() => build({ capacityProviderStrategies: [] })).toThrow(/invalid capacityProviderStrategies \[\]: is empty/);
  });
});
