import { Aspects, Stack } from 'aws-cdk-lib';
import { DIGEST, EditEveryTaskDefinition, MODEL, cfnTaskDefinition, compliantService, controlsOf, expectBroken, handEdited } from './support';
import { ControlStatus } from '../../../src/compliance';
import { ImageReference } from '../../../src/core';
import * as ecs from '../../../src/ecs';

const { VIOLATED, UNVERIFIED, EXTERNAL, ENFORCED } = ControlStatus;
const OCI = 'org.opencontainers.image';

describe('IMG-1: every image is pinned by a literal digest', () => {
  test('compliant: our image, a token repository name with a literal digest', () => {
    expect(controlsOf(compliantService().service)['IMG-1'].status).toBe(ENFORCED);
  });
  test('fails when an escape hatch replaces the image by a tag', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyOverride('ContainerDefinitions.0.Image', 'ghcr.io/acme/x:1.4.2'));
    expectBroken(controlsOf(service)['IMG-1'], VIOLATED, /ContainerDefinitions\[0\]\.Image="ghcr\.io\/acme\/x:1\.4\.2"/);
  });
  test('fails when an Aspect unpins every task definition', () => {
    const { service } = compliantService((_s, stack) => Aspects.of(stack).add(new EditEveryTaskDefinition((td) => td.addPropertyOverride('ContainerDefinitions.0.Image', 'nginx'))));
    expectBroken(controlsOf(service)['IMG-1'], VIOLATED, /Image="nginx"/);
  });
  test.each<[string, unknown, ControlStatus]>([
    ['a truncated digest', 'ghcr.io/acme/x@sha256:abc', VIOLATED],
    ['an image from a parameter', { Ref: 'ImageParameter' }, UNVERIFIED],
    ['a digest from a parameter', { 'Fn::Join': ['', ['ghcr.io/acme/x@', { Ref: 'Digest' }]] }, UNVERIFIED],
    ['an image ending in an import', { 'Fn::Join': ['', ['ghcr.io/acme/x', { 'Fn::ImportValue': 'suffix' }]] }, UNVERIFIED],
  ])('fails when a hand-edited template has %s', (_name, image, status) => {
    expectBroken(handEdited('service', (t) => { t.main.Image = image; })['IMG-1'], status, /ContainerDefinitions\[0\]\.Image=/);
  });
  test('fails when a hand-edited template adds an unpinned sidecar', () => {
    const controls = handEdited('service', (t) => t.taskDefinition.ContainerDefinitions.push({ Name: 'sidecar', Image: 'envoyproxy/envoy:v1.30' }));
    expectBroken(controls['IMG-1'], VIOLATED, /ContainerDefinitions\[1\]\.Image="envoyproxy\/envoy:v1\.30"/);
  });
});

describe('IMG-2: no latest and no untagged, undigested reference', () => {
  test('fails when an escape hatch sets :latest', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyOverride('ContainerDefinitions.0.Image', 'ghcr.io/acme/x:latest'));
    expectBroken(controlsOf(service)['IMG-2'], VIOLATED, /Image="ghcr\.io\/acme\/x:latest"/);
  });
  test('fails when an Aspect writes latest even beside a digest', () => {
    const { service } = compliantService((_s, stack) => Aspects.of(stack).add(new EditEveryTaskDefinition((td) =>
      td.addPropertyOverride('ContainerDefinitions.0.Image', `ghcr.io/acme/x:latest@${DIGEST}`))));
    expectBroken(controlsOf(service)['IMG-2'], VIOLATED, /:latest@sha256/);
  });
  test.each<[string, unknown, ControlStatus]>([
    ['neither tag nor digest', 'ghcr.io/acme/x', VIOLATED],
    ['a registry port but no tag', 'registry.local:5000/acme/x', VIOLATED],
    ['a tag from a parameter', { 'Fn::Join': ['', ['ghcr.io/acme/x:', { Ref: 'Tag' }]] }, UNVERIFIED],
    ['an image that is an import', { 'Fn::ImportValue': 'image' }, UNVERIFIED],
  ])('fails when a hand-edited template has %s', (_name, image, status) => {
    expectBroken(handEdited('service', (t) => { t.main.Image = image; })['IMG-2'], status, /ContainerDefinitions\[0\]\.Image=/);
  });
});

