/* eslint-disable @typescript-eslint/no-explicit-any */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import { ComplianceReport } from '../../src/compliance';
import { ImageReference } from '../../src/core';
import * as ecs from '../../src/ecs';
import { acknowledgeCfnLint, acknowledgeCheckov } from '../../src/ecs/acknowledgements';

const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`);
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const ENV = { account: '123456789012', region: 'eu-central-1' };

/** A stack with a load-balanced model service and a training job: every acknowledgement the ECS constructs emit by default. */
function build() {
  const app = new App();
  const stack = new Stack(app, 'Serving', { env: ENV });
  const service = new ecs.CompliantModelService(stack, 'Scorer', { image: IMAGE, model: MODEL, loadBalancer: {} });
  const job = new ecs.CompliantTrainingJob(stack, 'Retrain', { image: IMAGE, model: MODEL, cluster: service.placement.cluster });
  return { app, stack, service, job };
}

/** `{rule, reason, logicalId}` of every checkov skip and cfn-lint ignore in a template, with the reason recorded beside it. */
function templateAcknowledgements(template: any): Array<{ rule: string; reason: string | undefined; logicalId: string }> {
  return Object.entries(template.Resources as Record<string, any>).flatMap(([logicalId, r]) => [
    ...(r.Metadata?.checkov?.skip ?? []).map((s: any) => ({ rule: `checkov:${s.id}`, reason: s.comment, logicalId })),
    ...(r.Metadata?.['cfn-lint']?.config?.ignore_checks ?? []).map((rule: string) => ({
      rule: `cfn-lint:${rule}`,
      reason: (r.Metadata?.['cdk-compliant-ml/acknowledged'] ?? []).find((e: any) => e.tool === 'cfn-lint' && e.rule === rule)?.reason,
      logicalId,
    })),
  ]);
}

describe('checkov and cfn-lint acknowledgements of the ECS constructs reach the report with their reasons', () => {
  const { app, stack } = build();
  const template = Template.fromStack(stack).toJSON();
  const emitted = templateAcknowledgements(template);
  const report = ComplianceReport.of(app).toJson() as any;
  const reported = report.workloads.flatMap((w: any) => w.acknowledgedRules ?? [])
    .filter((a: any) => /^(checkov|cfn-lint):/.test(a.rule));

  test('the constructs acknowledge exactly the findings of the reference architectures, on the resources that have them', () => {
    expect(emitted.map((e) => [e.rule, template.Resources[e.logicalId].Type]).sort()).toEqual([
      ['cfn-lint:W3005', 'AWS::ECS::Service'],
      ['cfn-lint:W3005', 'AWS::StepFunctions::StateMachine'],
      ['checkov:CKV_AWS_111', 'AWS::IAM::Policy'],
      ['checkov:CKV_AWS_18', 'AWS::S3::Bucket'],
    ]);
  });

  test('every acknowledgement the constructs emit has a non-empty one-line reason without "="', () => {
    expect(emitted.length).toBeGreaterThan(0);
    for (const e of emitted) {
      expect(typeof e.reason).toBe('string');
      expect(e.reason!.trim().length).toBeGreaterThan(40);
      expect(e.reason).not.toMatch(/[=\n]/);
    }
  });

  test('the report lists each of them once, with the same reason, at the path of the resource\'s construct', () => {
    expect(reported.map((a: any) => [a.rule, a.reason]).sort()).toEqual(emitted.map((e) => [e.rule, e.reason]).sort());
    expect(reported.map((a: any) => a.path).sort()).toEqual([
      'Serving/Retrain/StateMachine', 'Serving/Retrain/StateMachine/Role/DefaultPolicy', 'Serving/Scorer/AccessLogs', 'Serving/Scorer/Service',
    ]);
  });

  test('the access-log bucket is versioned, with noncurrent versions kept as long as the logs (the fix of checkov CKV_AWS_21)', () => {
    const bucket = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket'))[0] as any;
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const rule = bucket.Properties.LifecycleConfiguration.Rules[0];
    expect(rule.NoncurrentVersionExpiration.NoncurrentDays).toBe(rule.ExpirationInDays);
  });
});

describe('the report reads the acknowledgements from the output, not from the construct tree', () => {
  test('fails when an escape hatch removes the metadata: the report no longer claims the acknowledgement', () => {
    const { app, service } = build();
    const bucket = service.node.findChild('AccessLogs').node.defaultChild as CfnResource;
    bucket.addMetadata('checkov', { skip: [] });
    const svc = service.node.findChild('Service').node.defaultChild as CfnResource;
    svc.addMetadata('cdk-compliant-ml/acknowledged', []);
    const entry = (ComplianceReport.of(app).toJson() as any).workloads.find((w: any) => w.path === 'Serving/Scorer');
    const rules = (entry.acknowledgedRules ?? []).map((a: any) => a.rule);
    expect(rules).not.toContain('checkov:CKV_AWS_18');
    expect(rules).not.toContain('cfn-lint:W3005');
    expect(rules).toContain('AwsSolutions-S1');
  });

  test('a foreign task definition\'s checkov skips and reasoned cfn-lint ignores appear in its entry; an unreasoned ignore does not', () => {
    const app = new App();
    const stack = new Stack(app, 'Foreign');
    const td = new awsecs.FargateTaskDefinition(stack, 'Legacy');
    td.addContainer('web', { image: awsecs.ContainerImage.fromRegistry(IMAGE.toString()) });
    const cfn = td.node.defaultChild as CfnResource;
    cfn.addMetadata('checkov', { skip: [{ id: 'CKV_AWS_97', comment: 'transit encryption is set on the EFS mount' }] });
    cfn.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005', 'E3012'] } });
    cfn.addMetadata('cdk-compliant-ml/acknowledged', [{ tool: 'cfn-lint', rule: 'W3005', reason: 'kept for the old deploy order' }]);
    const entry = (ComplianceReport.of(app).toJson() as any).workloads.find((w: any) => w.path === 'Foreign/Legacy');
    expect(entry.acknowledgedRules).toEqual([
      { rule: 'cfn-lint:W3005', reason: 'kept for the old deploy order', path: 'Foreign/Legacy' },
      { rule: 'checkov:CKV_AWS_97', reason: 'transit encryption is set on the EFS mount', path: 'Foreign/Legacy' },
    ]);
  });
});

describe('acknowledgeCheckov / acknowledgeCfnLint', () => {
  test('merge with earlier entries of the same resource, one entry per rule, sorted', () => {
    const { service } = build();
    const bucket = service.node.findChild('AccessLogs');
    acknowledgeCheckov(bucket, 'CKV_AWS_21', 'a second check on the same bucket');
    acknowledgeCheckov(bucket, 'CKV_AWS_18', 'the reason replaced');
    acknowledgeCfnLint(bucket, 'W3005', 'first');
    acknowledgeCfnLint(bucket, 'I3011', 'second');
    const meta = (bucket.node.defaultChild as CfnResource).cfnOptions.metadata!;
    expect(meta.checkov.skip).toEqual([{ id: 'CKV_AWS_18', comment: 'the reason replaced' }, { id: 'CKV_AWS_21', comment: 'a second check on the same bucket' }]);
    expect(meta['cfn-lint']).toEqual({ config: { ignore_checks: ['I3011', 'W3005'] } });
    expect(meta['cdk-compliant-ml/acknowledged']).toEqual([
      { tool: 'cfn-lint', rule: 'I3011', reason: 'second' }, { tool: 'cfn-lint', rule: 'W3005', reason: 'first' },
    ]);
  });

  test('fails when the reason is empty or the rule is not the tool\'s, or the construct has no resource', () => {
    const { service, stack } = build();
    expect(() => acknowledgeCheckov(service, 'CKV_AWS_18', ' ')).toThrow(/has no reason/);
    expect(() => acknowledgeCfnLint(service, 'CKV_AWS_18', 'x')).toThrow(/not a cfn-lint rule ID/);
    expect(() => acknowledgeCheckov(stack.node.findChild('Scorer'), 'CKV_AWS_18', 'x')).toThrow(/Serving\/Scorer has no CloudFormation resource/);
  });
});
