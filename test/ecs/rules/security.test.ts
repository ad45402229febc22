import { Aspects, Stack } from 'aws-cdk-lib';
import { DIGEST, EditableTemplate, EditEveryTaskDefinition, MODEL, cfnTaskDefinition, compliantService, controlsOf, expectBroken, handEdited } from './support';
import { ControlStatus } from '../../../src/compliance';
import { ImageReference } from '../../../src/core';
import * as ecs from '../../../src/ecs';

const { VIOLATED, UNVERIFIED, EXTERNAL, ENFORCED } = ControlStatus;
type Edit = (t: EditableTemplate) => void;

/** Runs the service's tasks on EC2 (the task definition allows both, the service names EC2). */
const onEc2: Edit = (t) => { t.taskDefinition.RequiresCompatibilities = ['EC2', 'FARGATE']; t.service.LaunchType = 'EC2'; };

describe('SEC-1: uid:gid, both numeric and >= 10000', () => {
  test('fails when an escape hatch sets a UID without a GID (ECS runs it with group 0)', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyOverride('ContainerDefinitions.0.User', '10001'));
    expectBroken(controlsOf(service)['SEC-1'], VIOLATED, /ContainerDefinitions\[0\]\.User="10001"/);
  });
  test('fails when an Aspect makes every task run as root', () => {
    const { service } = compliantService((_s, stack) => Aspects.of(stack).add(new EditEveryTaskDefinition((td) => td.addPropertyOverride('ContainerDefinitions.0.User', '0:0'))));
    expectBroken(controlsOf(service)['SEC-1'], VIOLATED, /User="0:0"/);
  });
  test.each<[string, unknown, ControlStatus, RegExp]>([
    ['the user is removed (the image default)', undefined, VIOLATED, /User is not set/],
    ['the group is 0', '10001:0', VIOLATED, /User="10001:0"/],
    ['the user is root by name', 'root:10001', VIOLATED, /User="root:10001"/],
    ['the user is a name the image defines', 'app', UNVERIFIED, /User="app" \(not visible/],
    ['the user is a parameter', { Ref: 'User' }, UNVERIFIED, /User=\$\{User\}/],
  ])('fails when %s', (_name, user, status, evidence) => {
    expectBroken(handEdited('service', (t) => { t.main.User = user; })['SEC-1'], status, evidence);
  });
});

describe('SEC-2: no-new-privileges, runtime-managed only where the tasks really run on Fargate', () => {
  test('compliant: an EC2 task with no-new-privileges', () => {
    expect(handEdited('service', (t) => { onEc2(t); t.main.DockerSecurityOptions = ['no-new-privileges']; })['SEC-2'].status).toBe(ENFORCED);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['the service runs the task with the EC2 launch type', onEc2, VIOLATED, /DockerSecurityOptions is not set/],
    ['the task definition is EC2-only', (t) => { t.taskDefinition.RequiresCompatibilities = ['EC2']; }, VIOLATED, /DockerSecurityOptions is not set/],
    ['an EC2 capacity provider of the template runs it', (t) => {
      t.taskDefinition.RequiresCompatibilities = ['EC2', 'FARGATE']; delete t.service.LaunchType;
      t.add('Gpu', { Type: 'AWS::ECS::CapacityProvider', Properties: { AutoScalingGroupProvider: { AutoScalingGroupArn: 'arn' } } });
      t.service.CapacityProviderStrategy = [{ CapacityProvider: { Ref: 'Gpu' }, Weight: 1 }];
    }, VIOLATED, /DockerSecurityOptions is not set/],
    ['the cluster default strategy decides the launch type', (t) => { t.taskDefinition.RequiresCompatibilities = ['EC2', 'FARGATE']; delete t.service.LaunchType; },
      UNVERIFIED, /DockerSecurityOptions is not set \(not visible/],
    ['the options are an intrinsic on EC2', (t) => { onEc2(t); t.main.DockerSecurityOptions = { Ref: 'Options' }; }, UNVERIFIED, /DockerSecurityOptions=\$\{Options\}/],
  ])('fails when %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['SEC-2'], status, evidence);
  });
});

