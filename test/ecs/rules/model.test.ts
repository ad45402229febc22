/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DIGEST, IMAGE_PROVENANCE, MODEL, cfnTaskDefinition, compliantService, controlsOf, expectBroken } from './support';
import { ControlResult, ControlStatus } from '../../../src/compliance';
import { ImageReference, ModelArtifact } from '../../../src/core';
import * as ecs from '../../../src/ecs';
import { templateWorkloads, throwTemplateProblem } from '../../../src/ecs/checks/evaluate';
import { CfnTemplate, TemplateView } from '../../../src/ecs/checks/template';
import { runCli, tmpdir } from '../../cli/support';

const { VIOLATED, UNVERIFIED, ENFORCED, NOT_APPLICABLE, EXTERNAL } = ControlStatus;
const MODEL_DIGEST = `sha256:${'b'.repeat(64)}`;
const ARTIFACT = ModelArtifact.fromUri('s3://acme-models/fraud/1.4.2/', MODEL_DIGEST);
const withArtifact = () => ({ modelArtifact: ARTIFACT });

/** Our service with a verified model, changed by an escape hatch on its task definition. */
function overridden(edit: (cfn: awsecs.CfnTaskDefinition, template: any) => void): ControlResult {
  const pristine = compliantService(undefined, withArtifact);
  const template = pristine.app.synth().getStackArtifact(pristine.stack.artifactId).template;
  const td = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::ECS::TaskDefinition') as any;
  const { service } = compliantService((s) => edit(cfnTaskDefinition(s), td.Properties), withArtifact);
  return controlsOf(service)['MOD-1'];
}

const indexOf = (td: any, name: string) => td.ContainerDefinitions.findIndex((c: any) => c.Name === name);
const envWithout = (container: any, name: string) => container.Environment.filter((e: any) => e.Name !== name);

