/* eslint-disable @typescript-eslint/no-explicit-any */
import { cfnBoolean, cfnList, containsIntrinsic } from './cfn-values';
import { ContainerEntry, TaskView } from './task-view';
import { flatten } from './template';
import { ControlScope } from '../../compliance/control';
import { Finding, verdict } from '../../compliance/finding';
import { ArtifactReport, ControlStatus } from '../../compliance/report-model';
import { PROVENANCE_PREFIX } from '../../core/provenance-keys';
import { VerifierCommand, readVerifierCommand } from '../verifier-command';

/** The environment variable that names the verified model's digest in the containers that read it. */
export const MODEL_DIGEST_VARIABLE = 'MODEL_DIGEST';
/** The docker label of the main container that declares the model artifact's digest. */
export const MODEL_ARTIFACT_LABEL = `model-artifact.${PROVENANCE_PREFIX}/digest`;
/** The docker label of the main container that declares dataset artifact `i`'s digest. */
export const datasetArtifactLabel = (i: number) => `dataset-artifact-${i}.${PROVENANCE_PREFIX}/digest`;
const DATASET_ARTIFACT_LABEL = new RegExp(`^dataset-artifact-\\d+\\.${PROVENANCE_PREFIX.replace(/\./g, '\\.')}/digest$`);

/** A container of the task that declares an artifact (`ARTIFACT_*` in its environment). */
interface Verifier {
  readonly entry: ContainerEntry;
  readonly name: string;
  readonly declared: VerifierCommand;
  /** True when its entry point and command are exactly the library's script for the declared artifact. */
  readonly runsScript: boolean;
  /** The task volume it writes (its writable mount at the script's root). */
  readonly volume?: string;
}

const nameOf = (entry: ContainerEntry): string => String(entry.container.Name ?? entry.path);
const isEssential = (entry: ContainerEntry): boolean => cfnBoolean(entry.container.Essential) !== 'false';
const where = (entry: ContainerEntry) => `${entry.path}(${nameOf(entry)})`;
const environmentValue = (entry: ContainerEntry, name: string): unknown =>
  ((cfnList(entry.container.Environment) ?? []).find((e: any) => e?.Name === name) as any)?.Value;
const mountsOf = (entry: ContainerEntry): Array<{ volume: unknown; path: unknown; readOnly: unknown }> =>
  (cfnList(entry.container.MountPoints) ?? []).map((m: any) => ({ volume: m?.SourceVolume, path: m?.ContainerPath, readOnly: m?.ReadOnly }));

function verifiersOf(task: TaskView): Verifier[] {
  const out: Verifier[] = [];
  for (const entry of task.containers) {
    const read = readVerifierCommand(entry.container);
    if (read) {
      const writable = mountsOf(entry).find((m) => m.path === read.declared.root && cfnBoolean(m.readOnly) !== 'true');
      out.push({ entry, name: nameOf(entry), ...read, volume: typeof writable?.volume === 'string' ? writable.volume : undefined });
    }
  }
  return out;
}

const reportOf = (v: Verifier): ArtifactReport => ({
  source: v.declared.source, reference: v.declared.reference, digest: v.declared.digest, verifier: v.name,
});

/**
 * The pinned inputs the template shows: the model is the declared artifact whose digest the main container's `MODEL_DIGEST`
 * names; every other declared artifact is a dataset. Read from the template, never from props.
 *
 * @internal
 */
export function verifiedInputs(task: TaskView): { model?: ArtifactReport; datasets: ArtifactReport[] } {
  const main = task.appContainers[0];
  const declared = main ? environmentValue(main, MODEL_DIGEST_VARIABLE) : undefined;
  const verifiers = verifiersOf(task);
  const model = verifiers.find((v) => typeof declared === 'string' && v.declared.digest === declared);
  // `verifier` is named only when its chain holds (the same judgement as MOD-1's)
  const report = (v: Verifier): ArtifactReport => {
    const sink: Sink = { good: [], bad: [], unknown: [] };
    judgeVerifierContainer(task, v, sink);
    if (v.volume) {
      judgeVolumeReaders(task, v, v === model ? main : undefined, sink);
    }
    const artifact = reportOf(v);
    return sink.bad.length + sink.unknown.length === 0 ? artifact
      : { source: artifact.source, reference: artifact.reference, digest: artifact.digest };
  };
  return { model: model ? report(model) : undefined, datasets: verifiers.filter((v) => v !== model).map(report) };
}

