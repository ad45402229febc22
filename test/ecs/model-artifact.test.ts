/* eslint-disable @typescript-eslint/no-explicit-any */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ImageReference, ModelArtifact, DatasetArtifact } from '../../src/core';
import { verifierScript } from '../../src/core/model-verifier-script';
import { AWS_CLI_IMAGE, CURL_IMAGE } from '../../src/core/verifier-images';
import * as ecs from '../../src/ecs';
import { nagErrors } from '../support/nag';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const MODEL_DIGEST = `sha256:${'b'.repeat(64)}`;
const DATA_DIGEST = `sha256:${'d'.repeat(64)}`;
const IMAGE = `123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-scorer:1.4.2@${DIGEST}`;
const MODELCAR = `123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud-modelcar:1.4.2@sha256:${'c'.repeat(64)}`;
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const ENV = { account: '123456789012', region: 'eu-central-1' };
const S3_FILE = ModelArtifact.fromUri('s3://acme-models/fraud/1.4.2/model.onnx', MODEL_DIGEST);
const S3_DIR = ModelArtifact.fromUri('s3://acme-models/fraud/1.4.2/', MODEL_DIGEST);

function service(props: Partial<ecs.CompliantModelServiceProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Serving', { env: ENV });
  const svc = new ecs.CompliantModelService(stack, 'Scorer', { image: ImageReference.fromString(IMAGE), model: MODEL, ...props });
  return { app, stack, svc, template: Template.fromStack(stack) };
}

function job(props: Partial<ecs.CompliantTrainingJobProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Training', { env: ENV });
  const train = new ecs.CompliantTrainingJob(stack, 'Train', { image: ImageReference.fromString(IMAGE), model: MODEL, ...props });
  return { app, stack, train, template: Template.fromStack(stack) };
}

const containers = (template: Template): any[] => Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions;
const byName = (template: Template, name: string) => containers(template).find((c) => c.Name === name);
/** Every statement of every AWS::IAM::Policy of the template, resolved to JSON text for comparison. */
const statements = (template: Template): string[] => Object.values(template.findResources('AWS::IAM::Policy'))
  .flatMap((p: any) => p.Properties.PolicyDocument.Statement).map((s: unknown) => JSON.stringify(s));

