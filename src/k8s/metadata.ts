import { KubernetesDefaults } from './defaults';
import { ImageReference } from '../core/image-reference';
import { ImageProvenance, ModelMetadata, DatasetMetadata } from '../core/provenance';

/** The annotation prefix of the library's provenance annotations (META-2, IMG-4). */
export const ANNOTATION_PREFIX = 'compliance.cdk-compliant-ml.io';
/** Annotation that says how logs leave the pod (LOG-1). */
export const LOG_SHIPPING_ANNOTATION = `${ANNOTATION_PREFIX}/log-shipping`;
/** Annotation that lists the waived controls of a workload. */
export const WAIVERS_ANNOTATION = `${ANNOTATION_PREFIX}/waivers`;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Makes any string a valid label value (<= 63 characters, alphanumerics with `-_.` inside), deterministically.
 *
 * @internal
 */
export function toLabelValue(value: string): string {
  if (value.length <= 63 && LABEL_VALUE.test(value)) {
    return value;
  }
  const cleaned = value.replace(/[^-A-Za-z0-9_.]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
  return cleaned;
}

/**
 * The recommended `app.kubernetes.io/*` labels (META-1). `instance` equals the object name, as Polaris'
 * `metadataAndInstanceMismatched` requires.
 *
 * @internal
 */
export function recommendedLabels(opts: {
  name: string; instance: string; version: string; component: string; partOf?: string;
}): Record<string, string> {
  const labels: Record<string, string> = {
    'app.kubernetes.io/name': toLabelValue(opts.name),
    'app.kubernetes.io/instance': opts.instance,
    'app.kubernetes.io/version': toLabelValue(opts.version),
    'app.kubernetes.io/component': opts.component,
    'app.kubernetes.io/managed-by': KubernetesDefaults.MANAGED_BY,
  };
  if (opts.partOf) {
    labels['app.kubernetes.io/part-of'] = toLabelValue(opts.partOf);
  }
  return labels;
}

/**
 * Provenance annotations (META-2, IMG-4): image digest, model and dataset identity and the OCI image keys, mirrored under the
 * library's prefix so the reserved `org.opencontainers` prefix is not reused outside OCI content.
 *
 * @internal
 */
export function provenanceAnnotations(opts: {
  image: ImageReference;
  model?: ModelMetadata;
  datasets?: DatasetMetadata[];
  imageProvenance?: ImageProvenance;
  extra?: Record<string, string | undefined>;
}): Record<string, string> {
  const a: Record<string, string | undefined> = {
    [`${ANNOTATION_PREFIX}/image`]: opts.image.toString(),
    [`${ANNOTATION_PREFIX}/image-digest`]: opts.image.digest,
  };
  const m = opts.model;
  if (m) {
    Object.assign(a, {
      [`model.${ANNOTATION_PREFIX}/name`]: m.name,
      [`model.${ANNOTATION_PREFIX}/version`]: m.version,
      [`model.${ANNOTATION_PREFIX}/uri`]: m.uri,
      [`model.${ANNOTATION_PREFIX}/digest`]: m.digest,
      [`model.${ANNOTATION_PREFIX}/framework`]: m.framework,
      [`model.${ANNOTATION_PREFIX}/registry`]: m.registry,
      [`model.${ANNOTATION_PREFIX}/training-run-id`]: m.trainingRunId,
    });
  }
  (opts.datasets ?? []).forEach((d, i) => {
    const p = `dataset-${i}.${ANNOTATION_PREFIX}`;
    Object.assign(a, { [`${p}/name`]: d.name, [`${p}/version`]: d.version, [`${p}/uri`]: d.uri, [`${p}/digest`]: d.digest });
  });
  const o = opts.imageProvenance;
  if (o) {
    Object.assign(a, {
      [`oci.${ANNOTATION_PREFIX}/source`]: o.source,
      [`oci.${ANNOTATION_PREFIX}/revision`]: o.revision,
      [`oci.${ANNOTATION_PREFIX}/version`]: o.version,
      [`oci.${ANNOTATION_PREFIX}/created`]: o.created,
      [`oci.${ANNOTATION_PREFIX}/base.name`]: o.baseName,
      [`oci.${ANNOTATION_PREFIX}/base.digest`]: o.baseDigest,
      [`oci.${ANNOTATION_PREFIX}/licenses`]: o.licenses,
    });
  }
  Object.assign(a, opts.extra ?? {});
  const out: Record<string, string> = {};
  for (const key of Object.keys(a).sort()) {
    const v = a[key];
    if (v !== undefined) {
      out[key] = v;
    }
  }
  return out;
}
