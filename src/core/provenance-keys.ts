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

/** `dataset-<index>.<prefix>/<field>`: the keys `provenanceEntries` writes for each dataset. */
const DATASET_KEY = new RegExp(`^dataset-(0|[1-9][0-9]{0,5})\\.${PROVENANCE_PREFIX.replace(/\./g, '\\.')}/(name|version|uri|digest)$`);

/**
 * The datasets that provenance keys record (the inverse of `provenanceEntries` for datasets): the
 * `dataset-<index>.compliance.cdk-compliant-ml.io/{name,version,uri,digest}` entries of a workload's annotations or its main
 * container's docker labels, in index order. A dataset without a name or a version identifies nothing and is left out; a
 * value that is not a string is read with `text` (e.g. a CloudFormation intrinsic, flattened), or left out when `text` gives
 * undefined. The result is undefined when no dataset is recorded.
 *
 * @internal
 */
export function datasetsFromProvenance(entries: Record<string, unknown> | undefined,
  text: (value: unknown) => string | undefined = () => undefined): DatasetMetadata[] | undefined {
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) {
    return undefined;
  }
  const byIndex = new Map<number, Record<string, string>>();
  for (const [key, raw] of Object.entries(entries)) {
    const match = DATASET_KEY.exec(key);
    const value = typeof raw === 'string' ? raw : raw === undefined || raw === null ? undefined : text(raw);
    if (!match || value === undefined) {
      continue;
    }
    const index = Number(match[1]);
    const fields = byIndex.get(index) ?? {};
    fields[match[2]] = value;
    byIndex.set(index, fields);
  }
  const datasets: DatasetMetadata[] = [];
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    const { name, version, uri, digest } = byIndex.get(index)!;
    if (name !== undefined && name !== '' && version !== undefined && version !== '') {
      datasets.push({ name, version, ...(uri !== undefined ? { uri } : {}), ...(digest !== undefined ? { digest } : {}) });
    }
  }
  return datasets.length > 0 ? datasets : undefined;
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