describe('MOD-1: the model is verified by a non-essential container the server depends on with SUCCESS, and mounted read-only', () => {
  test('compliant: our service with a model artifact', () => {
    const mod1 = controlsOf(compliantService(undefined, withArtifact).service)['MOD-1'];
    expect(mod1.status).toBe(ENFORCED);
    expect(mod1.evidence).toEqual(expect.arrayContaining([
      expect.stringMatching(/ContainerDefinitions\[0\]\(main\)\.Environment\[MODEL_DIGEST\]="sha256:b{64}" is the digest model-verifier verifies/),
      expect.stringMatching(/ContainerDefinitions\[0\]\(main\)\.DependsOn\(model-verifier\)\.Condition="SUCCESS"/),
      expect.stringMatching(/ContainerDefinitions\[0\]\(main\)\.MountPoints\(model-cache at \/models\)\.ReadOnly=true/),
    ]));
  });

  test('external: our service without a model artifact (weights in the image)', () => {
    expectBroken(controlsOf(compliantService().service)['MOD-1'], EXTERNAL, /no verifier container and no model URI: the weights are inside the digest-pinned image/);
  });

  test.each<[string, (cfn: awsecs.CfnTaskDefinition, td: any) => void, ControlStatus, RegExp]>([
    ['the dependsOn is removed', (cfn) => cfn.addPropertyOverride('ContainerDefinitions.0.DependsOn', []),
      VIOLATED, /\(main\)\.DependsOn\(model-verifier\)\.Condition is not set: the container can start before the verification succeeded/],
    ['the condition is START', (cfn) => cfn.addPropertyOverride('ContainerDefinitions.0.DependsOn.0.Condition', 'START'),
      VIOLATED, /DependsOn\(model-verifier\)\.Condition="START"/],
    ['the server mounts the model writable', (cfn, td) => cfn.addPropertyOverride(
      `ContainerDefinitions.0.MountPoints.${td.ContainerDefinitions[0].MountPoints.findIndex((m: any) => m.SourceVolume === 'model-cache')}.ReadOnly`, false),
    VIOLATED, /\(main\)\.MountPoints\(model-cache at \/models\)\.ReadOnly=false: the verified files can be changed/],
    ['the verifier is essential', (cfn, td) => cfn.addPropertyOverride(`ContainerDefinitions.${indexOf(td, 'model-verifier')}.Essential`, true),
      VIOLATED, /\(model-verifier\)\.Essential=true: a verifier must be non-essential/],
    ['the server\'s MODEL_DIGEST is removed', (cfn, td) => cfn.addPropertyOverride('ContainerDefinitions.0.Environment', envWithout(td.ContainerDefinitions[0], 'MODEL_DIGEST')),
      VIOLATED, /declares a model artifact, but ContainerDefinitions\[0\]\(main\) sets no MODEL_DIGEST/],
    ['the verifier\'s digest is changed (the script no longer matches it)', (cfn, td) => {
      const i = indexOf(td, 'model-verifier');
      cfn.addPropertyOverride(`ContainerDefinitions.${i}.Environment`, [...envWithout(td.ContainerDefinitions[i], 'ARTIFACT_DIGEST'), { Name: 'ARTIFACT_DIGEST', Value: DIGEST }]);
    }, VIOLATED, /no verifier of the task carries this digest/],
    ['the verifier\'s command is replaced', (cfn, td) => cfn.addPropertyOverride(`ContainerDefinitions.${indexOf(td, 'model-verifier')}.Command`, ['exit 0']),
      VIOLATED, /\(model-verifier\) declares uri s3:\/\/acme-models\/fraud\/1\.4\.2\/ pinned by sha256:b{64} but its EntryPoint\/Command is not the library's verifier script/],
    ['the verifier\'s script is edited by one line', (cfn, td) => {
      const i = indexOf(td, 'model-verifier');
      cfn.addPropertyOverride(`ContainerDefinitions.${i}.Command`, [td.ContainerDefinitions[i].Command[0].replace('set -eu', 'set -u')]);
    }, VIOLATED, /is not the library's verifier script/],
    ['another container mounts the model volume writable', (cfn, td) => cfn.addPropertyOverride('ContainerDefinitions', [...td.ContainerDefinitions, {
      Name: 'sidecar', Image: td.ContainerDefinitions[0].Image, Essential: false, MountPoints: [{ SourceVolume: 'model-cache', ContainerPath: '/w', ReadOnly: false }],
    }]), VIOLATED, /\(sidecar\)\.MountPoints\(model-cache at \/w\)\.ReadOnly=false/],
    ['the model volume is an EFS volume', (cfn) => cfn.addPropertyOverride('Volumes', [
      { Name: 'tmp' }, { Name: 'verifier-tmp' }, { Name: 'model-cache', EFSVolumeConfiguration: { FilesystemId: 'fs-12345678' } },
    ]), VIOLATED, /Volumes\(model-cache\)=.*not a task-scoped bind mount/],
    ['the digest comes from a parameter', (cfn, td) => cfn.addPropertyOverride('ContainerDefinitions.0.Environment',
      [...envWithout(td.ContainerDefinitions[0], 'MODEL_DIGEST'), { Name: 'MODEL_DIGEST', Value: { Ref: 'Digest' } }]), UNVERIFIED, /Environment\[MODEL_DIGEST\]=\$\{Digest\}/],
  ])('fails when %s', (_name, edit, status, evidence) => {
    expectBroken(overridden(edit), status, evidence);
  });

  test('fails (SEC-8) when the S3 grant is widened to every object or every S3 action; MOD-1 itself is about the task definition', () => {
    const widen = (statement: iam.PolicyStatement) =>
      compliantService((s) => s.taskDefinition.taskRole.addToPrincipalPolicy(statement), withArtifact).service;
    expectBroken(controlsOf(widen(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })))['SEC-8'], VIOLATED, /Resource="\*" for \["s3:GetObject"\]/);
    expectBroken(controlsOf(widen(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::acme-models/*'] })))['SEC-8'], VIOLATED, /s3:\* allows every action of s3/);
  });
});

describe('MOD-1 on foreign task definitions beside ours', () => {
  function foreign(labels: Record<string, string>) {
    const { app, stack, service } = compliantService(undefined, withArtifact);
    const td = new awsecs.FargateTaskDefinition(stack, 'Legacy', { cpu: 256, memoryLimitMiB: 512 });
    td.addContainer('server', { image: awsecs.ContainerImage.fromRegistry(`ghcr.io/acme/legacy@${DIGEST}`), dockerLabels: labels });
    const report = app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
    const entries = templateWorkloads(new TemplateView(report), new Set(), (id) => id, throwTemplateProblem);
    const legacy = entries.find((e) => e.path.startsWith('Legacy'))!;
    return { ours: controlsOf(service)['MOD-1'], legacy: legacy.controls.find((c) => c.id === 'MOD-1')! };
  }

  test('a plain foreign task is not-applicable and ours stays enforced', () => {
    const { ours, legacy } = foreign({});
    expect(ours.status).toBe(ENFORCED);
    expectBroken(legacy, NOT_APPLICABLE, /declares no model server or training job and no pinned artifact/);
  });

  test('fails when a foreign model server names a model URI without a verifier', () => {
    const { legacy } = foreign({ 'model.compliance.cdk-compliant-ml.io/name': 'legacy', 'model.compliance.cdk-compliant-ml.io/uri': 's3://acme-models/legacy/' });
    expectBroken(legacy, VIOLATED, /DockerLabels\["model\.compliance\.cdk-compliant-ml\.io\/uri"\]="s3:\/\/acme-models\/legacy\/": the server fetches its model from this URI with no verifier/);
  });

  test('a foreign model server with no model URI is external (weights in the image)', () => {
    const { legacy } = foreign({ 'app.kubernetes.io/component': 'model-server' });
    expectBroken(legacy, EXTERNAL, /weights are inside the digest-pinned image/);
  });

  test('fails when a foreign task declares a model artifact label with no verifier', () => {
    const { legacy } = foreign({ 'model-artifact.compliance.cdk-compliant-ml.io/digest': MODEL_DIGEST });
    expectBroken(legacy, VIOLATED, /declares a model artifact, but ContainerDefinitions\[0\]\(server\) sets no MODEL_DIGEST/);
  });
});

describe('MOD-1 through the CLI on a hand-edited template', () => {
  async function check(edit: (td: any) => void): Promise<ControlResult> {
    const { app, stack } = compliantService(undefined, withArtifact);
    const template = JSON.parse(JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template));
    const td: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::ECS::TaskDefinition');
    edit(td.Properties);
    const file = path.join(tmpdir(), 'serving.template.json');
    fs.writeFileSync(file, JSON.stringify(template, null, 1));
    const run = await runCli(['check', '--no-report', '--format', 'json', file]);
    const ours = JSON.parse(run.stdout).workloads.find((w: any) => w.kind === 'CompliantModelService');
    return { ...ours.controls.find((c: any) => c.id === 'MOD-1'), modelArtifact: ours.modelArtifact };
  }

  test('compliant: the synthesized template as written; the report names the artifact read from the file', async () => {
    const result: any = await check(() => undefined);
    expect(result.status).toBe(ENFORCED);
    expect(result.modelArtifact).toEqual({ source: 'uri', reference: ARTIFACT.reference, digest: MODEL_DIGEST, verifier: 'model-verifier' });
  });

  test('fails when the server no longer waits for the verifier', async () => {
    expectBroken(await check((td) => { delete td.ContainerDefinitions[0].DependsOn; }), VIOLATED, /DependsOn\(model-verifier\)\.Condition is not set/);
  });

  test('fails when the verifier is made essential and the mount writable', async () => {
    const result = await check((td) => {
      td.ContainerDefinitions.find((c: any) => c.Name === 'model-verifier').Essential = true;
      td.ContainerDefinitions[0].MountPoints.find((m: any) => m.SourceVolume === 'model-cache').ReadOnly = false;
    });
    expectBroken(result, VIOLATED, /Essential=true: a verifier must be non-essential/);
    expect(result.evidence.join('\n')).toMatch(/MountPoints\(model-cache at \/models\)\.ReadOnly=false/);
    // the report names a verifier only when its chain holds
    expect((result as any).modelArtifact).toEqual({ source: 'uri', reference: ARTIFACT.reference, digest: MODEL_DIGEST });
  });
});

describe('MOD-1 for the training job', () => {
  test('compliant: a fine-tuning job with a verified base model; external without one', () => {
    const app = new App();
    const stack = new Stack(app, 'Training', { env: { account: '123456789012', region: 'eu-central-1' } });
    const image = ImageReference.fromString(`ghcr.io/acme/train@${DIGEST}`);
    const tuned = new ecs.CompliantTrainingJob(stack, 'Tune', { image, model: MODEL, imageProvenance: IMAGE_PROVENANCE, modelArtifact: ARTIFACT });
    const plain = new ecs.CompliantTrainingJob(stack, 'Plain', { image, model: { ...MODEL, uri: 's3://acme-models/out/' } });
    expect(controlsOf(tuned)['MOD-1'].status).toBe(ENFORCED);
    // a training job's model.uri names what it produces, not what it reads: no waiver needed, MOD-1 external
    expectBroken(controlsOf(plain)['MOD-1'], EXTERNAL, /Metadata\.cdk-compliant-ml\.kind="CompliantTrainingJob", with no verifier container/);
  });
});
