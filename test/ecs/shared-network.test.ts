import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import { ControlStatus } from '../../src/compliance';
import { ImageReference, Waiver } from '../../src/core';
import * as ecs from '../../src/ecs';
import { captureOutput } from '../support/captured-output';
import { nagErrors } from '../support/nag';

const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud:1.4.2@sha256:${'a'.repeat(64)}`);
const MODEL = { name: 'fraud', version: '1.4.2' };

function serviceAndJob() {
  const app = new App();
  const stack = new Stack(app, 'Ml', { env: { account: '123456789012', region: 'eu-central-1' } });
  const service = new ecs.CompliantModelService(stack, 'Scorer', { image: IMAGE, model: MODEL });
  const job = new ecs.CompliantTrainingJob(stack, 'Train', { image: IMAGE, model: MODEL });
  return { app, stack, service, job, template: Template.fromStack(stack) };
}

describe('the default network is shared by every construct of a stack that gets no cluster', () => {
  const { app, stack, service, job, template } = serviceAndJob();

  test('a service and a job share one VPC, one cluster and one log key; a NAT gateway per zone', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::ECS::Cluster', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    // the stack's log key (workload logs, execution history, flow logs) and the job's failure-topic key
    template.resourceCountIs('AWS::KMS::Key', 2);
    expect(stack.node.tryFindChild('CompliantMlNetwork')).toBeDefined();
    expect(service.placement.cluster).toBe(job.placement.cluster);
  });

  test('each task subnet routes to the NAT gateway of its own zone, so AVL-3 holds for the service', () => {
    const avl3 = service.complianceEntry().controls.find((c) => c.id === 'AVL-3')!;
    expect(avl3.status).toBe(ControlStatus.ENFORCED);
    expect(avl3.evidence.filter((e) => /to NAT gateway \w+ in public subnet \w+ of the same zone/.test(e))).toHaveLength(2);
  });

  test('every log group this library creates uses the stack log key, whose policy is limited to this account\'s log groups', () => {
    const keyId = Object.keys(template.findResources('AWS::KMS::Key')).find((id) => id.startsWith('CompliantMlLogKey'))!;
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    const statements = template.findResources('AWS::KMS::Key')[keyId].Properties.KeyPolicy.Statement;
    const logs = statements.find((s: { Principal: { Service?: string } }) => s.Principal.Service === 'logs.eu-central-1.amazonaws.com');
    expect(logs.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-central-1:123456789012:log-group:*']] } },
    });
  });

  test('cdk-nag AwsSolutions reports no unacknowledged error for the shared network', () => {
    expect(nagErrors(app)).toEqual([]);
  });

  test('a construct given a cluster creates no network', () => {
    const other = new Stack(new App(), 'Own');
    const cluster = new awsecs.Cluster(other, 'Cluster', { vpc: new ec2.Vpc(other, 'Vpc', { maxAzs: 2 }) });
    new ecs.CompliantModelService(other, 'Scorer', { image: IMAGE, model: MODEL, cluster });
    expect(other.node.tryFindChild('CompliantMlNetwork')).toBeUndefined();
    const output = captureOutput(); // synthesis in report mode warns on stderr: the user's cluster has no container insights
    try {
      Template.fromStack(other).resourceCountIs('AWS::EC2::VPC', 1);
      expect(output.warnings()).toEqual([expect.stringMatching(/^\[cdk-compliant-ml\] warning: Own\/Scorer: MON-1 .* unverified: Cluster \w+ ClusterSettings has no containerInsights/)]);
    } finally {
      output.restore();
    }
  });
});

describe('waivers that are not waiver objects fail at construct time with the prop and the fix', () => {
  test.each<[string, unknown, RegExp]>([
    ['[null]', [null], /Ml\/Subject: invalid waivers\[0\] null: is not a waiver; pass \{ control, reason, expires\? \}/],
    ['[1]', [1], /invalid waivers\[0\] 1: is not a waiver/],
    ['a string', 'AVL-1', /invalid waivers "AVL-1": is not a list of waivers/],
    ['an object without a control', [{ reason: 'r' }], /invalid waivers\[0\]\.control \(undefined\): is not a control of the catalogue/],
  ])('%s', (_name, waivers, message) => {
    for (const make of [
      (stack: Stack) => new ecs.CompliantModelService(stack, 'Subject', { image: IMAGE, model: MODEL, waivers: waivers as Waiver[] }),
      (stack: Stack) => new ecs.CompliantTrainingJob(stack, 'Subject', { image: IMAGE, waivers: waivers as Waiver[] }),
    ]) {
      expect(() => make(new Stack(new App(), 'Ml'))).toThrow(message);
    }
  });
});