describe('IMG-3: the image is pulled on every start (Fargate), else the agent setting decides', () => {
  test.each<[string, (t: import('./support').EditableTemplate) => void]>([
    ['the task definition is EC2-only', (t) => { t.taskDefinition.RequiresCompatibilities = ['EC2']; }],
    ['the service runs it with the EC2 launch type', (t) => { t.taskDefinition.RequiresCompatibilities = ['EC2', 'FARGATE']; t.service.LaunchType = 'EC2'; }],
    ['the service names an EC2 capacity provider', (t) => {
      t.taskDefinition.RequiresCompatibilities = ['EC2', 'FARGATE']; delete t.service.LaunchType;
      t.service.CapacityProviderStrategy = [{ CapacityProvider: 'gpu-capacity', Weight: 1 }];
    }],
    ['the compatibilities allow EC2 and the cluster default decides', (t) => { t.taskDefinition.RequiresCompatibilities = ['EC2', 'FARGATE']; delete t.service.LaunchType; }],
    ['the compatibilities are an intrinsic', (t) => { t.taskDefinition.RequiresCompatibilities = { Ref: 'Compat' }; }],
  ])('leaves runtime-managed when %s', (_name, edit) => {
    expectBroken(handEdited('service', edit)['IMG-3'], EXTERNAL, /ECS_IMAGE_PULL_BEHAVIOR/);
  });
});

