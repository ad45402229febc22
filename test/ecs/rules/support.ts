/* eslint-disable @typescript-eslint/no-explicit-any */
import { App, IAspect, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as awsecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { ControlResult, ControlStatus } from '../../../src/compliance';
import { ImageReference } from '../../../src/core';
import * as ecs from '../../../src/ecs';
import { templateWorkloads, throwTemplateProblem } from '../../../src/ecs/checks/evaluate';
import { CfnTemplate, TemplateView } from '../../../src/ecs/checks/template';

export const DIGEST = `sha256:${'a'.repeat(64)}`;
export const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
export const IMAGE_PROVENANCE = {
  source: 'https://github.com/acme/fraud-scorer',
  revision: '6e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f',
  version: '1.4.2',
  created: '2026-09-14T12:00:00Z',
};

/** A stack with an immutable ECR repository and ENHANCED registry scanning, so REG-1/REG-2 start enforced. */
function baseStack(): { app: App; stack: Stack; image: ImageReference; repository: ecr.Repository } {
  const app = new App();
  const stack = new Stack(app, 'Serving', { env: { account: '123456789012', region: 'eu-central-1' } });
  const repository = new ecr.Repository(stack, 'Repo', { imageTagMutability: ecr.TagMutability.IMMUTABLE });
  new ecr.CfnRegistryScanningConfiguration(stack, 'Scanning', {
    scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
  });
  return { app, stack, image: ImageReference.fromNameAndDigest(repository.repositoryUri, DIGEST), repository };
}

/** Our compliant model service (optionally changed by `mutate` before synthesis). */
export function compliantService(mutate?: (service: ecs.CompliantModelService, stack: Stack) => void,
  props?: (stack: Stack) => Partial<ecs.CompliantModelServiceProps>) {
  const { app, stack, image, repository } = baseStack();
  const service = new ecs.CompliantModelService(stack, 'Scorer', { image, repository, model: MODEL, imageProvenance: IMAGE_PROVENANCE, ...props?.(stack) });
  mutate?.(service, stack);
  return { app, stack, service };
}

/** Our compliant training job (optionally changed by `mutate` before synthesis). */
export function compliantJob(mutate?: (job: ecs.CompliantTrainingJob, stack: Stack) => void) {
  const { app, stack, image, repository } = baseStack();
  const job = new ecs.CompliantTrainingJob(stack, 'Train', { image, repository, model: MODEL, imageProvenance: IMAGE_PROVENANCE });
  mutate?.(job, stack);
  return { app, stack, job };
}

/** The controls of a construct's report entry by ID. */
export function controlsOf(construct: ecs.CompliantModelService | ecs.CompliantTrainingJob): Record<string, ControlResult> {
  return Object.fromEntries(construct.complianceEntry().controls.map((c) => [c.id, c]));
}

/** The task definition's L1 of a construct. */
export const cfnTaskDefinition = (construct: { taskDefinition: awsecs.TaskDefinition }) =>
  construct.taskDefinition.node.defaultChild as awsecs.CfnTaskDefinition;

/** An Aspect that calls `edit` on every CfnTaskDefinition of the app. */
export class EditEveryTaskDefinition implements IAspect {
  constructor(private readonly edit: (taskDefinition: awsecs.CfnTaskDefinition) => void) {}
  public visit(node: IConstruct): void {
    if (node instanceof awsecs.CfnTaskDefinition) {
      this.edit(node);
    }
  }
}

let serviceTemplate: CfnTemplate | undefined;
let jobTemplate: CfnTemplate | undefined;

/** A hand-editable template: a deep copy of our synthesized output with helpers to reach its parts. */
export class EditableTemplate {
  constructor(public readonly template: CfnTemplate) {}
  public idOf(type: string): string {
    return Object.keys(this.template.Resources!).find((id) => this.template.Resources![id].Type === type)!;
  }
  public props(type: string): Record<string, any> {
    return this.template.Resources![this.idOf(type)].Properties!;
  }
  public get taskDefinition(): Record<string, any> {
    return this.props('AWS::ECS::TaskDefinition');
  }
  public get main(): Record<string, any> {
    return this.taskDefinition.ContainerDefinitions[0];
  }
  public get service(): Record<string, any> {
    return this.props('AWS::ECS::Service');
  }
  public add(id: string, resource: Record<string, any>): void {
    this.template.Resources![id] = resource as any;
  }
  public resourcesOf(type: string): Array<[string, Record<string, any>]> {
    return Object.entries(this.template.Resources!).filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties ?? {}]);
  }
}

/** Evaluates our service's (or job's) template after a hand edit, through the checker the CLI uses (templateWorkloads). */
export function handEdited(kind: 'service' | 'job', edit: (template: EditableTemplate) => void): Record<string, ControlResult> {
  if (kind === 'service' && !serviceTemplate) {
    const { app, stack } = compliantService();
    serviceTemplate = app.synth().getStackArtifact(stack.artifactId).template;
  }
  if (kind === 'job' && !jobTemplate) {
    const { app, stack } = compliantJob();
    jobTemplate = app.synth().getStackArtifact(stack.artifactId).template;
  }
  const copy = JSON.parse(JSON.stringify(kind === 'service' ? serviceTemplate : jobTemplate));
  edit(new EditableTemplate(copy));
  const workloads = templateWorkloads(new TemplateView(copy), new Set(), (id) => id, throwTemplateProblem);
  const ours = workloads.find((w) => w.kind === (kind === 'service' ? 'CompliantModelService' : 'CompliantTrainingJob'))!;
  return Object.fromEntries(ours.controls.map((c) => [c.id, c]));
}

/** Asserts that a control left `enforced` (violated, or unverified where the output cannot say) with evidence naming the field. */
export function expectBroken(control: ControlResult, status: ControlStatus, evidence: RegExp): void {
  expect({ id: control.id, status: control.status }).toEqual({ id: control.id, status });
  expect(control.evidence.join('\n')).toMatch(evidence);
}
