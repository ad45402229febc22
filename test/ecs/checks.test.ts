import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ControlResult, ControlStatus } from '../../src/compliance';
import { templateWorkloads, throwTemplateProblem } from '../../src/ecs/checks/evaluate';
import { TemplateView, flatten } from '../../src/ecs/checks/template';

/** A foreign Fargate service written without any of the library's defaults, plus an EC2 task with host settings. */
function foreignApp() {
  const app = new App();
  const stack = new Stack(app, 'Legacy');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'pub', subnetType: ec2.SubnetType.PUBLIC }] });
  const cluster = new awsecs.Cluster(stack, 'Cluster', { vpc });
  const role = new iam.Role(stack, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  const td = new awsecs.FargateTaskDefinition(stack, 'Web', { cpu: 256, memoryLimitMiB: 512, taskRole: role });
  const repo = new ecr.Repository(stack, 'Repo');
  td.addContainer('app', {
    image: awsecs.ContainerImage.fromEcrRepository(repo, 'latest'),
    environment: { DB_PASSWORD: 'hunter2' },
    logging: awsecs.LogDrivers.awsLogs({ streamPrefix: 'web', logGroup: new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }) }),
  });
  const sg = new ec2.SecurityGroup(stack, 'Open', { vpc });
  sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80));
  new awsecs.FargateService(stack, 'WebService', {
    cluster,
    taskDefinition: td,
    desiredCount: 1,
    assignPublicIp: true,
    securityGroups: [sg],
    minHealthyPercent: 50,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
  });
  const ec2td = new awsecs.Ec2TaskDefinition(stack, 'Batch', { networkMode: awsecs.NetworkMode.BRIDGE });
  ec2td.addVolume({ name: 'host', host: { sourcePath: '/var/run' } });
  ec2td.addContainer('worker', {
    image: awsecs.ContainerImage.fromRegistry('busybox'),
    memoryLimitMiB: 256,
    privileged: true,
    user: 'root',
    portMappings: [{ containerPort: 80, hostPort: 8080 }],
  });
  return { app, stack };
}

function evaluate(): Map<string, Record<string, ControlResult>> {
  const { app, stack } = foreignApp();
  const tv = new TemplateView(app.synth().getStackArtifact(stack.artifactId).template);
  const workloads = templateWorkloads(tv, new Set(), (id) => id, throwTemplateProblem);
  return new Map(workloads.map((w) => [w.kind, Object.fromEntries(w.controls.map((c) => [c.id, c]))]));
}