/** Sorts one observation into good, bad or unknown evidence. */
type Sink = { good: string[]; bad: string[]; unknown: string[] };

/** The verifier itself: declared literally, runs the library's script, non-essential, writes a task-scoped bind mount. */
function judgeVerifierContainer(task: TaskView, v: Verifier, out: Sink): void {
  const at = where(v.entry);
  const c = v.entry.container;
  if ([c.Environment, c.Command, c.EntryPoint, c.Image].some(containsIntrinsic)) {
    out.unknown.push(task.note(`${at}: its environment, image or command holds an intrinsic, so what it verifies is not visible in the template`));
    return;
  }
  if (!v.runsScript) {
    out.bad.push(task.note(`${at} declares ${v.declared.source} ${v.declared.reference} pinned by ${v.declared.digest} but its EntryPoint/Command is not `
      + 'the library\'s verifier script for that artifact'));
  }
  const essential = cfnBoolean(c.Essential);
  if (essential !== 'false') {
    (essential === 'unknown' ? out.unknown : out.bad).push(`${task.field(`${at}.Essential`, c.Essential)}: a verifier must be non-essential, so that `
      + 'the task waits for it to exit successfully');
  } else if (v.runsScript) {
    out.good.push(`${task.field(`${at}.Essential`, false)}: runs the library's verifier script for ${v.declared.source} ${v.declared.reference} `
      + `pinned by ${v.declared.digest} into ${v.declared.root}/${v.declared.name}`);
  }
  if (v.declared.source === 'oci' && flatten(c.Image) !== v.declared.reference) {
    out.bad.push(`${task.field(`${at}.Image`, c.Image)}: the script copies the files of this image, not of the pinned ${v.declared.reference}`);
  }
  if (!v.volume) {
    out.bad.push(`${task.field(`${at}.MountPoints`, c.MountPoints)}: no writable mount at ${v.declared.root || '(no root)'}, where it writes the verified files`);
    return;
  }
  const volume = (cfnList(task.props.Volumes) ?? []).find((x: any) => x?.Name === v.volume) as Record<string, any> | undefined;
  if (!volume) {
    out.bad.push(task.note(`Volumes has no volume ${JSON.stringify(v.volume)}`));
  } else if (containsIntrinsic(volume)) {
    out.unknown.push(task.field(`Volumes(${v.volume})`, volume));
  } else if (Object.keys(volume).some((k) => k !== 'Name' && !(k === 'Host' && volume.Host?.SourcePath === undefined))) {
    out.bad.push(`${task.field(`Volumes(${v.volume})`, volume)}: not a task-scoped bind mount, so files can be there before the verifier runs or change after it`);
  }
}