describe('SEC-3: drop ALL, add nothing but NET_BIND_SERVICE', () => {
  test('compliant: NET_BIND_SERVICE added back', () => {
    expect(handEdited('service', (t) => { t.main.LinuxParameters.Capabilities.Add = ['NET_BIND_SERVICE']; })['SEC-3'].status).toBe(ENFORCED);
  });
  test('fails when an escape hatch adds SYS_PTRACE', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyOverride('ContainerDefinitions.0.LinuxParameters.Capabilities.Add', ['SYS_PTRACE']));
    expectBroken(controlsOf(service)['SEC-3'], VIOLATED, /Capabilities=\{"Add":\["SYS_PTRACE"\]/);
  });
  test('fails when an Aspect removes the Linux parameters', () => {
    const { service } = compliantService((_s, stack) => Aspects.of(stack).add(new EditEveryTaskDefinition((td) => td.addPropertyDeletionOverride('ContainerDefinitions.0.LinuxParameters'))));
    expectBroken(controlsOf(service)['SEC-3'], VIOLATED, /LinuxParameters\.Capabilities is not set/);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['only NET_RAW is dropped', (t) => { t.main.LinuxParameters.Capabilities.Drop = ['NET_RAW']; }, VIOLATED, /"Drop":\["NET_RAW"\]/],
    ['the capabilities are an intrinsic', (t) => { t.main.LinuxParameters.Capabilities = { 'Fn::If': ['C', {}, {}] }; }, UNVERIFIED, /Capabilities=\$\{Fn::If\}/],
    ['a sidecar keeps its capabilities', (t) => t.taskDefinition.ContainerDefinitions.push({ Name: 's', Image: `x@${DIGEST}` }), VIOLATED, /ContainerDefinitions\[1\]\.LinuxParameters\.Capabilities is not set/],
  ])('fails when %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['SEC-3'], status, evidence);
  });
});

describe('SEC-4: seccomp never unconfined; the default profile is the platform\'s', () => {
  test('fails when an escape hatch disables seccomp on Fargate', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyOverride('ContainerDefinitions.0.DockerSecurityOptions', ['seccomp:unconfined']));
    expectBroken(controlsOf(service)['SEC-4'], VIOLATED, /DockerSecurityOptions=\["seccomp:unconfined"\]/);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['a hand edit writes seccomp=unconfined', (t) => { t.main.DockerSecurityOptions = ['seccomp=unconfined']; }, VIOLATED, /seccomp=unconfined/],
    ['the option is upper case', (t) => { t.main.DockerSecurityOptions = ['SECCOMP=UNCONFINED']; }, VIOLATED, /SECCOMP=UNCONFINED/],
    ['the options are an intrinsic', (t) => { t.main.DockerSecurityOptions = { Ref: 'Opts' }; }, UNVERIFIED, /DockerSecurityOptions=\$\{Opts\}/],
    ['the tasks run on EC2 (the daemon profile applies)', onEc2, EXTERNAL, /Docker daemon of the container instances/],
  ])('leaves runtime-managed when %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['SEC-4'], status, evidence);
  });
});

describe('SEC-5: read-only root filesystem, read the way CloudFormation reads booleans', () => {
  test('compliant: the string "true"', () => {
    expect(handEdited('service', (t) => { t.main.ReadonlyRootFilesystem = 'true'; })['SEC-5'].status).toBe(ENFORCED);
  });
  test('fails when an escape hatch makes the root writable', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyOverride('ContainerDefinitions.0.ReadonlyRootFilesystem', false));
    expectBroken(controlsOf(service)['SEC-5'], VIOLATED, /ReadonlyRootFilesystem=false/);
  });
  test.each<[string, unknown, ControlStatus, RegExp]>([
    ['the string "false"', 'false', VIOLATED, /ReadonlyRootFilesystem="false"/],
    ['the field removed', undefined, VIOLATED, /ReadonlyRootFilesystem is not set/],
    ['an Fn::If', { 'Fn::If': ['Debug', false, true] }, UNVERIFIED, /ReadonlyRootFilesystem=\$\{Fn::If\}/],
    ['a number', 0, UNVERIFIED, /ReadonlyRootFilesystem=0/],
  ])('fails with %s', (_name, value, status, evidence) => {
    expectBroken(handEdited('service', (t) => { t.main.ReadonlyRootFilesystem = value; })['SEC-5'], status, evidence);
  });
});

describe('SEC-6: never privileged, read the way CloudFormation reads booleans', () => {
  test('fails when an escape hatch sets Privileged', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyOverride('ContainerDefinitions.0.Privileged', true));
    expectBroken(controlsOf(service)['SEC-6'], VIOLATED, /Privileged=true/);
  });
  test('fails when an Aspect sets Privileged on every task definition as a string', () => {
    const { service } = compliantService((_s, stack) => Aspects.of(stack).add(new EditEveryTaskDefinition((td) => td.addPropertyOverride('ContainerDefinitions.0.Privileged', 'true'))));
    expectBroken(controlsOf(service)['SEC-6'], VIOLATED, /Privileged="true"/);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['"TRUE" in capitals', (t) => { t.main.Privileged = 'TRUE'; }, VIOLATED, /Privileged="TRUE"/],
    ['an Fn::If', (t) => { t.main.Privileged = { 'Fn::If': ['Debug', true, false] }; }, UNVERIFIED, /Privileged=\$\{Fn::If\}/],
    ['a privileged sidecar', (t) => t.taskDefinition.ContainerDefinitions.push({ Name: 's', Image: `x@${DIGEST}`, Privileged: true }), VIOLATED, /ContainerDefinitions\[1\]\.Privileged=true/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['SEC-6'], status, evidence);
  });
});

