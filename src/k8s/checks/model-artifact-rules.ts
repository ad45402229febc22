/* eslint-disable @typescript-eslint/no-explicit-any */
// MOD-1: the model weights (and a training job's datasets) pinned by digest and verified by an init container before the main
// container starts. The verifier is recognised by what it does, not by its name: its command must be exactly the library's
// verifier script for the artifact its environment declares.
import { holdsPlaceholder } from './image-rules';
import { PodContainer, PodView } from './manifest';
import { carriesModel, WorkloadProfile } from './profile';
import { Finding } from '../../compliance/finding';
import { ArtifactReport, ControlStatus } from '../../compliance/report-model';
import { ImageReference } from '../../core/image-reference';
import { ArtifactSource, artifactProblem, DatasetArtifact, PinnedArtifact } from '../../core/model-artifact';
import { verifierScript } from '../../core/model-verifier-script';
import { DATASET_ARTIFACT_KEY_PREFIX, MODEL_ARTIFACT_KEY_PREFIX, PROVENANCE_PREFIX } from '../../core/provenance-keys';
import { ARTIFACT_ENV } from '../artifact-verifier';
import { ANNOTATION_PREFIX } from '../metadata';

const MODEL_URI = `model.${ANNOTATION_PREFIX}/uri`;

interface Declared {
  readonly role: string;
  readonly source: string;
  readonly reference: string;
  readonly digest: string;
  readonly where: string;
}

interface Chain {
  readonly good: string[];
  readonly bad: string[];
  readonly unknown: string[];
  readonly verifier?: string;
}

/**
 * MOD-1. Rule: "Applies to every workload; each artifact (the model, and every dataset of a training job) is judged alone. An
 * artifact is verified when an init container that is not a restartable sidecar (so it exits before any regular container starts)
 * declares it in its env (`ARTIFACT_SOURCE`, `ARTIFACT_REFERENCE`, `ARTIFACT_DIGEST` = `sha256:<64 hex>`), runs `sh -c` with
 * exactly the library's verifier script for that artifact (regenerated from those values and its mounts: a hand-edited script
 * does not count), writes an `emptyDir` volume that every container started after it mounts only with `readOnly: true`, and the
 * main container mounts that volume read-only; for an OCI artifact the verifier's image is the reference itself, for a claim the
 * claim is mounted read-only. The ImageVolume path counts too: an `image` volume whose reference is pinned by that digest,
 * mounted read-only by the main container. Enforced when the model is verified, the main container's `MODEL_DIGEST` equals its
 * digest, and every declared artifact is verified; the evidence names the digest and the verifying container. Violated when the
 * workload declares an artifact (the `model-artifact.compliance.cdk-compliant-ml.io/digest` or `dataset-artifact-<n>...`
 * annotations on the workload or its pod template, or a verifier env) that is not verified as above, when `MODEL_DIGEST` differs
 * or is missing, or when a model server (the profile rule of META-2) names a model URI
 * (`model.compliance.cdk-compliant-ml.io/uri`) without a verified model. A token or placeholder in a digest, reference or script:
 * unverified. No artifact declared and no model URI: external for a model server or a training job (the weights may be inside the
 * digest-pinned image or fetched from somewhere the output does not show), not-applicable for any other workload."
 *
 * @internal
 */