/** Every other container mounts the verifier's volume read-only; every essential one that does depends on it with SUCCESS. */
function judgeVolumeReaders(task: TaskView, v: Verifier, mainReader: ContainerEntry | undefined, out: Sink): void {
  const readers = new Set<ContainerEntry>(mainReader ? [mainReader] : []);
  for (const entry of task.containers.filter((e) => e !== v.entry)) {
    for (const mount of mountsOf(entry).filter((m) => m.volume === v.volume || containsIntrinsic(m.volume))) {
      const text = task.field(`${where(entry)}.MountPoints(${flatten(mount.volume)} at ${flatten(mount.path)}).ReadOnly`, mount.readOnly);
      const readOnly = cfnBoolean(mount.readOnly);
      (readOnly === 'true' ? out.good : readOnly === 'unknown' || containsIntrinsic(mount.volume) ? out.unknown : out.bad)
        .push(readOnly === 'true' ? text : `${text}: the verified files can be changed after verification`);
      readers.add(entry);
    }
    for (const from of (cfnList(entry.container.VolumesFrom) ?? []).filter((x: any) => x?.SourceContainer === v.name)) {
      const readOnly = cfnBoolean((from as any)?.ReadOnly);
      (readOnly === 'true' ? out.good : readOnly === 'unknown' ? out.unknown : out.bad)
        .push(task.field(`${where(entry)}.VolumesFrom(${v.name}).ReadOnly`, (from as any)?.ReadOnly));
      readers.add(entry);
    }
  }
  if (mainReader && !mountsOf(mainReader).some((m) => m.volume === v.volume)) {
    out.bad.push(`${where(mainReader)} does not mount ${v.name}'s volume ${JSON.stringify(v.volume)}: the model it uses is not the verified one`);
  }
  for (const reader of [...readers].filter(isEssential)) {
    const dependencies = cfnList(reader.container.DependsOn);
    const dependency = (dependencies ?? []).find((d: any) => d?.ContainerName === v.name) as Record<string, any> | undefined;
    const text = task.field(`${where(reader)}.DependsOn(${v.name}).Condition`, dependency?.Condition);
    if (dependencies === undefined || containsIntrinsic(dependency?.Condition)) {
      out.unknown.push(task.field(`${where(reader)}.DependsOn`, reader.container.DependsOn));
    } else {
      (dependency?.Condition === 'SUCCESS' ? out.good : out.bad)
        .push(dependency?.Condition === 'SUCCESS' ? text : `${text}: the container can start before the verification succeeded`);
    }
  }
}

/**
 * MOD-1: "Applies to every task definition; each artifact (the model, and every dataset of a training job) is judged alone. An
 * artifact is declared by a container's `Environment` (`ARTIFACT_SOURCE`, `ARTIFACT_REFERENCE`, `ARTIFACT_DIGEST`) or by the
 * main container's docker labels (`model-artifact.compliance.cdk-compliant-ml.io/digest`,
 * `dataset-artifact-<n>.compliance.cdk-compliant-ml.io/digest`). It is verified when the container that declares it has
 * `Essential: false`, runs `sh -c` with exactly the library's verifier script for that artifact (regenerated from those
 * values, its root and its target: a hand-edited script does not count), writes a task-scoped bind mount (no
 * `Host.SourcePath`, EFS or Docker volume configuration) at the script's root, every other container mounts that volume only
 * with `ReadOnly: true` (`MountPoints` and `VolumesFrom`), and every essential container that mounts it, the main container
 * first, has `DependsOn` the verifier with `Condition: SUCCESS`; for an OCI artifact the verifier's `Image` is the reference
 * itself. Enforced when every declared artifact is verified and, when the task declares a model (`MODEL_DIGEST` or the
 * model-artifact label), the main container's `MODEL_DIGEST` equals the digest of a verified artifact, its model-artifact
 * label (when set) equals it, and it mounts that artifact's volume; the evidence names
 * the digest and the verifying container. Violated when a declared artifact is not verified as above, when `MODEL_DIGEST`
 * names no verified digest or is missing beside a declared model artifact, or when a model server (the declaration of
 * META-2; not a training job, whose model labels name the model it produces) names a model URI
 * (`model.compliance.cdk-compliant-ml.io/uri`) without a verified model. An
 * intrinsic in a digest, reference, image, command, volume or dependency: unverified. No artifact declared and no model URI:
 * external for a model server or a training job (the weights may be inside the digest-pinned image or fetched from somewhere
 * the template does not show), not-applicable for any other task."
 *
 * @internal
 */
