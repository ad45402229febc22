// MOD-1 rendering: the init containers that fetch and verify the pinned artifacts (the model, a training job's datasets) into
// `emptyDir` volumes that the main container mounts read-only, the environment and annotations that declare the digests, and
// the `image` volume alternative for OCI models.
import { ApiObject, JsonPatch, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { OciArtifactMount } from './artifact-props';
import { containerSecurityContext } from './pod-security';
import { wholeMebibytes } from '../core/bounds';
import { propError } from '../core/errors';
import { ImageReference } from '../core/image-reference';
import { ArtifactSource, PinnedArtifact } from '../core/model-artifact';
import { verifierScript } from '../core/model-verifier-script';
import { artifactEntries } from '../core/provenance-keys';
import { verifierImageOf } from '../core/verifier-images';

/** Where the verifier mounts the volume it writes; the verified files land in `<root>/<VERIFIED_DIR>`. @internal */
export const VERIFIER_ROOT = '/cdk-compliant-ml/artifact';
/** The directory below the root that holds the verified files; the main container mounts it (subPath). @internal */
export const VERIFIED_DIR = 'verified';
/** Where a claim is mounted read-only in its verifier. @internal */
export const CLAIM_SOURCE_PATH = '/cdk-compliant-ml/source';
/** The environment that declares an artifact in its verifier. @internal */
export const ARTIFACT_ENV = { source: 'ARTIFACT_SOURCE', reference: 'ARTIFACT_REFERENCE', digest: 'ARTIFACT_DIGEST', sourcePath: 'ARTIFACT_SOURCE_PATH' };

const VERIFIER_RESOURCES: k8s.ResourceRequirements = {
  requests: { 'cpu': k8s.Quantity.fromString('250m'), 'memory': k8s.Quantity.fromString('256Mi'), 'ephemeral-storage': k8s.Quantity.fromString('64Mi') },
  limits: { 'cpu': k8s.Quantity.fromString('1'), 'memory': k8s.Quantity.fromString('1Gi'), 'ephemeral-storage': k8s.Quantity.fromString('256Mi') },
};

/**
 * One artifact to render.
 *
 * @internal
 */
export interface ArtifactToVerify {
  readonly artifact: PinnedArtifact;
  /** The prop it comes from, for errors (`modelArtifact`, `datasetArtifacts[0]`). */
  readonly prop: string;
  /** The init container's name: `model-verifier`, `dataset-verifier-0`, … */
  readonly containerName: string;
  /** The volume the verified files are written to. */
  readonly volumeName: string;
  /** Where the main container sees the verified files. */
  readonly mountPath: string;
  /** The size limit of the volume. */
  readonly size: Size;
  /** The prop the size comes from. */
  readonly sizeProp: string;
}

/**
 * What the artifacts add to a pod spec.
 *
 * @internal
 */
export interface RenderedArtifacts {
  readonly initContainers: k8s.Container[];
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
  readonly mountProps: string[];
  readonly annotations: Record<string, string>;
  /** `image` volumes to patch into the output (name → reference), which the 1.27 types cannot express. */
  readonly imageVolumes: Array<{ name: string; reference: string }>;
}

/**
 * Renders the verifiers of a workload's artifacts.
 *
 * @internal
 */
export function renderArtifacts(scope: IConstruct, items: ArtifactToVerify[], o: {
  user: number;
  group: number;
  verifierImage?: ImageReference;
  ociMount: OciArtifactMount;
  ociPath: string;
  modelArtifact?: PinnedArtifact;
  datasetArtifacts?: PinnedArtifact[];
}): RenderedArtifacts {
  if (!/^\/[A-Za-z0-9._/-]+$/.test(o.ociPath) || o.ociPath.split('/').includes('..')) {
    throw propError(scope, 'ociArtifactPath', o.ociPath, 'must be an absolute path of [A-Za-z0-9._/-] without ".."', 'e.g. /models');
  }
  if (o.verifierImage !== undefined && (!(o.verifierImage instanceof ImageReference) || !o.verifierImage.isPinned)) {
    throw propError(scope, 'artifactVerifierImage', String(o.verifierImage), 'must be an ImageReference pinned by digest',
      'use ImageReference.fromString(\'name:tag@sha256:<64 hex>\')');
  }
  const out: RenderedArtifacts = { initContainers: [], volumes: [], mounts: [], mountProps: [], annotations: {}, imageVolumes: [] };
  const describe = (a: PinnedArtifact) => ({ source: a.source, reference: a.reference, digest: a.digest });
  Object.assign(out.annotations, artifactEntries(o.modelArtifact && describe(o.modelArtifact), (o.datasetArtifacts ?? []).map(describe)));
  for (const item of items) {
    const { artifact } = item;
    if (artifact.source === ArtifactSource.OCI && o.ociMount === OciArtifactMount.IMAGE_VOLUME) {
      out.volumes.push({ name: item.volumeName, emptyDir: {} }); // replaced by an `image` volume in the output (patchImageVolumes)
      out.imageVolumes.push({ name: item.volumeName, reference: artifact.reference });
      out.mounts.push({ name: item.volumeName, mountPath: item.mountPath, subPath: o.ociPath.slice(1), readOnly: true });
      out.mountProps.push(item.prop);
      continue;
    }
    const sizeLimit = k8s.Quantity.fromString(`${wholeMebibytes(scope, item.sizeProp, item.size)}Mi`);
    out.volumes.push({ name: item.volumeName, emptyDir: { sizeLimit } });
    const sourcePath = artifact.source === ArtifactSource.OCI ? o.ociPath
      : artifact.source === ArtifactSource.VOLUME_CLAIM ? CLAIM_SOURCE_PATH : undefined;
    const mounts: k8s.VolumeMount[] = [
      { name: item.volumeName, mountPath: VERIFIER_ROOT },
      { name: `${item.containerName}-tmp`, mountPath: '/tmp' },
    ];
    out.volumes.push({ name: `${item.containerName}-tmp`, emptyDir: { sizeLimit: k8s.Quantity.fromString('256Mi') } });
    if (artifact.source === ArtifactSource.VOLUME_CLAIM) {
      out.volumes.push({ name: `${item.containerName}-source`, persistentVolumeClaim: { claimName: artifact.claimName!, readOnly: true } });
      mounts.push({ name: `${item.containerName}-source`, mountPath: CLAIM_SOURCE_PATH, readOnly: true });
    }
    out.initContainers.push({
      name: item.containerName,
      image: verifierImageOf(artifact, o.verifierImage).toString(),
      imagePullPolicy: 'Always',
      command: ['sh', '-c', verifierScript(artifact, { root: VERIFIER_ROOT, name: VERIFIED_DIR, sourcePath })],
      env: [
        { name: ARTIFACT_ENV.digest, value: artifact.digest },
        { name: ARTIFACT_ENV.reference, value: artifact.reference },
        { name: ARTIFACT_ENV.source, value: artifact.source },
        ...(sourcePath ? [{ name: ARTIFACT_ENV.sourcePath, value: sourcePath }] : []),
        { name: 'HOME', value: '/tmp' },
      ],
      resources: VERIFIER_RESOURCES,
      securityContext: containerSecurityContext(o.user, o.group, true),
      volumeMounts: mounts,
    });
    out.mounts.push({ name: item.volumeName, mountPath: item.mountPath, subPath: VERIFIED_DIR, readOnly: true });
    out.mountProps.push(item.prop);
  }
  return out;
}

/**
 * Replaces the placeholder volumes of OCI artifacts by `image` volumes (ImageVolume) in the final JSON of the workload: the
 * Kubernetes 1.27 types of cdk8s-plus-27 have no `image` volume source and would drop it.
 *
 * @internal
 */
export function patchImageVolumes(obj: ApiObject, podSpecPointer: string, imageVolumes: Array<{ name: string; reference: string }>): void {
  if (imageVolumes.length === 0) {
    return;
  }
  const typedToJson = obj.toJson.bind(obj);
  obj.toJson = () => {
    let json = typedToJson();
    const podSpec = podSpecPointer.split('/').slice(1).reduce((at, key) => at?.[key], json);
    const volumes: Array<{ name?: unknown }> = Array.isArray(podSpec?.volumes) ? podSpec.volumes : [];
    for (const { name, reference } of imageVolumes) {
      const index = volumes.findIndex((v) => v?.name === name);
      if (index >= 0) {
        json = JsonPatch.apply(json, JsonPatch.replace(`${podSpecPointer}/volumes/${index}`, { name, image: { reference, pullPolicy: 'Always' } }));
      }
    }
    return json;
  };
}
