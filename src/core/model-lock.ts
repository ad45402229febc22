/* eslint-disable @typescript-eslint/no-explicit-any */
import { describe } from './errors';
import { ImageLock, parseLockReference } from './image-lock';
import { ARTIFACT_DIGEST, ArtifactSource, artifactProblem } from './model-artifact';
import { manifestDigest, parseManifest } from './model-manifest';
import { compareCodeUnits } from './ordering';
import { MEDIA_TYPE_PATTERN } from './patterns';

/** A model's name in the lock: letters, digits and `. _ -`, starting with a letter or digit, at most 128. @internal */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * One model of the lock file: where its weights come from and the digest `cdk-compliant-ml pin` computed for them.
 */
export interface ModelLockEntry {
  /**
   * The name the app uses for the model, e.g. `fraud-scorer` (letters, digits and `. _ -`, at most 128): the key under `models`.
   */
  readonly name: string;

  /**
   * Where the weights come from: `oci` (an OCI artifact or modelcar image) or `uri` (`https://` files; `s3://` and `gs://` in a
   * hand-written entry).
   */
  readonly source: string;

  /**
   * For `oci`, the tagged reference that was resolved, e.g. `ghcr.io/acme/fraud-model:1.4.2`; for `uri`, the URL of the single
   * file, or the base URL (ending with `/`) that the manifest's paths are relative to.
   */
  readonly reference: string;

  /**
   * `sha256:<64 lowercase hex>`: of the OCI manifest (or index) bytes, of the single file, or of the manifest text.
   */
  readonly digest: string;

  /**
   * The manifest of a multi-file model: one `<64 hex>  <relative path>` line per file, as `sha256sum` prints it, sorted by path;
   * `digest` is the sha256 of this text.
   *
   * @default - a single file or an OCI reference
   */
  readonly manifest?: string;

  /**
   * The media type of the resolved OCI manifest or index.
   *
   * @default - not an OCI reference, or not recorded
   */
  readonly mediaType?: string;

  /**
   * The artifact type of an OCI artifact: its manifest's `artifactType`, else its config's media type when that is not an image
   * config.
   *
   * @default - a modelcar image (an ordinary image) or not an OCI reference
   */
  readonly artifactType?: string;

  /**
   * When the reference was first resolved to this digest, as an ISO 8601 timestamp.
   *
   * @default - not recorded
   */
  readonly resolvedAt?: string;
}

/**
 * What is wrong with a model lock entry, or undefined when nothing is: the name, the source and its reference, a sha256 digest,
 * and for a manifest its lines (`<64 hex>  <path>`, sorted, no duplicates) and that the digest is the sha256 of its text.
 *
 * @internal
 */
export function modelEntryProblem(entry: any): string | undefined {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    return 'is not an object';
  }
  for (const field of ['name', 'source', 'reference', 'digest']) {
    if (typeof entry[field] !== 'string') {
      return `has the ${field} ${describe(entry[field])}, expected a string`;
    }
  }
  for (const field of ['manifest', 'mediaType', 'artifactType', 'resolvedAt']) {
    if (entry[field] !== undefined && typeof entry[field] !== 'string') {
      return `has the ${field} ${describe(entry[field])}, expected a string`;
    }
  }
  if (!MODEL_NAME_PATTERN.test(entry.name)) {
    return `has the name ${describe(entry.name)}, expected letters, digits and . _ - (starting with a letter or digit, at most 128)`;
  }
  if (!ARTIFACT_DIGEST.test(entry.digest)) {
    return `has the digest ${describe(entry.digest)}, expected sha256:<64 lowercase hex>`;
  }
  if (entry.source === 'oci') {
    return ociProblem(entry);
  }
  if (entry.source === 'uri') {
    return uriProblem(entry);
  }
  return `has the source ${describe(entry.source)}, expected "oci" or "uri"`;
}