export function modelVerificationCheck(task: TaskView, scope: ControlScope): Finding {
  const verifiers = verifiersOf(task);
  const main = task.appContainers[0];
  const labels: Record<string, unknown> = main?.container.DockerLabels ?? {};
  const modelDigest = main ? environmentValue(main, MODEL_DIGEST_VARIABLE) : undefined;
  const declaredLabels = Object.keys(labels).filter((k) => k === MODEL_ARTIFACT_LABEL || DATASET_ARTIFACT_LABEL.test(k)).sort();
  if (verifiers.length === 0 && modelDigest === undefined && declaredLabels.length === 0) {
    return undeclared(task, main, scope);
  }
  const out: Sink = { good: [], bad: [], unknown: [] };
  const labelText = (key: string) => task.field(`${where(main!)}.DockerLabels["${key}"]`, labels[key]);
  let modelVerifier: Verifier | undefined;
  if (main && modelDigest !== undefined) {
    const text = task.field(`${where(main)}.Environment[${MODEL_DIGEST_VARIABLE}]`, modelDigest);
    modelVerifier = verifiers.find((v) => v.declared.digest === modelDigest);
    if (containsIntrinsic(modelDigest)) {
      out.unknown.push(`${text} (not visible in the template)`);
    } else if (!modelVerifier) {
      out.bad.push(`${text}: no verifier of the task carries this digest (${verifiers.map((v) => `${v.name}: ${v.declared.digest}`).join(', ') || 'no verifier'})`);
    } else {
      out.good.push(`${text} is the digest ${modelVerifier.name} verifies`);
    }
  } else if (main && labels[MODEL_ARTIFACT_LABEL] !== undefined) {
    out.bad.push(`${labelText(MODEL_ARTIFACT_LABEL)} declares a model artifact, but ${where(main)} sets no ${MODEL_DIGEST_VARIABLE}`);
  }
  for (const key of declaredLabels) {
    const value = labels[key];
    const matches = key === MODEL_ARTIFACT_LABEL ? value === modelDigest : verifiers.some((v) => v !== modelVerifier && v.declared.digest === value);
    if (containsIntrinsic(value) || (key === MODEL_ARTIFACT_LABEL && containsIntrinsic(modelDigest))) {
      out.unknown.push(labelText(key));
    } else if (!matches) {
      out.bad.push(`${labelText(key)}: no verifier of the task carries this digest${key === MODEL_ARTIFACT_LABEL ? ` as ${MODEL_DIGEST_VARIABLE}` : ''}`);
    }
  }
  for (const v of verifiers) {
    judgeVerifierContainer(task, v, out);
    if (v.volume) {
      judgeVolumeReaders(task, v, v === modelVerifier ? main : undefined, out);
    }
  }
  return verdict('MOD-1', out.good, out.bad, out.unknown);
}

/** MOD-1 for a task that declares no artifact. */
function undeclared(task: TaskView, main: ContainerEntry | undefined, scope: ControlScope): Finding {
  const declared = task.mlDeclaration;
  if (declared === undefined) {
    return {
      id: 'MOD-1',
      status: ControlStatus.NOT_APPLICABLE,
      evidence: [task.note('declares no model server or training job and no pinned artifact: model verification does not apply')],
    };
  }
  const labels: Record<string, unknown> = main?.container.DockerLabels ?? {};
  const uriKey = `model.${PROVENANCE_PREFIX}/uri`;
  // a training job's model labels name the model it produces, not one it reads
  const trainingJob = scope === ControlScope.JOB && /CompliantTrainingJob|"training-job"/.test(declared);
  if (!trainingJob && labels[uriKey] !== undefined) {
    return verdict('MOD-1', [], [`${task.field(`${where(main!)}.DockerLabels["${uriKey}"]`, labels[uriKey])}: the server fetches its model from `
      + `this URI with no verifier container and no ${MODEL_DIGEST_VARIABLE} (${declared})`]);
  }
  return {
    id: 'MOD-1',
    status: ControlStatus.EXTERNAL,
    evidence: [task.note(`${declared}, with no verifier container${trainingJob ? '' : ' and no model URI'}: the weights are `
      + 'inside the digest-pinned image or fetched from somewhere the template does not show')],
  };
}