export function modelArtifactVerified(p: PodView): Finding {
  const { model, datasets } = declaredArtifacts(p);
  const main = mainContainer(p);
  if (!model && datasets.length === 0) {
    return noArtifact(p);
  }
  const good: string[] = []; const bad: string[] = []; const unknown: string[] = [];
  for (const artifact of [model, ...datasets].filter((a): a is Declared => a !== undefined)) {
    const chain = verifyChain(p, artifact, main);
    good.push(...chain.good); bad.push(...chain.bad); unknown.push(...chain.unknown);
  }
  if (model) {
    const env = (main?.c.env ?? []).find((e: any) => e?.name === 'MODEL_DIGEST');
    const path = `${main?.path ?? `${p.specPath}.containers[0]`}.env[MODEL_DIGEST]`;
    if (holdsPlaceholder(model.digest)) {
      unknown.push(`${p.field(path, env?.value)} (the declared digest ${model.digest} is a placeholder)`);
    } else if (env?.value === model.digest) {
      good.push(p.ev(path, env.value));
    } else if (env?.valueFrom !== undefined || holdsPlaceholder(env?.value)) {
      unknown.push(`${p.field(path, env?.value ?? env?.valueFrom)} (decided at runtime, so it cannot be compared with ${model.digest})`);
    } else {
      bad.push(`${p.field(path, env?.value)} (the main container must carry MODEL_DIGEST=${model.digest})`);
    }
  } else if (p.profile === WorkloadProfile.MODEL_SERVER && modelUri(p) !== undefined) {
    bad.push(`${p.ev(`metadata.annotations["${MODEL_URI}"]`, modelUri(p))} names the model, and no model artifact is declared or verified`);
  }
  const status = bad.length > 0 ? ControlStatus.VIOLATED : unknown.length > 0 ? ControlStatus.UNVERIFIED : ControlStatus.ENFORCED;
  return { id: 'MOD-1', status, evidence: status === ControlStatus.ENFORCED ? good : [...bad, ...unknown] };
}

/**
 * The pinned artifacts a pod template declares, as the report records them (`verifier` set only when the chain holds).
 *
 * @internal
 */
export function artifactReports(p: PodView): { modelArtifact?: ArtifactReport; datasetArtifacts?: ArtifactReport[] } {
  const { model, datasets } = declaredArtifacts(p);
  const main = mainContainer(p);
  const report = (a: Declared): ArtifactReport => {
    const chain = verifyChain(p, a, main);
    const verifier = chain.bad.length === 0 && chain.unknown.length === 0 ? chain.verifier : undefined;
    return { source: a.source, reference: a.reference, digest: a.digest, ...(verifier ? { verifier } : {}) };
  };
  return {
    ...(model ? { modelArtifact: report(model) } : {}),
    ...(datasets.length > 0 ? { datasetArtifacts: datasets.map(report) } : {}),
  };
}

function noArtifact(p: PodView): Finding {
  const uri = modelUri(p);
  if (p.profile === WorkloadProfile.MODEL_SERVER && uri !== undefined) {
    return { id: 'MOD-1', status: ControlStatus.VIOLATED, evidence: [`${p.ev(`metadata.annotations["${MODEL_URI}"]`, uri)} names the model, and no init container verifies it`] };
  }
  if (carriesModel(p.profile)) {
    return {
      id: 'MOD-1',
      status: ControlStatus.EXTERNAL,
      evidence: [`${p.kind} ${p.name}: no model artifact declared and no verifying init container; the weights are inside the digest-pinned image or fetched from somewhere the output does not show`],
    };
  }
  return { id: 'MOD-1', status: ControlStatus.NOT_APPLICABLE, evidence: [`${p.kind} ${p.name}: not a model server or training workload, and it declares no model artifact`] };
}

function modelUri(p: PodView): string | undefined {
  return p.obj.metadata?.annotations?.[MODEL_URI] ?? templateAnnotations(p)[MODEL_URI];
}

function templateAnnotations(p: PodView): Record<string, string> {
  const template = p.specPath.split('.').slice(0, -1).reduce((o: any, k) => (o ? o[k] : undefined), p.obj);
  return (p.kind === 'Pod' ? p.obj.metadata?.annotations : template?.metadata?.annotations) ?? {};
}

function mainContainer(p: PodView): PodContainer | undefined {
  return p.containers.find((x) => !x.init && !x.ephemeral);
}

