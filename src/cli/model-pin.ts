import { UsageError } from './args';
import { plainHttpAllowed } from './http-get';
import { digestDirectory, digestFile, ModelFileOptions, SHA256SUMS_COMMAND } from './model-files';
import { RegistryOptions, resolveManifest } from './registry';
import { printable, RegistryError } from './registry-manifest';
import { parseLockReference } from '../core/image-lock';
import { ArtifactSource, artifactProblem } from '../core/model-artifact';
import { ModelLockEntry, MODEL_NAME_PATTERN } from '../core/model-lock';

/**
 * The models of `pin`: `--model NAME=REFERENCE` arguments (or the lock's `models` when re-pinning), resolved to the entries of the
 * lock's `models`. Not part of the library's API.
 */

/** A model to pin, as `--model` or the lock names it. @internal */
export interface ModelRequest {
  readonly name: string;
  /** `oci`, `uri` (https/http, which pin can read) or `cloud` (s3/gs, which it cannot). */
  readonly kind: 'oci' | 'uri' | 'cloud';
  /** For `oci` the tagged reference without `oci://`; otherwise the URL. */
  readonly reference: string;
}

/** What a model resolved to: the lock entry (without `resolvedAt`) and a description for the progress line. @internal */
export interface ResolvedModel {
  readonly entry: Omit<ModelLockEntry, 'resolvedAt'>;
  readonly details: string;
}

const REFERENCE_FORMS = 'write oci://REGISTRY/REPOSITORY:TAG (a modelcar or OCI artifact), https://HOST/PATH (one file) or '
  + 'https://HOST/PATH/ (a directory that serves its SHA256SUMS)';

/**
 * Parses `--model NAME=REFERENCE`; throws a `UsageError` saying what to write.
 *
 * @internal
 */
export function parseModelArgument(argument: string, insecureHosts: string[]): ModelRequest {
  const eq = argument.indexOf('=');
  if (eq <= 0) {
    throw new UsageError(printable(`--model ${JSON.stringify(argument)} is not NAME=REFERENCE; ${REFERENCE_FORMS}`));
  }
  const name = argument.slice(0, eq);
  const reference = argument.slice(eq + 1);
  if (!MODEL_NAME_PATTERN.test(name)) {
    throw new UsageError(printable(`--model ${JSON.stringify(argument)}: the name ${JSON.stringify(name)} must be letters, digits and . _ - `
      + '(starting with a letter or digit, at most 128)'));
  }
  return modelRequest(name, reference, insecureHosts, (problem) => new UsageError(printable(`--model ${JSON.stringify(argument)}: ${problem}`)));
}

/**
 * The request that re-pins a model of the lock.
 *
 * @internal
 */
export function requestOfLockEntry(entry: ModelLockEntry): ModelRequest {
  if (entry.source === ArtifactSource.OCI) {
    return { name: entry.name, kind: 'oci', reference: entry.reference };
  }
  return { name: entry.name, kind: /^(s3|gs):/.test(entry.reference) ? 'cloud' : 'uri', reference: entry.reference };
}

function modelRequest(name: string, reference: string, insecureHosts: string[], bad: (problem: string) => Error): ModelRequest {
  if (reference.startsWith('oci://')) {
    const oci = reference.slice('oci://'.length);
    let parsed;
    try {
      parsed = parseLockReference(oci);
    } catch (e) {
      throw bad((e as Error).message);
    }
    if (parsed.digest !== undefined) {
      throw bad('it is already pinned by digest; pass oci://REGISTRY/REPOSITORY:TAG, or use ModelArtifact.fromOci with the pinned reference');
    }
    return { name, kind: 'oci', reference: oci };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(reference)?.[1].toLowerCase();
  if (scheme !== 'https' && scheme !== 'http' && scheme !== 's3' && scheme !== 'gs') {
    throw bad(REFERENCE_FORMS);
  }
  // the rules of ModelArtifact.fromUri (no credentials, no signed query, a valid host and path); http: is checked as https:
  const problem = artifactProblem(ArtifactSource.URI, scheme === 'http' ? `https${reference.slice(4)}` : reference, `sha256:${'0'.repeat(64)}`);
  if (problem !== undefined) {
    throw bad(`${problem.problem}; ${problem.fix}`);
  }
  if (scheme === 'http' && !plainHttpAllowed(new URL(reference).host, insecureHosts)) {
    throw bad(`plain HTTP is allowed only for loopback hosts and --insecure-registry hosts, not ${new URL(reference).host}; use https://`);
  }
  return { name, kind: scheme === 's3' || scheme === 'gs' ? 'cloud' : 'uri', reference };
}

/**
 * Why pin cannot digest an `s3://` or `gs://` model, and how to pin it where the files are.
 *
 * @internal
 */
export function cloudModelMessage(request: ModelRequest): string {
  const scheme = request.reference.slice(0, request.reference.indexOf(':'));
  const what = request.reference.endsWith('/')
    ? `for a directory, write its manifest where the files are and take the manifest's sha256: \`${SHA256SUMS_COMMAND}\`, then upload `
      + 'SHA256SUMS next to the files (the verifier reads it)'
    : `for one file, \`sha256sum FILE\` where the file is (e.g. after \`${scheme === 's3' ? 'aws s3 cp' : 'gcloud storage cp'} `
      + `${request.reference} .\`)`;
  return `${request.reference}: pin reads no ${scheme}:// objects (it holds no cloud credentials), so it cannot compute this digest; `
    + `${what}; then write ModelArtifact.fromUri('${request.reference}', 'sha256:<64 hex>') in the app`;
}

/**
 * Resolves a model: an OCI reference to the verified digest of its manifest (the registry client of images) that must have
 * layers, an https file to its streamed sha256, an https directory to its checked manifest. `cloud` requests throw.
 *
 * @internal
 */
export async function resolveModel(request: ModelRequest, registry: RegistryOptions, files: ModelFileOptions): Promise<ResolvedModel> {
  const ref = `${request.name} (${request.kind === 'oci' ? `oci://${request.reference}` : request.reference})`;
  if (request.kind === 'cloud') {
    throw new RegistryError(cloudModelMessage(request));
  }
  if (request.kind === 'oci') {
    const parsed = parseLockReference(request.reference);
    const resolved = await resolveManifest(parsed.registry, parsed.repository, parsed.tag, registry);
    if (resolved.platforms === undefined && resolved.layerCount === 0) {
      throw new RegistryError(`${ref}: the manifest ${resolved.digest} has no layers, so it holds no model files; check the reference`);
    }
    const entry = {
      name: request.name,
      source: ArtifactSource.OCI,
      reference: request.reference,
      digest: resolved.digest,
      mediaType: resolved.mediaType,
      artifactType: resolved.artifactType,
    };
    const what = resolved.platforms !== undefined ? `index of ${resolved.platforms.length} platforms` : `${resolved.layerCount} layers`;
    return { entry, details: `${what}${resolved.artifactType ? `, artifactType ${resolved.artifactType}` : ''}` };
  }
  const url = new URL(request.reference);
  if (request.reference.endsWith('/')) {
    const directory = await digestDirectory(ref, url, files);
    return {
      entry: { name: request.name, source: ArtifactSource.URI, reference: request.reference, digest: directory.digest, manifest: directory.manifest },
      details: `${directory.files} files, ${directory.size} bytes, every sha256 of SHA256SUMS checked`,
    };
  }
  const file = await digestFile(ref, url, files);
  return { entry: { name: request.name, source: ArtifactSource.URI, reference: request.reference, digest: file.digest }, details: `${file.size} bytes` };
}
