import { CfnResource, Stack, Tags, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Acknowledged } from './acknowledgements';
import { TaskPlacement, resolvePlacement } from './capacity';
import { WORKLOAD_METADATA_KEY, evaluateEcsWorkload, imagesOf, inputsOf, templateAcknowledgedRules } from './checks/evaluate';
import { TemplateView } from './checks/template';
import { EcsDefaults } from './defaults';
import { EcsLogging } from './logging';
import { ECS_WORKLOAD_BRAND, installEcsReportHook, reportTemplates } from './report-hook';
import { TaskSpec, fargateMemoryOptions } from './task';
import { EcsWorkloadProps } from './workload-props';
import { applicableControlIds } from '../compliance/catalogue';
import { ControlScope } from '../compliance/control';
import { Backend, WorkloadReport } from '../compliance/report-model';
import { USER_ID_RANGE, refuseToken, requireScope } from '../core/bounds';
import { WorkloadDefaults } from '../core/defaults';
import { propError, requireInteger } from '../core/errors';
import { ImageReference } from '../core/image-reference';
import { waiverRecord } from '../core/output-waivers';
import { ModelMetadata } from '../core/provenance';
import { PROVENANCE_PREFIX, ProvenanceSubject, provenanceEntries } from '../core/provenance-keys';
import { validateImageScan } from '../core/scan-validation';
import { Waiver } from '../core/waiver';
import { validateWaiverList } from '../core/waiver-validation';

const USER = /^(\d+):(\d+)$/;

/**
 * What an ECS construct's report entry describes.
 *
 * @internal
 */
export interface EcsReportSubject {
  readonly kind: string;
  readonly taskDefinition: Construct;
  readonly service?: Construct;
  readonly model?: ModelMetadata;
}

/**
 * What the ECS constructs share: validation of the common props, placement, waivers, tags, docker labels, the cdk-nag
 * acknowledgements and the report entry computed from the synthesized template.
 *
 * @internal
 */
export abstract class EcsWorkloadBase extends Construct {
  /** The waivers in force (props plus the image's). */
  public readonly waivers: Waiver[];
  /** The image of the main container. */
  public readonly image: ImageReference;
  /** Where the tasks run. */
  public readonly placement: TaskPlacement;
  /** How logs leave the task. */
  public readonly logging: EcsLogging;
  /** @internal cdk-nag rules acknowledged on resources of this construct, with reasons. */
  public readonly _acknowledged: Acknowledged[] = [];
  /** The docker labels that record the image's vulnerability scan (REG-2); empty without `imageScan`. */
  private readonly scanLabels: Record<string, string>;

  protected constructor(scope: Construct, id: string, props: EcsWorkloadProps, workloadScope: ControlScope) {
    super(requireScope(scope, id, 'ecs', new.target.name), id);
    if (!(props.image instanceof ImageReference)) {
      throw propError(this, 'image', props.image, 'is not an ImageReference', 'use ImageReference.fromString(\'name:tag@sha256:<64 hex>\')');
    }
    this.image = props.image;
    const own = validateWaiverList(this, 'waivers', props.waivers, applicableControlIds(workloadScope));
    this.waivers = [...own, ...props.image.waivers.filter((w) => !own.some((o) => o.control === w.control))];
    this.scanLabels = validateImageScan(this, 'imageScan', props.imageScan, this.image, this.waivers);
    this.logging = props.logging ?? EcsLogging.awsLogs();
    this.checkLogging();
    const gpuCount = requireInteger(this, 'gpuCount', props.gpuCount ?? 0, 0, 16);
    this.placement = resolvePlacement(this, { ...props, gpuCount });
    installEcsReportHook(this);
  }

  /**
   * @internal Marks the construct for the app's report; subclasses call it last in their constructor, so a construct whose
   * constructor threw (and that a test caught) stays out of the report instead of breaking it.
   */
  public _reportReady(): void {
    const subject = this._reportSubject();
    this._recordMetadata(subject.taskDefinition, subject.kind);
    Object.defineProperty(this, ECS_WORKLOAD_BRAND, { value: true });
  }