describe('SEC-7: awsvpc, no host PID/IPC, no host volumes, no remapped host ports', () => {
  test('fails when an escape hatch uses host networking', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyOverride('NetworkMode', 'host'));
    expectBroken(controlsOf(service)['SEC-7'], VIOLATED, /NetworkMode="host"/);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['the host PID namespace', (t) => { t.taskDefinition.PidMode = 'host'; }, VIOLATED, /PidMode="host"/],
    ['the host IPC namespace', (t) => { t.taskDefinition.IpcMode = 'host'; }, VIOLATED, /IpcMode="host"/],
    ['a host volume', (t) => { t.taskDefinition.Volumes.push({ Name: 'docker', Host: { SourcePath: '/var/run/docker.sock' } }); }, VIOLATED, /Volumes\[2\]\(docker\)\.Host\.SourcePath="\/var\/run\/docker\.sock"/],
    ['a remapped host port', (t) => { t.main.PortMappings[0].HostPort = 80; }, VIOLATED, /PortMappings\[0\]\.\{HostPort,ContainerPort\}=\[80,8080\]/],
    ['a network mode from a parameter', (t) => { t.taskDefinition.NetworkMode = { Ref: 'Mode' }; }, UNVERIFIED, /NetworkMode=\$\{Mode\}/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['SEC-7'], status, evidence);
  });
});

describe('SEC-9: no plaintext secret in Environment (one rule for every backend)', () => {
  const withVariable = (Name: string, Value: unknown): Edit => (t) => { t.main.Environment.push({ Name, Value }); };
  test('compliant: tokenizer and token-count settings are not secrets', () => {
    const controls = handEdited('service', (t) => { withVariable('TOKENIZER_PATH', '/models/tok')(t); withVariable('MAX_NEW_TOKENS', '512')(t); });
    expect(controls['SEC-9'].status).toBe(ENFORCED);
  });
  test('the construct refuses a credential in a value, not only in a name', () => {
    expect(() => new ecs.CompliantModelService(new Stack(), 'Scorer', {
      image: ImageReference.fromString(`ghcr.io/acme/x:1@${DIGEST}`), model: MODEL, environment: { DATABASE_URL: 'postgres://scorer:hunter2@db/x' },
    })).toThrow(/invalid environment\.DATABASE_URL "\(value hidden\)": looks like a secret in a plaintext environment variable: its value holds a URL with user:password@ \(SEC-9\)/);
  });
  test('fails when an escape hatch writes a token into the environment', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyOverride('ContainerDefinitions.0.Environment', [{ Name: 'HF_TOKEN', Value: 'hf_abc' }]));
    expectBroken(controlsOf(service)['SEC-9'], VIOLATED, /Environment\[HF_TOKEN\] holds a plaintext secret: its name denotes a secret/);
  });
  test.each<[string, Edit, ControlStatus, RegExp]>([
    ['a password by name', withVariable('DB_PASSWORD', 'x'), VIOLATED, /Environment\[DB_PASSWORD\] holds a plaintext secret/],
    ['an AWS access key id in a value', withVariable('CONFIG', 'id=AKIAIOSFODNN7EXAMPLE'), VIOLATED, /Environment\[CONFIG\] holds a plaintext secret: its value holds an AWS access key id/],
    ['a dynamic reference to a secret', withVariable('DB', '{{resolve:secretsmanager:db:SecretString:password}}'), VIOLATED, /Environment\[DB\] holds a plaintext secret: its value is a dynamic reference/],
    ['an access key secret attribute', (t) => {
      t.add('Key', { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'ci' } });
      withVariable('AWS_SECRET', { 'Fn::GetAtt': ['Key', 'SecretAccessKey'] })(t);
    }, VIOLATED, /Environment\[AWS_SECRET\] holds a plaintext secret/],
    ['a value from a parameter', withVariable('DB_HOST', { Ref: 'DbHost' }), UNVERIFIED, /Environment\[DB_HOST\]=\$\{DbHost\}: the value is given at deploy time/],
    ['an environment file', (t) => { t.main.EnvironmentFiles = [{ Type: 's3', Value: 'arn:aws:s3:::b/app.env' }]; }, UNVERIFIED, /EnvironmentFiles\[\*\]\.Value="arn:aws:s3:::b\/app\.env": the file's variables/],
  ])('fails with %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['SEC-9'], status, evidence);
  });
});