function ociProblem(entry: any): string | undefined {
  try {
    const parsed = parseLockReference(entry.reference);
    if (parsed.digest !== undefined) {
      return `has the reference ${describe(entry.reference)}, which carries a digest; the lock records the tagged reference`;
    }
  } catch (e) {
    return `has the reference ${describe(entry.reference)}, which is not a tagged OCI reference (${(e as Error).message})`;
  }
  if (entry.manifest !== undefined) {
    return 'has a manifest, which only a multi-file uri model has';
  }
  for (const field of ['mediaType', 'artifactType']) {
    if (entry[field] !== undefined && !MEDIA_TYPE_PATTERN.test(entry[field])) {
      return `has the ${field} ${describe(entry[field])}, which is not a media type`;
    }
  }
  return undefined;
}

function uriProblem(entry: any): string | undefined {
  // `pin` reaches loopback and --insecure-registry hosts over plain HTTP (tests); the lock reads such an entry with the rules of
  // https, and ModelArtifact.fromUri refuses its scheme at synth time
  const reference: string = entry.reference.replace(/^http:\/\//, 'https://');
  const problem = artifactProblem(ArtifactSource.URI, reference, entry.digest);
  if (problem !== undefined) {
    return `has the reference ${describe(entry.reference)}: ${problem.problem}`;
  }
  if (entry.mediaType !== undefined || entry.artifactType !== undefined) {
    return 'has a mediaType or artifactType, which only an oci model has';
  }
  const directory = reference.endsWith('/');
  if (entry.manifest === undefined) {
    return directory ? `names the directory ${describe(entry.reference)} (ending with /) but has no manifest of its files` : undefined;
  }
  if (!directory) {
    return `has a manifest, but its reference ${describe(entry.reference)} is a file, not a directory ending with /`;
  }
  try {
    parseManifest(entry.manifest);
  } catch (e) {
    return `has a manifest that is not valid (${(e as Error).message})`;
  }
  const actual = manifestDigest(entry.manifest);
  return actual === entry.digest ? undefined : `has the digest ${entry.digest}, but its manifest's sha256 is ${actual}`;
}

/** The model entries of a lock in a fixed order, sorted by name, each with its keys sorted (as the lock file writes them). @internal */
export function modelsJson(models: ModelLockEntry[]): Record<string, unknown> | undefined {
  if (models.length === 0) {
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const model of [...models].sort((a, b) => compareCodeUnits(a.name, b.name))) {
    const { name: _name, ...fields } = model;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(fields).sort()) {
      if ((fields as Record<string, unknown>)[key] !== undefined) {
        sorted[key] = (fields as Record<string, unknown>)[key];
      }
    }
    out[model.name] = sorted;
  }
  return out;
}

/**
 * The `models` object of a lock file as entries (the key is the name), each checked by `modelEntryProblem`.
 *
 * @internal
 */
export function readModels(json: unknown, bad: (problem: string) => Error): ModelLockEntry[] {
  if (json === undefined) {
    return [];
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw bad('"models" is not an object');
  }
  return Object.entries(json as Record<string, any>).map(([name, value]) => {
    const entry = value && typeof value === 'object' && !Array.isArray(value) ? { ...value, name } : value;
    const problem = modelEntryProblem(entry);
    if (problem !== undefined) {
      throw bad(`the model ${describe(name)} ${problem}`);
    }
    return {
      name,
      source: entry.source,
      reference: entry.reference,
      digest: entry.digest,
      manifest: entry.manifest,
      mediaType: entry.mediaType,
      artifactType: entry.artifactType,
      resolvedAt: entry.resolvedAt,
    };
  });
}

/**
 * The model of this name in the lock, or an error that lists the lock's models and the `pin` command to run.
 *
 * @internal
 */
export function lockedModel(lock: ImageLock, name: string): ModelLockEntry {
  const entry = lock.findModel(name);
  if (entry !== undefined) {
    return entry;
  }
  const names = lock.models.map((m) => m.name);
  const lockOption = lock.source === ImageLock.DEFAULT_FILE_NAME ? '' : ` --lock ${lock.source}`;
  throw new Error(`the image lock ${lock.source} has no model ${describe(name)} (${names.length === 0 ? 'it has no models'
    : `its models: ${names.join(', ')}`}); run \`cdk-compliant-ml pin${lockOption} --model ${name}=REFERENCE\` and commit the updated lock`);
}
