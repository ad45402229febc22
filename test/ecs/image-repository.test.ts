import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ControlStatus } from '../../src/compliance';
import { ImageReference, ScanReport, VulnerabilitySeverity } from '../../src/core';
import * as ecs from '../../src/ecs';
import { nagErrors } from '../support/nag';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'scans');
const DIGEST = 'sha256:d55b94091715a89ff121d2efdac859d017094e8cadc58efb12a6d432f232fd76';
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const trivy = (name = 'trivy-clean.json') => ScanReport.fromTrivyJsonFile(path.join(FIXTURES, name));
const grype = (name = 'grype-clean.json') => ScanReport.fromGrypeJsonFile(path.join(FIXTURES, name));

function build(props: ecs.CompliantImageRepositoryProps = {}) {
  const app = new App();
  const stack = new Stack(app, 'Registry');
  const repo = new ecs.CompliantImageRepository(stack, 'Images', props);
  return { app, stack, repo, template: Template.fromStack(stack) };
}

function lifecycle(template: Template): any {
  const r = Object.values(template.findResources('AWS::ECR::Repository'))[0];
  return JSON.parse(r.Properties.LifecyclePolicy.LifecyclePolicyText);
}

describe('ecs.CompliantImageRepository', () => {
  test('immutable tags, scan on push, KMS encryption with a rotating key, retained on delete', () => {
    const { template } = build();
    template.hasResource('AWS::ECR::Repository', {
      Properties: Match.objectLike({
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
        EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('ImagesKey'), 'Arn'] } },
      }),
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 0);
  });

  test('lifecycle: protected prefixes first (one rule each, as ECR ANDs the prefixes of one rule), then keep the last N', () => {
    expect(lifecycle(build().template).rules).toEqual([
      {
        rulePriority: 1,
        description: 'Never expire images tagged release-* (deployed or released digests)',
        selection: { tagStatus: 'tagged', tagPrefixList: ['release-'], countType: 'imageCountMoreThan', countNumber: 100000 },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: 'Keep the last 100 images',
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 },
        action: { type: 'expire' },
      },
    ]);
    const rules = lifecycle(build({ protectedTagPrefixes: ['release-', 'prod-'], maxImageCount: 250 }).template).rules;
    expect(rules.map((r: any) => [r.rulePriority, r.selection.tagPrefixList ?? r.selection.tagStatus, r.selection.countNumber]))
      .toEqual([[1, ['release-'], 100000], [2, ['prod-'], 100000], [3, 'any', 250]]);
  });

  test('a given key is used instead of a new one', () => {
    const app = new App();
    const stack = new Stack(app, 'Registry');
    const key = new kms.Key(stack, 'Shared', { enableKeyRotation: true });
    const repo = new ecs.CompliantImageRepository(stack, 'Images', { encryptionKey: key, repositoryName: 'acme/fraud-scorer' });
    expect(repo.encryptionKey).toBe(key);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'acme/fraud-scorer' });
  });

  test('continuousScanning creates the (account/region singleton) ENHANCED registry scanning configuration for this repository', () => {
    const { template } = build({ continuousScanning: true });
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [{ ScanFrequency: 'CONTINUOUS_SCAN', RepositoryFilters: [{ Filter: { Ref: Match.stringLikeRegexp('ImagesRepository') }, FilterType: 'WILDCARD' }] }],
    });
  });

  test('cdk-nag AwsSolutions finds nothing', () => {
    const { app } = build({ continuousScanning: true });
    expect(nagErrors(app)).toEqual([]);
  });

  test.each([
    [{ maxImageCount: 0 }, /maxImageCount 0: must be an integer in 1\.\.99999/],
    [{ maxImageCount: 1.5 }, /maxImageCount 1\.5/],
    [{ protectedTagPrefixes: ['release-', ''] }, /protectedTagPrefixes\[1\] "": is not the start of a valid tag/],
    [{ protectedTagPrefixes: ['-x'] }, /protectedTagPrefixes\[0\] "-x"/],
    [{ protectedTagPrefixes: ['a', 'a'] }, /lists a prefix twice/],
  ])('bad props %j are refused', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('imageReference(digest) pins the repository URI by digest and refuses a bad digest', () => {
    const { repo } = build();
    const ref = repo.imageReference(DIGEST);
    expect(ref).toBeInstanceOf(ImageReference);
    expect(ref.digest).toBe(DIGEST);
    expect(() => repo.imageReference('sha256:abc')).toThrow(/is not sha256:<64 lowercase hex>/);
  });
});

