// IMG-4, META-1 and META-2: which image and which model a workload runs and which system it belongs to, as its annotations
// and labels record them.
import { PodView } from './manifest';
import { carriesModel, WorkloadProfile } from './profile';
import { Finding, verdict } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { DIGEST_PATTERN } from '../../core/patterns';
import { REVISION, RFC3339, URI } from '../../core/provenance-validation';
import { ANNOTATION_PREFIX } from '../metadata';

/** The four OCI keys IMG-4 names, with the form each mirrored value must have. */
const OCI_KEYS: Array<[string, RegExp, string]> = [
  ['source', URI, 'a URL'],
  ['revision', REVISION, 'a 7 to 64 character lowercase hex commit'],
  ['version', /\S/, 'a non-empty version'],
  ['created', RFC3339, 'an RFC 3339 date-time'],
];
const MODEL = `model.${ANNOTATION_PREFIX}`;
const RUN_ID = `run.${ANNOTATION_PREFIX}/id`;
const RECOMMENDED = ['name', 'instance', 'version', 'component', 'part-of', 'managed-by'].map((key) => `app.kubernetes.io/${key}`);
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * IMG-4. Rule: "The workload's `metadata.annotations` mirror all four OCI image keys the control names, as
 * `oci.compliance.cdk-compliant-ml.io/{source,revision,version,created}`, with source a URL, revision a 7–64 character hex
 * commit and created RFC 3339: enforced. A mirrored value of the wrong form: violated. Any key missing: external (the image's
 * own labels are not visible at synth time), naming the missing keys. The evidence lists all four keys."
 *
 * @internal
 */
export function ociProvenanceMirrored(p: PodView): Finding {
  const annotations = p.obj.metadata?.annotations ?? {};
  const evidence: string[] = []; const bad: string[] = []; const missing: string[] = [];
  for (const [suffix, form, what] of OCI_KEYS) {
    const key = `oci.${ANNOTATION_PREFIX}/${suffix}`;
    const value = annotations[key];
    evidence.push(p.field(`metadata.annotations["${key}"]`, value));
    if (value === undefined || value === '') {
      missing.push(suffix);
    } else if (typeof value !== 'string' || !form.test(value)) {
      bad.push(`${p.ev(`metadata.annotations["${key}"]`, value)} (not ${what})`);
    }
  }
  if (bad.length > 0 || missing.length === 0) {
    return verdict('IMG-4', evidence, bad);
  }
  return {
    id: 'IMG-4',
    status: ControlStatus.EXTERNAL,
    evidence: [...evidence, `${p.kind} ${p.name}: ${missing.join(', ')} not mirrored; the image's own OCI labels are not visible at synth time`],
  };
}

/** Kinds that are runtime templates: the model is named by the objects that use them. */
const RUNTIME_TEMPLATE_KINDS = new Map([
  ['ServingRuntime', 'InferenceServices'], ['ClusterServingRuntime', 'InferenceServices'],
  ['TrainingRuntime', 'TrainJobs'], ['ClusterTrainingRuntime', 'TrainJobs'],
]);

/**
 * META-2. Rule: "Applies to model servers and training jobs only (our constructs, a workload labelled
 * `app.kubernetes.io/component: model-server` or `training-job`, or a known ML serving or training kind); any other workload
 * is not-applicable with that reason. The workload's annotations `model.compliance.cdk-compliant-ml.io/name` and `/version`
 * are non-empty, the version is not `latest`, and `/digest`, when set, is a sha256/sha512 digest: enforced. A training job
 * without a registered model yet is identified by `run.compliance.cdk-compliant-ml.io/id`: enforced. Otherwise violated. A
 * runtime template (ServingRuntime, ClusterServingRuntime, TrainingRuntime, ClusterTrainingRuntime) without model annotations:
 * unverified (the objects that use it name the model)."
 *
 * @internal
 */