/** The artifacts the annotations declare, plus verifier init containers no annotation names (each a declaration of its own). */
function declaredArtifacts(p: PodView): { model?: Declared; datasets: Declared[] } {
  const sources: Array<[string, Record<string, string>]> = [['metadata.annotations', p.obj.metadata?.annotations ?? {}]];
  if (p.kind !== 'Pod') {
    sources.push([`${p.specPath.split('.').slice(0, -1).join('.')}.metadata.annotations`, templateAnnotations(p)]);
  }
  const found = new Map<string, Declared>();
  for (const [where, annotations] of sources) {
    for (const key of Object.keys(annotations)) {
      const match = new RegExp(`^(${MODEL_ARTIFACT_KEY_PREFIX}|${DATASET_ARTIFACT_KEY_PREFIX}\\d+)\\.${PROVENANCE_PREFIX.replace(/\./g, '\\.')}/digest$`).exec(key);
      if (!match || found.has(match[1])) {
        continue;
      }
      const at = (field: string) => String(annotations[`${match[1]}.${PROVENANCE_PREFIX}/${field}`] ?? '');
      found.set(match[1], { role: match[1], source: at('source'), reference: at('reference'), digest: at('digest'), where: `${where}["${key}"]` });
    }
  }
  const model = found.get(MODEL_ARTIFACT_KEY_PREFIX);
  const datasets = [...found.values()].filter((d) => d.role !== MODEL_ARTIFACT_KEY_PREFIX);
  const declaredDigests = new Set([...found.values()].map((d) => `${d.digest} ${d.reference}`));
  for (const x of p.containers.filter((c) => c.init && envOf(c, ARTIFACT_ENV.digest) !== undefined)) {
    const d: Declared = {
      role: x.c.name,
      source: envOf(x, ARTIFACT_ENV.source) ?? '',
      reference: envOf(x, ARTIFACT_ENV.reference) ?? '',
      digest: envOf(x, ARTIFACT_ENV.digest) ?? '',
      where: `${x.path}.env`,
    };
    if (!declaredDigests.has(`${d.digest} ${d.reference}`)) {
      datasets.push(d);
    }
  }
  return { model, datasets };
}

function envOf(x: PodContainer, name: string): string | undefined {
  const env = (Array.isArray(x.c.env) ? x.c.env : []).find((e: any) => e?.name === name);
  return env?.value === undefined ? undefined : String(env.value);
}