describe('ecs.CompliantModelService with an image from a CompliantImageRepository', () => {
  function service(repoProps: ecs.CompliantImageRepositoryProps = {}, svcProps: Partial<ecs.CompliantModelServiceProps> = {}) {
    const app = new App();
    const stack = new Stack(app, 'Serving');
    const repo = new ecs.CompliantImageRepository(stack, 'Images', repoProps);
    const svc = new ecs.CompliantModelService(stack, 'Scorer', { image: repo.imageReference(DIGEST), repository: repo.repository, model: MODEL, ...svcProps });
    const status = (id: string) => svc.complianceEntry().controls.find((c) => c.id === id)!;
    return { app, stack, svc, status, template: Template.fromStack(stack) };
  }

  test('REG-1 and REG-2 are enforced, with the repository settings as evidence (basic scanning noted)', () => {
    const { status } = service();
    expect(status('REG-1').status).toBe(ControlStatus.ENFORCED);
    expect(status('REG-1').evidence).toEqual([expect.stringMatching(/^Repository ImagesRepository\w+ ImageTagMutability="IMMUTABLE"$/)]);
    expect(status('REG-2').status).toBe(ControlStatus.ENFORCED);
    expect(status('REG-2').evidence).toEqual([expect.stringMatching(/ImageScanningConfiguration\.ScanOnPush=true \(basic scanning on push only; AWS recommends/)]);
  });

  test('with continuous scanning REG-2 also names the ENHANCED configuration; pulls are granted on this repository; nag clean', () => {
    const { app, status, template } = service({ continuousScanning: true });
    expect(status('REG-2').evidence[0]).toMatch(/^RegistryScanningConfiguration ScanType=ENHANCED/);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['ecr:BatchGetImage']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('ImagesRepository'), 'Arn'] },
        })]),
      },
    });
    expect(nagErrors(app)).toEqual([]);
  });

  test('imageScan: docker labels record the scans and REG-2 cites them', () => {
    const { status, template } = service({}, { imageScan: { reports: [trivy(), grype()] } });
    const td = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
    const labels = td.Properties.ContainerDefinitions[0].DockerLabels;
    expect(labels).toMatchObject({
      'scan.compliance.cdk-compliant-ml.io/scanner': 'trivy 0.69.0',
      'scan.compliance.cdk-compliant-ml.io/digest': DIGEST,
      'scan.compliance.cdk-compliant-ml.io/critical': '0',
      'scan.compliance.cdk-compliant-ml.io/high': '1',
      'scan-1.compliance.cdk-compliant-ml.io/scanner': 'grype 0.87.0',
      'compliance.cdk-compliant-ml.io/image-digest': DIGEST,
    });
    expect(status('REG-2').status).toBe(ControlStatus.ENFORCED);
    expect(status('REG-2').evidence).toContain(
      'TaskDefinition ' + Object.keys(template.findResources('AWS::ECS::TaskDefinition'))[0]
      + ' ContainerDefinitions[0].DockerLabels["scan.compliance.cdk-compliant-ml.io/critical"]="0"');
  });

  test('imageScan on a third-party image: REG-2 enforced from the scan alone, REG-1 still external', () => {
    const app = new App();
    const stack = new Stack(app, 'Serving');
    const svc = new ecs.CompliantModelService(stack, 'Scorer', {
      image: ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@${DIGEST}`), model: MODEL, imageScan: { reports: [trivy()] },
    });
    const controls = svc.complianceEntry().controls;
    expect(controls.find((c) => c.id === 'REG-2')!.status).toBe(ControlStatus.ENFORCED);
    expect(controls.find((c) => c.id === 'REG-1')!.status).toBe(ControlStatus.EXTERNAL);
  });

  test('a scan of another digest is refused with both digests and the file', () => {
    expect(() => service({}, { imageScan: { reports: [trivy('trivy-other-digest.json')] } }))
      .toThrow(/Serving\/Scorer: invalid imageScan\.reports\[0\] "trivy-other-digest\.json": is a trivy report for sha256:23770fe9\w+ .*not for the workload's image digest sha256:d55b94/);
  });

  test('findings above the threshold fail synthesis; a REG-2 waiver records them and REG-2 becomes waived', () => {
    expect(() => service({}, { imageScan: { reports: [grype('grype-critical.json')] } }))
      .toThrow(/"grype-critical\.json": finds 1 vulnerabilities at or above CRITICAL .*CRITICAL=1 HIGH=1.*control REG-2/);
    const { status, template } = service({}, {
      imageScan: { reports: [grype('grype-critical.json')] },
      waivers: [{ control: 'REG-2', reason: 'CVE-2024-0006: no fixed expat in the base image yet; ticket SEC-123' }],
    });
    const td = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
    expect(td.Properties.ContainerDefinitions[0].DockerLabels['scan.compliance.cdk-compliant-ml.io/critical']).toBe('1');
    expect(status('REG-2').status).toBe(ControlStatus.WAIVED);
    expect(status('REG-2').evidence).toContain('1 findings at or above CRITICAL, 0 allowed');
  });

  test('a stricter threshold also applies to training jobs', () => {
    const app = new App();
    const stack = new Stack(app, 'Training');
    expect(() => new ecs.CompliantTrainingJob(stack, 'Train', {
      image: ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@${DIGEST}`),
      imageScan: { reports: [trivy()], failOn: VulnerabilitySeverity.HIGH },
    })).toThrow(/Training\/Train: invalid imageScan\.reports\[0\] "trivy-clean\.json": finds 1 vulnerabilities at or above HIGH/);
  });
});