export function modelProvenanceRecorded(p: PodView): Finding {
  if (!carriesModel(p.profile)) {
    return {
      id: 'META-2',
      status: ControlStatus.NOT_APPLICABLE,
      evidence: [`${p.kind} ${p.name}: not a model server or training job (profile ${p.profile}: no app.kubernetes.io/component `
        + 'model-server or training-job label and not a known ML serving or training kind), so it has no model to trace'],
    };
  }
  const annotations = p.obj.metadata?.annotations ?? {};
  const name = annotations[`${MODEL}/name`]; const version = annotations[`${MODEL}/version`]; const digest = annotations[`${MODEL}/digest`];
  if (RUNTIME_TEMPLATE_KINDS.has(p.ownerKind) && name === undefined && version === undefined) {
    return {
      id: 'META-2',
      status: ControlStatus.UNVERIFIED,
      evidence: [`${p.ownerKind} ${p.name}: a runtime template serves or trains the models that the objects using it name `
        + `(${RUNTIME_TEMPLATE_KINDS.get(p.ownerKind)}), which are not part of this object`],
    };
  }
  const runId = annotations[RUN_ID];
  const fields = [p.field(`metadata.annotations["${MODEL}/name"]`, name), p.field(`metadata.annotations["${MODEL}/version"]`, version)];
  if (name === undefined && version === undefined && p.profile === WorkloadProfile.TRAINING && typeof runId === 'string' && runId.length > 0) {
    // A training run without a registered model yet is identified by its run ID (Art. 12(2)(a)).
    return verdict('META-2', [p.ev(`metadata.annotations["${RUN_ID}"]`, runId)], []);
  }
  const bad: string[] = [];
  if (typeof name !== 'string' || name.trim().length === 0) {
    bad.push(fields[0]);
  }
  if (typeof version !== 'string' || version.trim().length === 0) {
    bad.push(fields[1]);
  } else if (version.trim().toLowerCase() === 'latest') {
    bad.push(`${fields[1]} (latest identifies no version)`);
  }
  if (digest !== undefined && (typeof digest !== 'string' || !DIGEST_PATTERN.test(digest))) {
    bad.push(`${p.ev(`metadata.annotations["${MODEL}/digest"]`, digest)} (not a sha256/sha512 digest)`);
  }
  const good = digest === undefined ? fields : [...fields, p.ev(`metadata.annotations["${MODEL}/digest"]`, digest)];
  return verdict('META-2', good, bad);
}

/**
 * META-1. Rule: "Applies to every workload. Its `metadata.labels` and its pod template's labels both carry the six
 * recommended labels `app.kubernetes.io/{name,instance,version,component,part-of,managed-by}`, each a non-empty valid label
 * value (at most 63 characters, so never a digest or URL), and `instance` equals the object's name (Polaris
 * metadataAndInstanceMismatched): enforced. A missing or invalid label, or another instance: violated."
 *
 * @internal
 */
export function recommendedLabelsPresent(p: PodView): Finding {
  const objectLabels: Record<string, unknown> = p.obj.metadata?.labels ?? {};
  const sets: Array<[string, Record<string, unknown>]> = [['metadata.labels', objectLabels]];
  if (p.kind !== 'Pod') {
    sets.push([`${p.specPath.replace(/\.spec$/, '')}.metadata.labels`, p.templateLabels]);
  }
  const good: string[] = []; const bad: string[] = [];
  for (const [at, labels] of sets) {
    const missing = RECOMMENDED.filter((key) => typeof labels[key] !== 'string' || labels[key] === '');
    const invalid = RECOMMENDED.filter((key) => typeof labels[key] === 'string' && labels[key] !== ''
      && ((labels[key] as string).length > 63 || !LABEL_VALUE.test(labels[key] as string)));
    const shown = Object.fromEntries(RECOMMENDED.map((key) => [key, labels[key] ?? null]));
    if (missing.length > 0) {
      bad.push(`${p.ev(at, shown)} (missing ${missing.join(', ')})`);
    }
    if (invalid.length > 0) {
      bad.push(`${p.ev(at, shown)} (not a valid label value: ${invalid.join(', ')})`);
    }
    const instance = labels['app.kubernetes.io/instance'];
    if (instance !== undefined && instance !== p.name) {
      bad.push(`${p.ev(`${at}["app.kubernetes.io/instance"]`, instance)} (differs from metadata.name ${p.name})`);
    }
    good.push(p.ev(at, shown));
  }
  return verdict('META-1', good, bad);
}