  /** @internal What the report entry describes: the construct kind, its task definition, its service (if any) and model. */
  public abstract _reportSubject(): EcsReportSubject;

  /** @internal The logical IDs of the task definitions this construct reports (foreign-workload detection skips them). */
  public _claimedLogicalIds(): string[] {
    return [this._logicalId(this._reportSubject().taskDefinition)];
  }

  /** The report entry of this workload, evaluated from the synthesized template of its stack. */
  public complianceEntry(): WorkloadReport {
    const stack = Stack.of(this);
    return this._reportEntry(new TemplateView(reportTemplates(this.node.root)(stack)));
  }

  /** @internal The report entry evaluated from a template view of this construct's stack. */
  public _reportEntry(template: TemplateView): WorkloadReport {
    const subject = this._reportSubject();
    const taskDefinitionId = this._logicalId(subject.taskDefinition);
    const serviceId = subject.service ? this._logicalId(subject.service) : undefined;
    return {
      path: this.node.path,
      kind: subject.kind,
      backend: Backend.ECS,
      images: imagesOf(template, taskDefinitionId),
      model: subject.model ? { ...subject.model } : undefined,
      ...inputsOf(template, taskDefinitionId),
      controls: evaluateEcsWorkload(template, {
        taskDefinitionId,
        serviceId,
        scope: serviceId ? ControlScope.SERVICE : ControlScope.JOB,
        waivers: this.waivers,
        waiverSource: `construct ${this.node.path}`,
      }),
      // cdk-nag acknowledgements from the construct tree (cdk-nag reads them there); checkov's and cfn-lint's from the template
      acknowledgedRules: [...this._acknowledged.map((a) => ({ ...a })), ...templateAcknowledgedRules(template, this._ownResources())],
    };
  }