describe('ecs.CompliantModelService with a model artifact from S3', () => {
  const { template, app, svc } = service({ modelArtifact: S3_FILE });
  const main = byName(template, 'main');
  const verifier = byName(template, 'model-verifier');

  test('a non-essential verifier runs exactly the shared verifier script, with the AWS CLI image', () => {
    expect(verifier).toMatchObject({
      Essential: false,
      EntryPoint: ['/bin/sh', '-c'],
      Command: [verifierScript(S3_FILE, { root: '/cdk-compliant-ml/model-cache', name: 'model' })],
      Image: AWS_CLI_IMAGE,
    });
    expect(verifier.Environment).toEqual([
      { Name: 'ARTIFACT_SOURCE', Value: 'uri' },
      { Name: 'ARTIFACT_REFERENCE', Value: 's3://acme-models/fraud/1.4.2/model.onnx' },
      { Name: 'ARTIFACT_DIGEST', Value: MODEL_DIGEST },
      { Name: 'HOME', Value: '/tmp' },
    ]);
  });

  test('the verifier is hardened like the server: non-root, read-only root, no capabilities, /tmp on a task volume, a memory limit', () => {
    expect(verifier).toMatchObject({
      User: '10001:10001',
      ReadonlyRootFilesystem: true,
      Privileged: false,
      LinuxParameters: { Capabilities: { Drop: ['ALL'] } },
      Memory: 512,
      MountPoints: [
        { SourceVolume: 'model-cache', ContainerPath: '/cdk-compliant-ml/model-cache', ReadOnly: false },
        { SourceVolume: 'verifier-tmp', ContainerPath: '/tmp', ReadOnly: false },
      ],
    });
    expect(main.Memory + verifier.Memory).toBe(4096);
  });

  test('its logs go to the workload\'s log group through the same awslogs settings as the server', () => {
    expect(verifier.LogConfiguration.LogDriver).toBe('awslogs');
    expect(verifier.LogConfiguration.Options['awslogs-group']).toEqual(main.LogConfiguration.Options['awslogs-group']);
    expect(verifier.LogConfiguration.Options.mode).toBe(main.LogConfiguration.Options.mode);
    expect(verifier.LogConfiguration.Options['awslogs-stream-prefix']).toBe('model-verifier');
  });

  test('the server depends on it with SUCCESS, mounts the model read-only and carries the digest in env and docker labels', () => {
    expect(main.DependsOn).toEqual([{ ContainerName: 'model-verifier', Condition: 'SUCCESS' }]);
    expect(main.MountPoints).toEqual([
      { SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false },
      { SourceVolume: 'model-cache', ContainerPath: '/models', ReadOnly: true },
    ]);
    const env = Object.fromEntries(main.Environment.map((e: any) => [e.Name, e.Value]));
    expect(env).toMatchObject({ MODEL_DIGEST, MODEL_DIR: '/models/model', MODEL_CACHE_DIR: '/models' });
    expect(main.DockerLabels).toMatchObject({
      'model-artifact.compliance.cdk-compliant-ml.io/digest': MODEL_DIGEST,
      'model.compliance.cdk-compliant-ml.io/digest': MODEL_DIGEST,
      'model.compliance.cdk-compliant-ml.io/uri': 's3://acme-models/fraud/1.4.2/model.onnx',
    });
  });

  test('the task role gains exactly one statement: s3:GetObject on the object', () => {
    const before = statements(service().template);
    const after = statements(template);
    expect(after.filter((s) => !before.includes(s)).map((s) => JSON.parse(s))).toEqual([{
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-models/fraud/1.4.2/model.onnx']] },
    }]);
    expect(before.filter((s) => !after.includes(s))).toEqual([]);
  });

  test('the report names the model artifact, its digest and its verifier, read from the template; MOD-1 is enforced', () => {
    const entry = svc.complianceEntry();
    expect(entry.modelArtifact).toEqual({ source: 'uri', reference: 's3://acme-models/fraud/1.4.2/model.onnx', digest: MODEL_DIGEST, verifier: 'model-verifier' });
    const mod1 = entry.controls.find((c) => c.id === 'MOD-1')!;
    expect(mod1.status).toBe('enforced');
    expect(mod1.evidence.join('\n')).toContain(MODEL_DIGEST);
    expect(mod1.evidence.join('\n')).toMatch(/\(model-verifier\)\.Essential=false: runs the library's verifier script/);
    expect(app).toBeDefined();
  });

  test('cdk-nag AwsSolutions: no unsuppressed error on the construct', () => {
    expect(nagErrors(svc)).toEqual([]);
  });
});

describe('a verifier beside FireLens logging', () => {
  test('the verifier logs through awslogs into the workload\'s log group, like the router; LOG-1 and MOD-1 stay enforced', () => {
    const { template, svc } = service({
      modelArtifact: S3_FILE,
      logging: ecs.EcsLogging.fireLens({ outputOptions: { Name: 'kinesis_firehose', region: 'eu-central-1', delivery_stream: 'ml-logs' } }),
      waivers: [{ control: 'SEC-1', reason: 'the FireLens router runs as root (aws/containers-roadmap#2122)' }],
    });
    const [router, verifier] = [byName(template, 'log-router'), byName(template, 'model-verifier')];
    expect(byName(template, 'main').LogConfiguration.LogDriver).toBe('awsfirelens');
    expect(verifier.LogConfiguration).toMatchObject({ LogDriver: 'awslogs', Options: { 'awslogs-group': router.LogConfiguration.Options['awslogs-group'] } });
    const controls = Object.fromEntries(svc.complianceEntry().controls.map((c) => [c.id, c.status]));
    expect([controls['LOG-1'], controls['MOD-1']]).toEqual(['enforced', 'enforced']);
  });
});

describe('a directory (manifest) in S3', () => {
  const { template, svc } = service({ modelArtifact: S3_DIR });

  test('s3:GetObject on the prefix and s3:ListBucket limited to it; the wildcard is acknowledged with its reason', () => {
    const before = statements(service().template);
    const added = statements(template).filter((s) => !before.includes(s)).map((s) => JSON.parse(s));
    expect(added).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-models/fraud/1.4.2/*']] } },
      {
        Action: 's3:ListBucket',
        Effect: 'Allow',
        Condition: { StringLike: { 's3:prefix': ['fraud/1.4.2/*'] } },
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-models']] },
      },
    ]);
    expect(svc.complianceEntry().acknowledgedRules).toEqual(expect.arrayContaining([expect.objectContaining({
      rule: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-models/fraud/1.4.2/*]',
      reason: expect.stringMatching(/manifest digest pins which files/),
    })]));
    expect(nagErrors(svc)).toEqual([]);
  });

  test('kms:Decrypt only when a key is given, only through S3', () => {
    const plain = statements(template);
    expect(plain.some((s) => s.includes('kms:Decrypt'))).toBe(false);
    const app = new App();
    const stack = new Stack(app, 'Keyed', { env: ENV });
    const key = new kms.Key(stack, 'ModelKey', { enableKeyRotation: true });
    new ecs.CompliantModelService(stack, 'Scorer', { image: ImageReference.fromString(IMAGE), model: MODEL, modelArtifact: S3_DIR, artifactEncryptionKeys: [key] });
    const decrypt = statements(Template.fromStack(stack)).map((s) => JSON.parse(s)).filter((s) => s.Action === 'kms:Decrypt');
    expect(decrypt).toEqual([{
      Action: 'kms:Decrypt',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ModelKey/), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-central-1.amazonaws.com' } },
    }]);
  });
});

describe('a model from an OCI modelcar and over https', () => {
  test('OCI: the verifier runs the digest-pinned modelcar image itself; pull rights on its repository, no task-role permission', () => {
    const artifact = ModelArtifact.fromOci(ImageReference.fromString(MODELCAR));
    const { template, svc } = service({ modelArtifact: artifact });
    const verifier = byName(template, 'model-verifier');
    expect(verifier.Image).toBe(MODELCAR);
    expect(verifier.Command).toEqual([verifierScript(artifact, { root: '/cdk-compliant-ml/model-cache', name: 'model' })]);
    const added = statements(template).filter((s) => !statements(service().template).includes(s));
    expect(added.map((s) => JSON.parse(s))).toEqual([expect.objectContaining({
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-central-1:123456789012:repository/fraud-modelcar']] },
    })]);
    expect(svc.complianceEntry().modelArtifact).toEqual({ source: 'oci', reference: MODELCAR, digest: `sha256:${'c'.repeat(64)}`, verifier: 'model-verifier' });
  });

  test('artifactVerifierImage replaces the verifier image of URI artifacts (e.g. a mirror), never the modelcar of an OCI artifact', () => {
    const mirror = ImageReference.fromString(`123456789012.dkr.ecr.eu-central-1.amazonaws.com/mirror/aws-cli:2@sha256:${'e'.repeat(64)}`);
    expect(byName(service({ modelArtifact: S3_FILE, artifactVerifierImage: mirror }).template, 'model-verifier').Image).toBe(mirror.toString());
    const oci = ModelArtifact.fromOci(ImageReference.fromString(MODELCAR));
    expect(byName(service({ modelArtifact: oci, artifactVerifierImage: mirror }).template, 'model-verifier').Image).toBe(MODELCAR);
  });

  test('https: the curl verifier image and no new IAM statement', () => {
    const { template } = service({ modelArtifact: ModelArtifact.fromUri('https://models.example.com/fraud/1.4.2/', MODEL_DIGEST) });
    expect(byName(template, 'model-verifier').Image).toBe(CURL_IMAGE);
    expect(statements(template)).toEqual(statements(service().template));
  });
});

describe('model artifacts ECS refuses at construct time', () => {
  test('fails when the model is a PersistentVolumeClaim (Kubernetes only)', () => {
    expect(() => service({ modelArtifact: ModelArtifact.fromVolumeClaim('fraud-weights', MODEL_DIGEST) }))
      .toThrow(/Serving\/Scorer: invalid modelArtifact "fraud-weights": a PersistentVolumeClaim exists only on Kubernetes; use ModelArtifact.fromUri/);
  });

  test('fails when the model is in Google Cloud Storage, naming the ways that work', () => {
    expect(() => service({ modelArtifact: ModelArtifact.fromUri('gs://acme-models/fraud/model.onnx', MODEL_DIGEST) }))
      .toThrow(/Serving\/Scorer: invalid modelArtifact "gs:\/\/acme-models\/fraud\/model.onnx": gs:\/\/ needs Google Cloud credentials.*copy the files to S3/);
  });

  test('fails when model.uri names weights without a model artifact, unless MOD-1 is waived', () => {
    expect(() => service({ model: { ...MODEL, uri: 's3://acme-models/fraud/1.4.2/' } }))
      .toThrow(/invalid model.uri "s3:\/\/acme-models\/fraud\/1.4.2\/": names weights the server fetches .*\(control MOD-1\)/);
    const { svc } = service({ model: { ...MODEL, uri: 's3://acme-models/fraud/1.4.2/' }, waivers: [{ control: 'MOD-1', reason: 'the server verifies the weights itself' }] });
    expect(svc.complianceEntry().controls.find((c) => c.id === 'MOD-1')).toMatchObject({ status: 'waived' });
  });

  test('fails when model.digest differs from the artifact\'s digest', () => {
    expect(() => service({ model: { ...MODEL, digest: DIGEST }, modelArtifact: S3_FILE })).toThrow(/invalid model.digest .*differs from the digest of modelArtifact/);
  });

  test('fails when the task memory leaves the server less than a verifier\'s share', () => {
    expect(() => service({ cpu: 256, memoryLimitMiB: 512, modelArtifact: S3_FILE })).toThrow(/invalid memoryLimitMiB 512: leaves the main container 0 MiB/);
  });
});

describe('the default output without a model artifact is unchanged', () => {
  test('one container, no verifier volume, no MODEL_DIGEST, a writable model cache', () => {
    const { template } = service();
    expect(containers(template).map((c) => c.Name)).toEqual(['main']);
    expect(byName(template, 'main').MountPoints).toEqual([
      { SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false },
      { SourceVolume: 'model-cache', ContainerPath: '/models', ReadOnly: false },
    ]);
  });
});

describe('ecs.CompliantTrainingJob fine-tuning a verified base model with verified datasets', () => {
  const datasets = [
    DatasetArtifact.fromUri('s3://acme-datasets/sales/2026-11/', DATA_DIGEST),
    DatasetArtifact.fromUri('https://data.example.com/holidays.csv', DATA_DIGEST),
  ];
  const { template, train } = job({ modelArtifact: S3_DIR, datasetArtifacts: datasets });
  const main = byName(template, 'main');

  test('one verifier per input; the trainer depends on each with SUCCESS and mounts each volume read-only', () => {
    expect(containers(template).map((c) => [c.Name, c.Essential])).toEqual([
      ['main', true], ['model-verifier', false], ['dataset-verifier-0', false], ['dataset-verifier-1', false],
    ]);
    expect(main.DependsOn).toEqual(['model-verifier', 'dataset-verifier-0', 'dataset-verifier-1'].map((ContainerName) => ({ ContainerName, Condition: 'SUCCESS' })));
    expect(main.MountPoints.filter((m: any) => m.ReadOnly)).toEqual([
      { SourceVolume: 'model-cache', ContainerPath: '/models', ReadOnly: true },
      { SourceVolume: 'dataset-artifact-0', ContainerPath: '/datasets/0', ReadOnly: true },
      { SourceVolume: 'dataset-artifact-1', ContainerPath: '/datasets/1', ReadOnly: true },
    ]);
    const env = Object.fromEntries(main.Environment.map((e: any) => [e.Name, e.Value]));
    expect(env).toMatchObject({ MODEL_DIGEST, MODEL_DIR: '/models/model', DATASET_0_DIR: '/datasets/0/data', DATASET_1_DIGEST: DATA_DIGEST });
  });

  test('the state machine runs the same task definition, overriding only the trainer', () => {
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"Name\\":\\"main\\"');
    expect(definition).not.toContain('verifier');
  });

  test('the report lists the base model and both datasets from the template; MOD-1 enforced; no cdk-nag error', () => {
    const entry = train.complianceEntry();
    expect(entry.modelArtifact).toMatchObject({ reference: 's3://acme-models/fraud/1.4.2/', verifier: 'model-verifier' });
    expect(entry.datasetArtifacts).toEqual([
      { source: 'uri', reference: 's3://acme-datasets/sales/2026-11/', digest: DATA_DIGEST, verifier: 'dataset-verifier-0' },
      { source: 'uri', reference: 'https://data.example.com/holidays.csv', digest: DATA_DIGEST, verifier: 'dataset-verifier-1' },
    ]);
    expect(entry.controls.find((c) => c.id === 'MOD-1')?.status).toBe('enforced');
    expect(nagErrors(train)).toEqual([]);
  });
});