describe('the ECS checker on foreign workloads', () => {
  const byKind = evaluate();
  const service = byKind.get('Service')!;
  const task = byKind.get('TaskDefinition')!;

  test('META-2 does not apply to a task that declares no model server or training job; a declared one without model labels violates it', () => {
    expect(service['META-2']).toMatchObject({ status: ControlStatus.NOT_APPLICABLE, evidence: [expect.stringMatching(/declares no model server/)] });
    const tv = new TemplateView({
      Resources: {
        Task: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: {
            RequiresCompatibilities: ['FARGATE'],
            Tags: [{ Key: 'app.kubernetes.io/component', Value: 'model-server' }],
            ContainerDefinitions: [{ Name: 'server', Image: 'nginx:1.27' }],
          },
        },
      },
    });
    const [declared] = templateWorkloads(tv, new Set(), (id) => id, throwTemplateProblem);
    expect(declared.controls.find((c) => c.id === 'META-2')).toMatchObject({
      status: ControlStatus.VIOLATED, evidence: [expect.stringMatching(/DockerLabels\["model\.\*\/name"\] is not set/)],
    });
  });

  test('SEC-8: no task role is enforced only on Fargate; on EC2 the instance role is reachable, so it is unverified', () => {
    const template = (compat: string[]) => new TemplateView({
      Resources: { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { RequiresCompatibilities: compat, ContainerDefinitions: [{ Name: 'a', Image: 'x:1' }] } } },
    });
    const sec8 = (compat: string[]) => templateWorkloads(template(compat), new Set(), (id) => id, throwTemplateProblem)[0].controls.find((c) => c.id === 'SEC-8');
    expect(sec8(['FARGATE'])).toMatchObject({ status: ControlStatus.ENFORCED });
    expect(sec8(['EC2'])).toMatchObject({ status: ControlStatus.UNVERIFIED, evidence: [expect.stringMatching(/instance metadata service/)] });
  });

  test('a service and a bare task definition are found', () => {
    expect([...byKind.keys()].sort()).toEqual(['Service', 'TaskDefinition']);
  });

  test.each<[string, string, RegExp]>([
    ['IMG-1', 'service', /ContainerDefinitions\[0\]\.Image=\$\{Fn::Select\}.*:latest$/],
    ['IMG-2', 'service', /:latest$/],
    ['META-1', 'service', /Tags\["app.kubernetes.io\/name"\] is not set/],
    ['SEC-1', 'service', /ContainerDefinitions\[0\]\.User is not set/],
    ['SEC-3', 'service', /LinuxParameters\.Capabilities is not set/],
    ['SEC-5', 'service', /ReadonlyRootFilesystem is not set/],
    ['SEC-8', 'service', /Statement\[0\] Action s3:\* allows every action of s3/],
    ['SEC-9', 'service', /Environment\[DB_PASSWORD\] holds a plaintext secret: its name denotes a secret/],
    ['LOG-1', 'service', /LogConfiguration\.LogDriver="awslogs", Options\.mode is not set/],
    ['LOG-2', 'service', /RetentionInDays=30/],
    ['LOG-3', 'service', /KmsKeyId is not set/],
    ['REG-1', 'service', /ImageTagMutability is not set \(MUTABLE\)/],
    ['AVL-1', 'service', /DesiredCount=1/],
    ['AVL-2', 'service', /MinimumHealthyPercent=50/],
    ['AVL-3', 'service', /AvailabilityZoneRebalancing is not set/],
    ['AVL-4', 'service', /DeploymentConfiguration\.MinimumHealthyPercent=50/],
    ['NET-1', 'service', /AssignPublicIp="ENABLED"|ingress from 0\.0\.0\.0\/0 port 80/],
    ['PRB-1', 'service', /HealthCheck\.Command is not set/],
    ['SEC-1', 'task', /User="root"/],
    ['SEC-2', 'task', /DockerSecurityOptions is not set/],
    ['SEC-6', 'task', /Privileged=true/],
    ['SEC-7', 'task', /NetworkMode="bridge"/],
    ['SEC-7', 'task', /Volumes\[0\]\(host\)\.Host\.SourcePath="\/var\/run"/],
    ['JOB-1', 'task', /no Step Functions ecs:runTask state/],
    ['JOB-2', 'task', /no Step Functions ecs:runTask state/],
    ['RES-1', 'task', /ContainerDefinitions\[0\]\.Cpu is not set/],
  ])('%s is violated on the %s with the offending field as evidence', (id, which, evidence) => {
    const c = (which === 'service' ? service : task)[id];
    expect(c.status).toBe(ControlStatus.VIOLATED);
    expect(c.evidence.join('\n')).toMatch(evidence);
  });

  test('MON-1 is unverified when the cluster leaves Container Insights to the account setting', () => {
    // was violated: without ClusterSettings the account default decides, which the template does not show
    expect(service['MON-1']).toMatchObject({ status: ControlStatus.UNVERIFIED, evidence: [expect.stringMatching(/ClusterSettings has no containerInsights: the account setting decides/)] });
  });

  test('Fargate-managed controls are not claimed as enforced or violated', () => {
    expect(service['SEC-2'].status).toBe(ControlStatus.RUNTIME_MANAGED);
    expect(service['SEC-4'].status).toBe(ControlStatus.RUNTIME_MANAGED);
    expect(service['IMG-3'].status).toBe(ControlStatus.RUNTIME_MANAGED);
    expect(task['IMG-3'].status).toBe(ControlStatus.EXTERNAL);
  });
});

describe('template flattening', () => {
  test('keeps literal parts and shows intrinsics as placeholders', () => {
    expect(flatten({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Repo', 'Arn'] }, '@sha256:abc']] })).toBe('${Repo.Arn}@sha256:abc');
    expect(flatten({ Ref: 'AWS::Region' })).toBe('${AWS::Region}');
    expect(flatten({ 'Fn::Select': [0, ['a']] })).toBe('${Fn::Select}');
    expect(flatten(undefined)).toBe('');
    expect(flatten(['a', 1])).toBe('a,1');
  });
});

describe('templates written by hand', () => {
  test('subnets and security groups given as intrinsics are reported as not visible instead of crashing', () => {
    const tv = new TemplateView({
      Resources: {
        Task: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: { RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', Cpu: '256', Memory: '512', ContainerDefinitions: [{ Name: 'a', Image: 'x:1' }] },
        },
        Svc: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: { Ref: 'Task' },
            DesiredCount: 2,
            AvailabilityZoneRebalancing: 'ENABLED',
            NetworkConfiguration: { AwsvpcConfiguration: { Subnets: { 'Fn::Split': [',', { 'Fn::ImportValue': 'subnets' }] }, SecurityGroups: { 'Fn::ImportValue': 'sg' } } },
          },
        },
      },
    });
    const [w] = templateWorkloads(tv, new Set(), (id) => id, throwTemplateProblem);
    const byId = Object.fromEntries(w.controls.map((c) => [c.id, c]));
    // AVL-3 was violated here: imported subnets prove nothing either way, so the verdict is unverified
    expect(byId['AVL-3']).toMatchObject({ status: ControlStatus.UNVERIFIED, evidence: expect.arrayContaining([expect.stringMatching(/Subnets=\$\{Fn::Split\}"?: the zones are not visible/)]) });
    expect(byId['NET-1']).toMatchObject({ status: ControlStatus.UNVERIFIED, evidence: [expect.stringMatching(/SecurityGroups=\$\{Fn::ImportValue\} is not visible in the template/)] });
  });
});