  /** @internal The CloudFormation resources below this construct in its stack, by logical ID, with the path of the L2 they are the default child of. */
  public _ownResources(): Array<{ logicalId: string; path: string }> {
    const stack = Stack.of(this);
    return this.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack).map((c) => ({
      logicalId: stack.resolve(c.logicalId),
      path: (c.node.scope && c.node.scope.node.defaultChild === c ? c.node.scope : c).node.path,
    }));
  }

  /** @internal Throws unless a waiver covers the control that relaxing `prop` breaks. */
  public _requireWaiver(control: string, prop: string, value: unknown, why: string): void {
    if (!this.waivers.some((w) => w.control === control)) {
      throw propError(this, prop, value, `${why} (control ${control})`, `keep the default, or add a waiver { control: '${control}', reason: '...' }`);
    }
  }

  /** @internal The task settings every ECS construct takes from the shared props unchanged. */
  public _sharedTaskSpec(props: EcsWorkloadProps): Pick<TaskSpec,
    'image' | 'repository' | 'placement' | 'ephemeralStorageGiB' | 'gpuCount' | 'user' | 'environment' | 'secrets' | 'logging'> {
    return {
      image: this.image,
      repository: props.repository,
      placement: this.placement,
      ephemeralStorageGiB: props.ephemeralStorageGiB,
      gpuCount: props.gpuCount ?? 0,
      user: this._user(props.user),
      environment: props.environment ?? {},
      secrets: props.secrets,
      logging: this.logging,
    };
  }

  /** @internal The validated `uid:gid` (SEC-1). */
  public _user(user: string | undefined): string {
    const value = user ?? EcsDefaults.USER;
    refuseToken(this, 'user', value, `a literal 'uid:gid', e.g. '${EcsDefaults.USER}'`);
    const m = USER.exec(value);
    const inRange = (id: string) => Number(id) >= USER_ID_RANGE.min && Number(id) <= USER_ID_RANGE.max;
    if (!m || !inRange(m[1]) || !inRange(m[2])) {
      throw propError(this, 'user', value, `must be a numeric uid:gid with both IDs in ${USER_ID_RANGE.min}..${USER_ID_RANGE.max} (SEC-1)`, `use '${EcsDefaults.USER}'`);
    }
    return value;
  }

  /** @internal The validated task size: Fargate pairs, or any positive size on EC2. */
  public _size(cpu: number, memoryMiB: number, ephemeralStorageGiB: number | undefined): void {
    requireInteger(this, 'cpu', cpu, 128, 196608);
    requireInteger(this, 'memoryLimitMiB', memoryMiB, 128, 983040);
    if (!this.placement.ec2) {
      const options = fargateMemoryOptions(cpu);
      if (options.length === 0) {
        throw propError(this, 'cpu', cpu, 'is not a Fargate CPU size', 'use 256, 512, 1024, 2048, 4096, 8192 or 16384');
      }
      if (!options.includes(memoryMiB)) {
        throw propError(this, 'memoryLimitMiB', memoryMiB, `is not valid with cpu ${cpu} on Fargate`, `use one of ${options.join(', ')}`);
      }
    }
    if (ephemeralStorageGiB !== undefined) {
      if (this.placement.ec2) {
        throw propError(this, 'ephemeralStorageGiB', ephemeralStorageGiB, 'applies to Fargate only', 'size the EC2 instances\' volumes instead');
      }
      requireInteger(this, 'ephemeralStorageGiB', ephemeralStorageGiB, 21, EcsDefaults.MAX_EPHEMERAL_STORAGE_GIB);
    }
  }

  /** @internal Docker labels with the OCI keys, the model/dataset provenance and the image's scan (IMG-4, META-2, REG-2). */
  public _dockerLabels(subject: Omit<ProvenanceSubject, 'image'>): Record<string, string> {
    return provenanceEntries({ ...subject, image: this.image, extra: { ...this.scanLabels, ...subject.extra } },
      (suffix) => `org.opencontainers.image.${suffix}`);
  }

  /** @internal Tags with the recommended keys (META-1) on every taggable resource of the construct. */
  public _tag(model: ModelMetadata | undefined, component: string, partOf: string | undefined): void {
    const tags: Record<string, string | undefined> = {
      'app.kubernetes.io/name': model?.name ?? this.image.repository.split('/').pop(),
      'app.kubernetes.io/instance': this.node.path,
      'app.kubernetes.io/version': model?.version ?? this.image.tag ?? this.image.digest?.slice(0, 19),
      'app.kubernetes.io/component': component,
      'app.kubernetes.io/part-of': partOf,
      'app.kubernetes.io/managed-by': 'cdk-compliant-ml',
      [`${PROVENANCE_PREFIX}/image-digest`]: this.image.digest,
    };
    for (const [key, value] of Object.entries(tags)) {
      if (value !== undefined && !Token.isUnresolved(value)) {
        Tags.of(this).add(key, value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '-').slice(0, 256));
      }
    }
  }

  /** @internal Records the kind and waivers on the task definition's template metadata (read by the policy plugin and the CLI). */
  public _recordMetadata(taskDefinition: Construct, kind: string): void {
    (taskDefinition.node.defaultChild as CfnResource).addMetadata(WORKLOAD_METADATA_KEY, {
      kind,
      waivers: this.waivers.map(waiverRecord),
    });
  }

  /** @internal The logical ID of a resource of this construct in its stack's template. */
  public _logicalId(resource: Construct): string {
    const stack = Stack.of(this);
    return stack.resolve((resource.node.defaultChild as CfnResource).logicalId);
  }

  private checkLogging(): void {
    const days = this.logging.retentionDays;
    if (days > 0 && days < WorkloadDefaults.LOG_RETENTION_FLOOR_DAYS) {
      this._requireWaiver('LOG-2', 'logging.retention', days,
        `keeps logs less than six months (${WorkloadDefaults.LOG_RETENTION_FLOOR_DAYS} days), the floor of AI Act Art. 19(1)/26(6)`);
    }
    if (this.logging.fireLensRouting) {
      this._requireWaiver('SEC-1', 'logging', 'EcsLogging.fireLens(...)',
        'needs the FireLens router to run as root (aws/containers-roadmap#2122)');
    }
  }
}
