import { DatasetMetadata, ModelMetadata } from '../core/provenance';
import { Waiver } from '../core/waiver';

/**
 * How a control stands for one workload.
 */
export enum ControlStatus {
  /** The synthesized output shows the control. */
  ENFORCED = 'enforced',
  /** The backend's closest mechanism meets the intent (e.g. ECS minimum healthy percent for a PodDisruptionBudget). */
  EQUIVALENT = 'equivalent',
  /** The platform enforces it and offers no setting (e.g. Fargate's seccomp profile). */
  RUNTIME_MANAGED = 'runtime-managed',
  /** It depends on cluster, registry or account settings the construct cannot see. */
  EXTERNAL = 'external',
  /** Deliberately relaxed by a waiver, whose reason and expiry are recorded. */
  WAIVED = 'waived',
  /** The control does not apply to this kind of workload. */
  NOT_APPLICABLE = 'not-applicable',
  /**
   * The output cannot prove the control either way: an intrinsic function, a token, an object the checker cannot read or a
   * peer it cannot see. Never counted as met: `enforce` mode and `check --enforce` fail on it.
   */
  UNVERIFIED = 'unverified',
  /** The output breaks the control and no waiver covers it (foreign workloads, and our output changed by escape hatches). */
  VIOLATED = 'violated',
}

/**
 * Which backend rendered a workload.
 */
export enum Backend {
  /** Kubernetes manifests (cdk8s). */
  KUBERNETES = 'kubernetes',
  /** Amazon ECS CloudFormation (aws-cdk-lib). */
  ECS = 'ecs',
  /** A container image build (a Dockerfile read by `cdk-compliant-ml check`). */
  IMAGE = 'image',
}

/**
 * The result of one control for one workload.
 */
export interface ControlResult {
  /**
   * The control ID, e.g. `SEC-1`.
   */
  readonly id: string;

  /**
   * How the control stands.
   */
  readonly status: ControlStatus;

  /**
   * The AI Act articles of the control (from the catalogue).
   */
  readonly articles: string[];

  /**
   * What the synthesized output shows: each entry names the object, the field path and the observed value.
   */
  readonly evidence: string[];

  /**
   * The waiver that relaxes the control, when the status is `waived`.
   *
   * @default - not waived
   */
  readonly waiver?: Waiver;

  /**
   * Where the waiver came from, when the status is `waived`: `construct <path>` (a waiver given in code), `manifest annotation
   * at FILE:LINE`, `template metadata of <logical id>` or `Dockerfile comment at FILE:LINE`.
   *
   * @default - not waived
   */
  readonly waiverSource?: string;
}

/**
 * An object that may hold a workload but could not be evaluated (a custom resource whose pod template the checker cannot find,
 * a template it cannot read): listed in the report so that nothing is silently skipped.
 */
export interface NotEvaluatedObject {
  /**
   * The construct path, or `<file>#<kind>/<name>` for an input of `cdk-compliant-ml check`.
   */
  readonly path: string;

  /**
   * The object's kind (Kubernetes `kind`, CloudFormation resource type).
   */
  readonly kind: string;

  /**
   * Why it was not evaluated, and what to do about it.
   */
  readonly reason: string;
}

/**
 * A rule of an external checker (cdk-nag, checkov, cfn-lint) acknowledged on a resource of a workload, with the written reason.
 */
export interface AcknowledgedRule {
  /**
   * The rule, e.g. `AwsSolutions-ECS2`, `AwsSolutions-IAM5[Resource::*]`, `checkov:CKV_AWS_18` or `cfn-lint:W3005`.
   */
  readonly rule: string;

  /**
   * Why the finding does not apply or is accepted.
   */
  readonly reason: string;

  /**
   * The construct path of the resource the rule is acknowledged on (for an input of `cdk-compliant-ml check`, its
   * `<file>#<logical id>`, `<file>#<kind>/<name>` or Dockerfile).
   */
  readonly path: string;
}

/**
 * A pinned input of a workload (the model weights, a dataset) as the output shows it (control MOD-1).
 */
export interface ArtifactReport {
  /**
   * Where the artifact comes from: `oci` (an OCI artifact or modelcar image), `uri` (`s3://`, `gs://`, `https://`) or
   * `volume-claim` (a Kubernetes PersistentVolumeClaim).
   */
  readonly source: string;

  /**
   * The OCI reference, the URI or the claim name, as written in the output.
   */
  readonly reference: string;

  /**
   * The pinned digest, `sha256:<64 hex>` (of the file, of the manifest of files, or of the OCI manifest).
   */
  readonly digest: string;

  /**
   * The container that fetches and verifies the artifact before the workload's main container starts, when the output has one.
   *
   * @default - no verifying container in the output
   */
  readonly verifier?: string;
}

/**
 * The report entry of one workload: what it runs and how every applicable control stands.
 */
export interface WorkloadReport {
  /**
   * The construct path below the app (chart or stack ID first), e.g. `fraud/scorer`.
   */
  readonly path: string;

  /**
   * The construct or object kind, e.g. `CompliantModelService` or `Deployment` for a foreign workload.
   */
  readonly kind: string;

  /**
   * The backend that rendered it.
   */
  readonly backend: Backend;

  /**
   * Every image the workload runs (main containers and sidecars), as written.
   */
  readonly images: string[];

  /**
   * The model it serves or trains.
   *
   * @default - no model recorded
   */
  readonly model?: ModelMetadata;

  /**
   * The model weights as a pinned input (`modelArtifact` of our constructs, or what the output declares), read from the output.
   *
   * @default - no pinned model artifact
   */
  readonly modelArtifact?: ArtifactReport;

  /**
   * The datasets a training job reads, as its provenance in the output records them.
   *
   * @default - none recorded
   */
  readonly datasets?: DatasetMetadata[];

  /**
   * The datasets as pinned inputs (`datasetArtifacts` of the training jobs), read from the output.
   *
   * @default - none
   */
  readonly datasetArtifacts?: ArtifactReport[];

  /**
   * The control results, one per applicable control.
   */
  readonly controls: ControlResult[];

  /**
   * Rules of external checkers acknowledged (suppressed) on the workload's resources, each with its reason.
   *
   * @default - none
   */
  readonly acknowledgedRules?: AcknowledgedRule[];
}
