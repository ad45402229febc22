import { IConstruct } from 'constructs';
import { KubernetesDefaults } from './defaults';
import { requireLabelValue } from '../core/bounds';
import { PROVENANCE_PREFIX, ProvenanceSubject, provenanceEntries } from '../core/provenance-keys';

/** The annotation prefix of the library's provenance annotations (META-2, IMG-4). */
export const ANNOTATION_PREFIX = PROVENANCE_PREFIX;
/** Annotation that says how logs leave the pod (LOG-1). */
export const LOG_SHIPPING_ANNOTATION = `${ANNOTATION_PREFIX}/log-shipping`;
/** Annotation that declares the worst-case model load time in seconds, which the startup probe budget must cover (PRB-1). */
export const MODEL_LOAD_TIMEOUT_ANNOTATION = `${ANNOTATION_PREFIX}/model-load-timeout-seconds`;
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
}, scope?: IConstruct, sources: LabelSources = DEFAULT_LABEL_SOURCES): Record<string, string> {
  // a value that sanitises to nothing (non-ASCII ids, '', a version of only symbols) is refused, never rendered empty or dropped
  const sanitised = (prop: string, value: string) => requireLabelValue(scope, prop, toLabelValue(String(value)), String(value));
  const labels: Record<string, string> = {
    'app.kubernetes.io/name': sanitised(sources.name, opts.name),
    'app.kubernetes.io/instance': opts.instance,
    'app.kubernetes.io/version': sanitised(sources.version, opts.version),
    'app.kubernetes.io/component': opts.component,
    'app.kubernetes.io/managed-by': KubernetesDefaults.MANAGED_BY,
  };
  if (opts.partOf !== undefined) {
    labels['app.kubernetes.io/part-of'] = sanitised(sources.partOf, opts.partOf);
  }
  return labels;
}

/** The props the recommended labels are derived from, named in errors. @internal */
export interface LabelSources {
  readonly name: string;
  readonly version: string;
  readonly partOf: string;
}

const DEFAULT_LABEL_SOURCES: LabelSources = { name: 'model.name', version: 'model.version', partOf: 'partOf' };

/**
 * Provenance annotations (META-2, IMG-4): image digest, model and dataset identity and the OCI image keys, mirrored under the
 * library's prefix so the reserved `org.opencontainers` prefix is not reused outside OCI content.
 *
 * @internal
 */
export function provenanceAnnotations(subject: ProvenanceSubject): Record<string, string> {
  return provenanceEntries(subject, (suffix) => `oci.${ANNOTATION_PREFIX}/${suffix}`);
}