describe('IMG-4: the four OCI keys source, revision, version and created are docker labels with valid values', () => {
  test('compliant evidence names all four keys', () => {
    const evidence = controlsOf(compliantService().service)['IMG-4'].evidence.join('\n');
    for (const key of ['source', 'revision', 'version', 'created']) {
      expect(evidence).toContain(`DockerLabels["${OCI}.${key}"]`);
    }
  });
  test('is external naming the missing keys when the user gives only source and revision', () => {
    const stack = new Stack();
    const service = new ecs.CompliantModelService(stack, 'Scorer', {
      image: ImageReference.fromString(`ghcr.io/acme/x:1@${DIGEST}`),
      model: MODEL,
      imageProvenance: { source: 'https://github.com/acme/x', revision: 'abcdef1' },
    });
    expectBroken(controlsOf(service)['IMG-4'], EXTERNAL, new RegExp(`DockerLabels\\["${OCI}\\.version"\\] is not set[^\\n]*\\n.*DockerLabels\\["${OCI}\\.created"\\] is not set`));
  });
  test.each<[string, string, unknown, ControlStatus, RegExp]>([
    ['the version is removed', 'version', undefined, EXTERNAL, /image\.version"\] is not set: the image's own labels/],
    ['the revision is a branch name', 'revision', 'main', VIOLATED, /image\.revision"\]="main" is malformed/],
    ['created is not RFC 3339', 'created', '14 Sep 2026', VIOLATED, /image\.created"\]="14 Sep 2026" is malformed/],
    ['the source is a parameter', 'source', { Ref: 'Source' }, UNVERIFIED, /image\.source"\]=\$\{Source\}/],
    ['the source is not a URL', 'source', 'acme fraud scorer', VIOLATED, /image\.source"\]="acme fraud scorer" is malformed/],
  ])('fails when %s', (_name, key, value, status, evidence) => {
    const controls = handEdited('service', (t) => {
      if (value === undefined) {
        delete t.main.DockerLabels[`${OCI}.${key}`];
      } else {
        t.main.DockerLabels[`${OCI}.${key}`] = value;
      }
    });
    expectBroken(controls['IMG-4'], status, evidence);
  });
});

describe('META-1: recommended keys as tags, propagated by the service', () => {
  test('fails when an escape hatch empties the task definition tags', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyOverride('Tags', []));
    expectBroken(controlsOf(service)['META-1'], VIOLATED, /Tags\["app\.kubernetes\.io\/name"\] is not set/);
  });
  test.each<[string, (t: import('./support').EditableTemplate) => void, ControlStatus, RegExp]>([
    ['the version tag is removed', (t) => { t.taskDefinition.Tags = t.taskDefinition.Tags.filter((x: { Key: string }) => x.Key !== 'app.kubernetes.io/version'); }, VIOLATED, /version"\] is not set/],
    ['the service stops propagating tags', (t) => { delete t.service.PropagateTags; }, VIOLATED, /PropagateTags is not set/],
    ['a tag value is a parameter', (t) => { t.taskDefinition.Tags.find((x: { Key: string }) => x.Key === 'app.kubernetes.io/name').Value = { Ref: 'Name' }; }, UNVERIFIED, /name"\]=\$\{Name\}/],
    ['the tag list is an Fn::If', (t) => { t.taskDefinition.Tags = { 'Fn::If': ['Prod', [], []] }; }, UNVERIFIED, /Tags=\$\{Fn::If\}/],
    ['the component tag is empty', (t) => { t.taskDefinition.Tags.find((x: { Key: string }) => x.Key === 'app.kubernetes.io/component').Value = ''; }, VIOLATED, /component"\]=""/],
  ])('fails when %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['META-1'], status, evidence);
  });
});

describe('META-2: the model name and version (not latest) and a valid digest are docker labels', () => {
  const label = (field: string) => `model.compliance.cdk-compliant-ml.io/${field}`;
  test('fails when an escape hatch drops every docker label', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyDeletionOverride('ContainerDefinitions.0.DockerLabels'));
    expectBroken(controlsOf(service)['META-2'], VIOLATED, /DockerLabels\["model\.\*\/name"\] is not set/);
  });
  test.each<[string, (labels: Record<string, unknown>) => void, ControlStatus, RegExp]>([
    ['the version is latest', (l) => { l[label('version')] = 'latest'; }, VIOLATED, /version"\]="latest": a moving version/],
    ['the version is removed', (l) => { delete l[label('version')]; }, VIOLATED, /model\.\*\/version"\] is not set/],
    ['the digest is malformed', (l) => { l[label('digest')] = 'sha256:123'; }, VIOLATED, /digest"\]="sha256:123" is not a registered digest/],
    ['the version is a parameter', (l) => { l[label('version')] = { Ref: 'Version' }; }, UNVERIFIED, /version"\]=\$\{Version\}/],
  ])('fails when %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', (t) => edit(t.main.DockerLabels))['META-2'], status, evidence);
  });
});

describe('RES-1: task CPU and memory, or per-container CPU and memory', () => {
  test('fails when an escape hatch deletes the task CPU (the container sets none)', () => {
    const { service } = compliantService((s) => cfnTaskDefinition(s).addPropertyDeletionOverride('Cpu'));
    expectBroken(controlsOf(service)['RES-1'], VIOLATED, /ContainerDefinitions\[0\]\.Cpu is not set/);
  });
  test.each<[string, (t: import('./support').EditableTemplate) => void, ControlStatus, RegExp]>([
    ['memory is zero', (t) => { t.taskDefinition.Memory = '0'; }, VIOLATED, /ContainerDefinitions\[0\]\.Cpu is not set/],
    ['cpu is a parameter', (t) => { t.taskDefinition.Cpu = { Ref: 'Cpu' }; }, UNVERIFIED, /Cpu=\$\{Cpu\}/],
    ['task sizes are removed and the container has memory only', (t) => { delete t.taskDefinition.Cpu; delete t.taskDefinition.Memory; }, VIOLATED, /Cpu is not set/],
    ['the container memory is a parameter without task sizes', (t) => {
      delete t.taskDefinition.Cpu; delete t.taskDefinition.Memory; t.main.Cpu = 1024; t.main.Memory = { Ref: 'Mem' };
    }, UNVERIFIED, /ContainerDefinitions\[0\]\.Memory=\$\{Mem\}/],
  ])('fails when %s', (_name, edit, status, evidence) => {
    expectBroken(handEdited('service', edit)['RES-1'], status, evidence);
  });
});