function verifyChain(p: PodView, a: Declared, main: PodContainer | undefined): Chain {
  const label = `${a.source} ${a.reference} (${a.digest})`;
  if ([a.source, a.reference, a.digest].some(holdsPlaceholder)) {
    return { good: [], bad: [], unknown: [`${p.kind} ${p.name} ${a.where}: ${label} holds a placeholder, so the output does not say what is pinned`] };
  }
  const problem = artifactProblem(a.source as ArtifactSource, a.reference, a.digest);
  if (problem) {
    return { good: [], bad: [`${p.kind} ${p.name} ${a.where}: ${label} is not a valid pinned artifact (${problem.problem})`], unknown: [] };
  }
  const volumes: any[] = Array.isArray(p.spec.volumes) ? p.spec.volumes : [];
  if (a.source === ArtifactSource.OCI) {
    const imageVolume = volumes.find((v) => v?.image?.reference === a.reference);
    if (imageVolume) {
      const mount = (main?.c.volumeMounts ?? []).find((m: any) => m?.name === imageVolume.name);
      return mount?.readOnly === true
        ? { good: [`${p.ev(`${p.specPath}.volumes[${imageVolume.name}].image.reference`, a.reference)} pulled by digest, mounted read-only by ${main!.path}`], bad: [], unknown: [], verifier: `image volume ${imageVolume.name}` }
        : { good: [], bad: [`${p.kind} ${p.name}: the image volume ${imageVolume.name} of ${a.reference} is not mounted read-only by the main container`], unknown: [] };
    }
  }
  const verifier = p.containers.find((x) => x.init && envOf(x, ARTIFACT_ENV.digest) === a.digest && envOf(x, ARTIFACT_ENV.reference) === a.reference
    && envOf(x, ARTIFACT_ENV.source) === a.source);
  if (!verifier) {
    return { good: [], bad: [`${p.kind} ${p.name} ${a.where}: ${label} is declared, and no init container verifies it`], unknown: [] };
  }
  const bad: string[] = [];
  const name = verifier.c.name;
  if (verifier.c.restartPolicy === 'Always') {
    bad.push(`${p.ev(`${verifier.path}.restartPolicy`, 'Always')} (a sidecar runs beside the main container instead of before it)`);
  }
  if (a.source === ArtifactSource.OCI && verifier.c.image !== a.reference) {
    bad.push(`${p.ev(`${verifier.path}.image`, verifier.c.image)} (the copy must come from the pinned image ${a.reference})`);
  }
  const written = (verifier.c.volumeMounts ?? []).filter((m: any) => m?.readOnly !== true)
    .map((m: any) => ({ mount: m, volume: volumes.find((v) => v?.name === m?.name) }))
    .find(({ mount }: any) => (main?.c.volumeMounts ?? []).some((s: any) => s?.name === mount.name));
  const served = written && (main?.c.volumeMounts ?? []).find((s: any) => s?.name === written.mount.name);
  if (!written || !served) {
    bad.push(`${p.kind} ${p.name}: ${verifier.path} writes no volume that the main container mounts`);
    return { good: [], bad, unknown: [] };
  }
  if (written.volume?.emptyDir === undefined) {
    bad.push(`${p.kind} ${p.name}: the volume ${written.mount.name} is not an emptyDir, so its content can outlive or bypass the verifier`);
  }
  if (served.readOnly !== true) {
    bad.push(`${p.field(`${main!.path}.volumeMounts[${written.mount.name}].readOnly`, served.readOnly)} (the main container must mount the verified files read-only)`);
  }
  const after = p.containers.slice(p.containers.indexOf(verifier) + 1).filter((x) => x !== main);
  for (const other of after) {
    const m = (other.c.volumeMounts ?? []).find((v: any) => v?.name === written.mount.name);
    if (m && m.readOnly !== true) {
      bad.push(`${p.field(`${other.path}.volumeMounts[${m.name}].readOnly`, m.readOnly)} (it could change the verified files)`);
    }
  }
  const sourcePath = envOf(verifier, ARTIFACT_ENV.sourcePath);
  if (a.source === ArtifactSource.VOLUME_CLAIM) {
    const claimMount = (verifier.c.volumeMounts ?? []).find((m: any) => m?.mountPath === sourcePath
      && volumes.some((v) => v?.name === m?.name && v?.persistentVolumeClaim?.claimName === a.reference));
    if (!claimMount || claimMount.readOnly !== true) {
      bad.push(`${p.kind} ${p.name}: ${verifier.path} does not mount the claim ${a.reference} read-only at ${sourcePath ?? '(no ARTIFACT_SOURCE_PATH)'}`);
    }
  }
  const expected = expectedScript(a, written.mount.mountPath, served.subPath, sourcePath);
  const command = verifier.c.command;
  const script = Array.isArray(command) && command.length === 3 && command[0] === 'sh' && command[1] === '-c' && verifier.c.args === undefined ? command[2] : undefined;
  if (expected === undefined || script !== expected) {
    bad.push(`${p.kind} ${p.name}: ${verifier.path}.command is not the library's verifier script for ${label} (writing ${written.mount.mountPath}/${served.subPath ?? '(no subPath)'})`);
  }
  if (bad.length > 0) {
    return { good: [], bad, unknown: [] };
  }
  return {
    good: [`${p.ev(`${verifier.path}.env[${ARTIFACT_ENV.digest}]`, a.digest)}: init container ${name} fetches and verifies ${a.source} ${a.reference} into `
      + `emptyDir ${written.mount.name}, mounted read-only by ${main!.path} at ${served.mountPath}`],
    bad: [],
    unknown: [],
    verifier: name,
  };
}

/** The verifier script the library renders for this artifact and these mounts, or undefined when it cannot render one. */
function expectedScript(a: Declared, root: string, name: string | undefined, sourcePath: string | undefined): string | undefined {
  if (name === undefined) {
    return undefined;
  }
  try {
    return verifierScript(artifactOf(a), { root, name, sourcePath });
  } catch {
    return undefined;
  }
}

function artifactOf(a: Declared): PinnedArtifact {
  switch (a.source) {
    case ArtifactSource.OCI: return DatasetArtifact.fromOci(ImageReference.fromString(a.reference));
    case ArtifactSource.VOLUME_CLAIM: return DatasetArtifact.fromVolumeClaim(a.reference, a.digest);
    default: return DatasetArtifact.fromUri(a.reference, a.digest);
  }
}
