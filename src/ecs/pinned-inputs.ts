import { IConstruct } from 'constructs';
import { VerifiedInputPlacement } from './artifact-verifier';
import { MODEL_DIGEST_VARIABLE } from './checks/model-checks';
import { propError } from '../core/errors';
import { ImageReference } from '../core/image-reference';
import { DatasetArtifact, ModelArtifact, PinnedArtifact, validateArtifact } from '../core/model-artifact';
import { ModelMetadata } from '../core/provenance';
import { artifactEntries } from '../core/provenance-keys';
import { verifierImageOf } from '../core/verifier-images';

/** The name of the model's verifier container. */
export const MODEL_VERIFIER = 'model-verifier';
/** The directory below the model volume that holds the verified model. */
export const VERIFIED_MODEL_DIR = 'model';
/** The directory below each dataset volume that holds the verified dataset. */
export const VERIFIED_DATASET_DIR = 'data';

/**
 * Validates a model artifact prop for ECS: a `ModelArtifact` whose source an ECS task can fetch. A claim exists only on
 * Kubernetes; `gs://` needs Google credentials, which an ECS task does not have and the task role cannot scope, so it is refused
 * with the ways that work.
 *
 * @internal
 */
export function validateEcsArtifact<T extends PinnedArtifact>(scope: IConstruct, prop: string, value: T, expected: 'ModelArtifact' | 'DatasetArtifact'): T {
  const artifact = validateArtifact(scope, prop, value, expected, { allowVolumeClaim: false });
  if (artifact.scheme === 'gs') {
    throw propError(scope, prop, artifact.reference, 'gs:// needs Google Cloud credentials, which an ECS task does not have and its task role '
      + 'cannot grant or scope (the output could not show who may read the object)',
    `copy the files to S3 (${expected}.fromUri('s3://…', digest)) or an OCI registry (${expected}.fromOci), or fetch a public object over `
      + 'https (https://storage.googleapis.com/<bucket>/<object>)');
  }
  return artifact;
}

/**
 * The placement of the model (and the datasets) in the task: one verifier container and one task volume each, the volume
 * mounted read-only in the main container.
 *
 * @internal
 */
export function pinnedInputPlacements(verifierImage: ImageReference | undefined, model: { artifact: ModelArtifact; mountPath: string } | undefined,
  datasets: Array<{ artifact: DatasetArtifact; mountPath: string }>): VerifiedInputPlacement[] {
  const imageOf = (artifact: PinnedArtifact) => verifierImageOf(artifact, verifierImage);
  return [
    ...(model ? [{
      artifact: model.artifact,
      image: imageOf(model.artifact),
      prop: 'modelArtifact',
      containerName: MODEL_VERIFIER,
      volumeName: 'model-cache',
      mountPath: model.mountPath,
      name: VERIFIED_MODEL_DIR,
    }] : []),
    ...datasets.map((d, i) => ({
      artifact: d.artifact,
      image: imageOf(d.artifact),
      prop: `datasetArtifacts[${i}]`,
      containerName: `dataset-verifier-${i}`,
      volumeName: `dataset-artifact-${i}`,
      mountPath: d.mountPath,
      name: VERIFIED_DATASET_DIR,
    })),
  ];
}

/**
 * The environment the main container gets for its pinned inputs: the model's digest and directory, and each dataset's.
 *
 * @internal
 */
export function pinnedInputEnvironment(placements: VerifiedInputPlacement[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of placements) {
    if (p.containerName === MODEL_VERIFIER) {
      out[MODEL_DIGEST_VARIABLE] = p.artifact.digest;
      out.MODEL_DIR = `${p.mountPath}/${p.name}`;
    } else {
      const index = p.volumeName.slice('dataset-artifact-'.length);
      out[`DATASET_${index}_DIGEST`] = p.artifact.digest;
      out[`DATASET_${index}_DIR`] = `${p.mountPath}/${p.name}`;
    }
  }
  return out;
}

/**
 * The docker labels of the main container that declare its pinned inputs' digests (read by MOD-1 and the report).
 *
 * @internal
 */
export function pinnedInputLabels(placements: VerifiedInputPlacement[]): Record<string, string> {
  const model = placements.find((p) => p.containerName === MODEL_VERIFIER)?.artifact;
  return artifactEntries(model, placements.filter((p) => p.containerName !== MODEL_VERIFIER).map((p) => p.artifact));
}

/**
 * The model identity recorded in docker labels and tags with the artifact's digest and reference: a `model.digest` that differs
 * from the artifact's is refused (two digests for one model), a missing one is taken from the artifact.
 *
 * @internal
 */
export function modelWithArtifact(scope: IConstruct, model: ModelMetadata, artifact: ModelArtifact | undefined): ModelMetadata {
  if (!artifact) {
    return model;
  }
  if (model.digest !== undefined && model.digest !== artifact.digest) {
    throw propError(scope, 'model.digest', model.digest, `differs from the digest of modelArtifact (${artifact.digest})`,
      'drop model.digest (the artifact\'s digest is recorded) or make the two equal');
  }
  return { ...model, digest: artifact.digest, uri: model.uri ?? artifact.reference };
}

