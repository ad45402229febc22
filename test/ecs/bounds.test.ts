/* eslint-disable @typescript-eslint/no-explicit-any */
import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ControlStatus } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import * as ecs from '../../src/ecs';
import { captureOutputInEachTest } from '../support/captured-output';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@${DIGEST}`);
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };

function service(props: Partial<ecs.CompliantModelServiceProps> = {}) {
  const stack = new Stack(new App(), 'Serving');
  const svc = new ecs.CompliantModelService(stack, 'Scorer', { image: IMAGE, model: MODEL, ...props });
  return { stack, svc, template: Template.fromStack(stack) };
}

function job(props: Partial<ecs.CompliantTrainingJobProps> = {}) {
  const stack = new Stack(new App(), 'Training', { env: { account: '123456789012', region: 'eu-central-1' } });
  return new ecs.CompliantTrainingJob(stack, 'Job', { image: IMAGE, model: MODEL, ...props });
}

const secretIn = (stack: Stack) => awsecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'api-key'));

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/** Every error names the construct path, the prop and the value, says what is wrong and how to fix it. */
const shape = (path: string, prop: string, value: string, problem: string, fix: string) =>
  new RegExp(`^${esc(path)}: invalid ${esc(prop)} ${esc(value)}: .*${esc(problem)}.*; .*${esc(fix)}`, 's');

describe('PRB-1: the container health check never runs user text through a shell', () => {
  describe('with shell text in the probe path', () => {
    const output = captureOutputInEachTest(); // report mode warns on stderr about PRB-1 (see the failing test below)
    const path = '/v2/health/live?verbose=1&x=;true';

    test('the default check is the exec form: curl and the URL as separate arguments', () => {
      const { template } = service({ livenessPath: path });
      const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as any;
      expect(task.Properties.ContainerDefinitions[0].HealthCheck.Command)
        .toEqual(['CMD', 'curl', '-fsS', '--max-time', '4', `http://127.0.0.1:8080${path}`]);
      expect(output().warnings()).toEqual([]);
    });

    // The exec form runs no shell, so `;true` inside the URL argument is no shell `; true` (a false positive that was fixed).
    test('PRB-1 stays enforced and nothing is printed: no shell runs the exec form', () => {
      const { svc } = service({ livenessPath: path });
      expect(svc.complianceEntry().controls.find((c) => c.id === 'PRB-1')?.status).toBe(ControlStatus.ENFORCED);
      expect(output().warnings()).toEqual([]);
    });
  });

  test('PRB-1 stays enforced with the exec form (the checker reads the command from the template)', () => {
    const { svc } = service();
    expect(svc.complianceEntry().controls.find((c) => c.id === 'PRB-1')?.status).toBe(ControlStatus.ENFORCED);
  });

  test.each([
    ['a space', '/health live'], ['a backtick', '/health`id`'], ['a quote', '/health"'], ['a newline', '/health\nrm'], ['a pipe', '/health|sh'],
  ])('fails for a livenessPath with %s', (_what, path) => {
    expect(() => service({ livenessPath: path }))
      .toThrow(shape('Serving/Scorer', 'livenessPath', JSON.stringify(path), 'is not an absolute URL path (RFC 3986', "e.g. '/v2/health/live'"));
  });

  test('fails for a healthCheckCommand with a control character', () => {
    expect(() => service({ healthCheckCommand: ['CMD-SHELL', 'curl -f http://127.0.0.1:8080/\nexit 0'] }))
      .toThrow(shape('Serving/Scorer', 'healthCheckCommand[1]', '"curl -f http://127.0.0.1:8080/\\nexit 0"', 'contains a control character', 'remove newlines'));
  });
});

describe('ids, ports, durations and tokens', () => {
  const token = Token.asNumber({ Ref: 'Param' });
  test.each([
    ['a UID above 2147483647', { user: '2147483648:10001' }, shape('Serving/Scorer', 'user', '"2147483648:10001"', 'both IDs in 10000..2147483647', "use '10001:10001'")],
    ['a port above 65535', { port: 70000 }, shape('Serving/Scorer', 'port', '70000', 'must be an integer in 1..65535', 'set port to a port in 1..65535')],
    ['a 1500 ms model load timeout', { modelLoadTimeout: Duration.millis(1500) },
      shape('Serving/Scorer', 'modelLoadTimeout', '"1.5s"', 'is not a whole number of seconds', 'Duration.minutes(10)')],
    ['a model load timeout that is a token', { modelLoadTimeout: Duration.seconds(token) },
      shape('Serving/Scorer', 'modelLoadTimeout', '"(unresolved token)"', 'modelLoadTimeout is a token', 'pass Duration.minutes(10)')],
    ['replicas as a token', { replicas: token }, shape('Serving/Scorer', 'replicas', '(unresolved number token)', 'replicas is a token', 'pass a number')],
    ['port as a token', { port: token }, shape('Serving/Scorer', 'port', '(unresolved number token)', 'port is a token', 'pass a number')],
    ['cpu as a token', { cpu: token }, shape('Serving/Scorer', 'cpu', '(unresolved number token)', 'cpu is a token', 'pass a number')],
    ['memory as a token', { memoryLimitMiB: token }, shape('Serving/Scorer', 'memoryLimitMiB', '(unresolved number token)', 'memoryLimitMiB is a token', 'pass a number')],
    ['gpuCount as a token', { gpuCount: token }, shape('Serving/Scorer', 'gpuCount', '(unresolved number token)', 'gpuCount is a token', 'pass a number')],
    ['user as a token', { user: Token.asString({ Ref: 'User' }) }, /^Serving\/Scorer: invalid user ".*": user is a token, .*; pass a literal 'uid:gid'/],
  ])('fails for %s', (_name, props, message) => {
    expect(() => service(props as any)).toThrow(message);
  });
});

