import { ImageReference } from './image-reference';
import { DatasetMetadata, ImageProvenance, ModelMetadata } from './provenance';

/** The key prefix of the library's provenance keys (annotations, docker labels and tags; META-2, IMG-4). @internal */
export const PROVENANCE_PREFIX = 'compliance.cdk-compliant-ml.io';

/**
 * What a workload's provenance keys describe.
 *
 * @internal
 */
export interface ProvenanceSubject {
  readonly image: ImageReference;
  readonly model?: ModelMetadata;
  readonly datasets?: DatasetMetadata[];
  readonly imageProvenance?: ImageProvenance;
  readonly extra?: Record<string, string | undefined>;
}

/**
 * Provenance key/value pairs (META-2, IMG-4) in sorted key order, without undefined values: image digest, model and dataset
 * identity, and the OCI image keys named by `ociKey` (the backend decides whether to reuse the OCI keys or mirror them).
 *
 * @internal
 */
export function provenanceEntries(subject: ProvenanceSubject, ociKey: (suffix: string) => string): Record<string, string> {
  const a: Record<string, string | undefined> = {
    [`${PROVENANCE_PREFIX}/image`]: subject.image.toString(),
    [`${PROVENANCE_PREFIX}/image-digest`]: subject.image.digest,
  };
  const m = subject.model;
  if (m) {
    const p = `model.${PROVENANCE_PREFIX}`;
    Object.assign(a, {
      [`${p}/name`]: m.name,
      [`${p}/version`]: m.version,
      [`${p}/uri`]: m.uri,
      [`${p}/digest`]: m.digest,
      [`${p}/framework`]: m.framework,
      [`${p}/registry`]: m.registry,
      [`${p}/training-run-id`]: m.trainingRunId,
    });
  }
  (subject.datasets ?? []).forEach((d, i) => {
    const p = `dataset-${i}.${PROVENANCE_PREFIX}`;
    Object.assign(a, { [`${p}/name`]: d.name, [`${p}/version`]: d.version, [`${p}/uri`]: d.uri, [`${p}/digest`]: d.digest });
  });
  const o = subject.imageProvenance;
  if (o) {
    Object.assign(a, {
      [ociKey('source')]: o.source,
      [ociKey('revision')]: o.revision,
      [ociKey('version')]: o.version,
      [ociKey('created')]: o.created,
      [ociKey('base.name')]: o.baseName,
      [ociKey('base.digest')]: o.baseDigest,
      [ociKey('licenses')]: o.licenses,
    });
  }
  Object.assign(a, subject.extra ?? {});
  const out: Record<string, string> = {};
  for (const key of Object.keys(a).sort()) {
    const v = a[key];
    if (v !== undefined) {
      out[key] = v;
    }
  }
  return out;
}

/**
 * The keys (annotations on Kubernetes, docker labels on ECS) that declare a workload's pinned artifacts (MOD-1): for the model
 * `model-artifact.compliance.cdk-compliant-ml.io/{source,reference,digest}`, for dataset n
 * `dataset-artifact-<n>.compliance.cdk-compliant-ml.io/{source,reference,digest}`. A workload that carries one of them declares
 * an artifact, which the checker then requires to be verified.
 *
 * @internal
 */
export function artifactEntries(model: { source: string; reference: string; digest: string } | undefined,
  datasets: ReadonlyArray<{ source: string; reference: string; digest: string }> = []): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (prefix: string, a: { source: string; reference: string; digest: string }) => {
    out[`${prefix}.${PROVENANCE_PREFIX}/digest`] = a.digest;
    out[`${prefix}.${PROVENANCE_PREFIX}/reference`] = a.reference;
    out[`${prefix}.${PROVENANCE_PREFIX}/source`] = a.source;
  };
  if (model) {
    put(MODEL_ARTIFACT_KEY_PREFIX, model);
  }
  datasets.forEach((d, i) => put(`${DATASET_ARTIFACT_KEY_PREFIX}${i}`, d));
  return out;
}

/** @internal */
export const MODEL_ARTIFACT_KEY_PREFIX = 'model-artifact';
/** @internal */
export const DATASET_ARTIFACT_KEY_PREFIX = 'dataset-artifact-';
