/**
 * Identity of the model a workload serves or trains: rendered as annotations, labels, tags and report fields.
 *
 * Art. 12(2)(a) asks that logs can identify a substantial modification; Annex IV(2) and Art. 72 ask that monitoring data can
 * be correlated with a specific model version. Both need the model's identity on every workload.
 */
export interface ModelMetadata {
  /**
   * The model's name in the model registry, e.g. `fraud-scorer`.
   */
  readonly name: string;

  /**
   * The model version, e.g. `1.4.2` or a registry version number. `latest` is refused: it identifies nothing.
   */
  readonly version: string;

  /**
   * Where the model artifact lives, e.g. `models:/fraud-scorer/3` or `s3://models/fraud/1.4.2/`.
   *
   * @default - no URI is recorded
   */
  readonly uri?: string;

  /**
   * The digest of the model artifact, `sha256:<64 hex>` or `sha512:<128 hex>`.
   *
   * @default - no artifact digest is recorded
   */
  readonly digest?: string;

  /**
   * The framework or serving runtime, e.g. `pytorch`, `sklearn`, `vllm`, `triton`.
   *
   * @default - no framework is recorded
   */
  readonly framework?: string;

  /**
   * The model registry that holds the model, e.g. `mlflow.acme.internal`.
   *
   * @default - no registry is recorded
   */
  readonly registry?: string;

  /**
   * The ID of the training run that produced the model (Art. 12(2)(a): a unique run id).
   *
   * @default - no training run is recorded
   */
  readonly trainingRunId?: string;
}

/**
 * Identity of a dataset a training job reads (Annex IV(2)(d), Art. 10(2)).
 */
export interface DatasetMetadata {
  /**
   * The dataset's name, e.g. `transactions`.
   */
  readonly name: string;

  /**
   * The dataset version or snapshot ID. `latest` is refused.
   */
  readonly version: string;

  /**
   * Where the dataset lives, e.g. `s3://data/transactions/2026-11/`.
   *
   * @default - no URI is recorded
   */
  readonly uri?: string;

  /**
   * A digest of the dataset snapshot, `sha256:<64 hex>` or `sha512:<128 hex>`.
   *
   * @default - no digest is recorded
   */
  readonly digest?: string;
}

/**
 * The OCI image annotations of the running image (image-spec annotations.md), mirrored into the workload (control IMG-4).
 *
 * Usually filled from the build: `org.opencontainers.image.source`, `.revision`, `.version`, `.created`, `.base.name`, `.base.digest`.
 */
export interface ImageProvenance {
  /**
   * URL of the source code the image was built from (`org.opencontainers.image.source`).
   */
  readonly source: string;

  /**
   * Source control revision, a 7 to 64 character hex commit ID (`org.opencontainers.image.revision`).
   */
  readonly revision: string;

  /**
   * Version of the packaged software (`org.opencontainers.image.version`).
   *
   * @default - not recorded
   */
  readonly version?: string;

  /**
   * Build date and time in RFC 3339 (`org.opencontainers.image.created`). Taken from the build, never from the synth clock.
   *
   * @default - not recorded
   */
  readonly created?: string;

  /**
   * Name of the base image (`org.opencontainers.image.base.name`).
   *
   * @default - not recorded
   */
  readonly baseName?: string;

  /**
   * Digest of the base image (`org.opencontainers.image.base.digest`).
   *
   * @default - not recorded
   */
  readonly baseDigest?: string;

  /**
   * SPDX license expression of the image contents (`org.opencontainers.image.licenses`).
   *
   * @default - not recorded
   */
  readonly licenses?: string;
}