describe('mount paths and environment names', () => {
  test('fails for a model cache at /tmp', () => {
    expect(() => service({ modelCachePath: '/tmp' }))
      .toThrow(shape('Serving/Scorer', 'modelCachePath', '"/tmp"', 'is also set by tmp (the construct\'s /tmp)', 'its own directory'));
  });

  test('fails for a variable in both environment and secrets', () => {
    const stack = new Stack(new App(), 'Serving');
    expect(() => new ecs.CompliantModelService(stack, 'Scorer', {
      image: IMAGE, model: MODEL, environment: { API_ENDPOINT: 'x' }, secrets: { API_ENDPOINT: secretIn(stack) },
    })).toThrow(shape('Serving/Scorer', 'secrets.API_ENDPOINT', '"API_ENDPOINT"', 'is also set by environment.API_ENDPOINT', 'set each variable once'));
  });

  test.each(['MODEL_NAME', 'INFERENCE_LOG_GROUP'])('fails for a secret named %s, which the construct sets', (name) => {
    const stack = new Stack(new App(), 'Serving');
    expect(() => new ecs.CompliantModelService(stack, 'Scorer', { image: IMAGE, model: MODEL, secrets: { [name]: secretIn(stack) } }))
      .toThrow(shape('Serving/Scorer', `secrets.${name}`, `"${name}"`, 'is also set by the construct\'s own environment', 'never one the construct sets'));
  });

  test('fails for INFERENCE_LOG_GROUP in environment', () => {
    expect(() => service({ environment: { INFERENCE_LOG_GROUP: 'x' } }))
      .toThrow(shape('Serving/Scorer', 'environment.INFERENCE_LOG_GROUP', '"INFERENCE_LOG_GROUP"', 'is also set by the construct\'s own environment', 'set each'));
  });

  test('fails for a RUN_ID secret on a training job', () => {
    const stack = new Stack(new App(), 'Training', { env: { account: '123456789012', region: 'eu-central-1' } });
    expect(() => new ecs.CompliantTrainingJob(stack, 'Job', { image: IMAGE, secrets: { RUN_ID: secretIn(stack) } }))
      .toThrow(shape('Training/Job', 'secrets.RUN_ID', '"RUN_ID"', 'is also set by the construct\'s own environment', 'set each variable once'));
  });
});

describe('training durations', () => {
  test.each([
    ['a 1500 ms timeout', Duration.millis(1500), '"1.5s"', 'is not a whole number of seconds'],
    ['a timeout that is a token', Duration.seconds(Token.asNumber({ Ref: 'T' })), '"(unresolved token)"', 'timeout is a token'],
  ])('fails for %s', (_name, timeout, value, problem) => {
    expect(() => job({ timeout })).toThrow(shape('Training/Job', 'timeout', value, problem, 'Duration.hours(24)'));
  });
});

describe('EventBridge schedules', () => {
  test('fails for a plain string, showing the value and a working example', () => {
    expect(() => job({ schedule: 'cron(0 3 * * ? *)' as any }))
      .toThrow(shape('Training/Job', 'schedule', '"cron(0 3 * * ? *)"', 'is not a ScheduleExpression', 'ScheduleExpression.expression("cron(0 3 * * ? *)")'));
  });
});

describe('image references', () => {
  test('fails for a registry port outside 1..65535', () => {
    expect(() => ImageReference.fromString(`registry.example:99999/x@${DIGEST}`))
      .toThrow(`invalid image reference "registry.example:99999/x@${DIGEST}": the registry port 99999 is outside 1..65535; write the registry as host[:port]`);
  });
});

describe('a construct in the wrong scope', () => {
  test('fails outside an aws-cdk Stack, before any child is created', () => {
    const app = new App();
    const plain = new Construct(app, 'Plain');
    expect(() => new ecs.CompliantModelService(plain, 'Scorer', { image: IMAGE, model: MODEL } as any))
      .toThrow(/^Plain\/Scorer: invalid scope "Plain": CompliantModelService must be defined inside an aws-cdk Stack; define it in a Stack: new CompliantModelService\(new Stack\(app, 'Ml'\), 'Scorer'/);
    expect(plain.node.children).toHaveLength(0);
  });

  test('fails inside a cdk8s Chart', () => {
    const chart: Chart = Testing.chart();
    expect(() => new ecs.CompliantTrainingJob(chart as any, 'Job', { image: IMAGE } as any))
      .toThrow(/^test\/Job: invalid scope "test": CompliantTrainingJob must be defined inside an aws-cdk Stack/);
  });
});
