import { IConstruct } from 'constructs';
import { describe, hasToken, propError } from './errors';
import { ImageReference } from './image-reference';
import { MANIFEST_FILE_NAME } from './model-manifest';
import { credentialInValue } from './secret-detection';

/**
 * Where a pinned artifact (model weights, a dataset) comes from.
 */
export enum ArtifactSource {
  /** An OCI artifact or modelcar image, pinned by its manifest digest (the container runtime verifies it on pull). */
  OCI = 'oci',
  /** An object or prefix in S3 (`s3://`), Google Cloud Storage (`gs://`) or on an HTTPS server (`https://`). */
  URI = 'uri',
  /** A Kubernetes PersistentVolumeClaim holding the files. */
  VOLUME_CLAIM = 'volume-claim',
}

/** The digest every artifact is pinned by: what `sha256sum` prints, as `sha256:<64 lowercase hex>`. @internal */
export const ARTIFACT_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** A DNS-1123 subdomain, the form of a PersistentVolumeClaim name. @internal */
export const DNS_1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const SCHEMES = ['s3', 'gs', 'https'];
/** Bucket names: S3 3-63 of [a-z0-9.-]; GCS 3-222 of [a-z0-9._-] (each dot-separated part at most 63). */
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;
/** The characters an object key or URL path may hold here: unreserved and a few sub-delimiters; nothing a shell or sed reads. */
const PATH_CHARS = /^[A-Za-z0-9._~!*()+,;=:@%/-]*$/;
/** Query parameters that carry a credential or a presigned-URL signature (AWS SigV4, GCS V4, Azure SAS, CloudFront, OAuth). */
const CREDENTIAL_PARAMS = /^(x-amz-[a-z-]+|x-goog-[a-z-]+|awsaccesskeyid|signature|sig|se|sp|sv|skoid|sktid|policy|key-pair-id|token|access_token|id_token|auth|authorization|key|api_key|apikey|password|secret)$/i;

const DIGEST_FIX = 'write the digest as sha256:<64 lowercase hex>, e.g. `sha256sum model.safetensors` for one file or the sha256 of the '
  + 'manifest of a directory (`cdk-compliant-ml pin`, README "Pinning the model")';
const SCHEME_FIX = 'use s3://bucket/key, gs://bucket/object or https://host/path (a directory ends in `/`); copy anything else '
  + '(hf://, http://, file://) to one of those first, or use ModelArtifact.fromOci / fromVolumeClaim';

/**
 * A pinned input of a workload: files named by an OCI reference, a URI or a volume claim, and the sha256 digest they must have.
 *
 * The constructs fetch it in an init container (Kubernetes) or a non-essential container (ECS) that runs before the main
 * container, verify the digest (of the single file, or of the manifest of a directory: `sha256sum` output of every file sorted by
 * path, see README "Pinning the model"), and give the main container the verified files read-only (control MOD-1).
 */
export abstract class PinnedArtifact {
  /**
   * Where the artifact comes from.
   */
  public readonly source: ArtifactSource;

  /**
   * The OCI reference, the URI or the claim name, as given.
   */
  public readonly reference: string;

  /**
   * The pinned digest, `sha256:<64 lowercase hex>`: of the OCI manifest, of the file, or of the manifest of the files.
   */
  public readonly digest: string;

  /**
   * The URI scheme (`s3`, `gs` or `https`) of a URI artifact.
   *
   * @default - not a URI artifact
   */
  public readonly scheme?: string;

  /**
   * The URI of a URI artifact.
   *
   * @default - not a URI artifact
   */
  public readonly uri?: string;

  /**
   * The PersistentVolumeClaim name of a claim artifact.
   *
   * @default - not a claim artifact
   */
  public readonly claimName?: string;

  /**
   * The digest-pinned image of an OCI artifact.
   *
   * @default - not an OCI artifact
   */
  public readonly imageReference?: ImageReference;

  /**
   * Whether the artifact is a directory of files verified through its manifest (a URI ending in `/`, a claim, an OCI image),
   * rather than one file verified by its own sha256.
   */
  public readonly isDirectory: boolean;

  /**
   * @param kind what the artifact is, for error messages (`model artifact`, `dataset artifact`)
   * @param source where it comes from
   * @param reference the OCI reference, the URI or the claim name
   * @param digest `sha256:<64 lowercase hex>` (for OCI: the reference's digest)
   */
  protected constructor(kind: string, source: ArtifactSource, reference: string, digest: string) {
    const problem = artifactProblem(source, reference, digest);
    if (problem) {
      throw new Error(`invalid ${kind} ${describe(reference)}: ${problem.problem}; ${problem.fix}`);
    }
    this.source = source;
    this.reference = reference;
    this.digest = digest;
    if (source === ArtifactSource.URI) {
      this.uri = reference;
      this.scheme = reference.slice(0, reference.indexOf(':'));
    } else if (source === ArtifactSource.VOLUME_CLAIM) {
      this.claimName = reference;
    } else {
      this.imageReference = ImageReference.fromString(reference);
    }
    this.isDirectory = source !== ArtifactSource.URI || reference.endsWith('/');
  }
}

/**
 * The model weights as a pinned input, verified before the workload's main container starts (control MOD-1).
 *
 * `fromOci` names a modelcar or OCI artifact image by digest; `fromUri` an `s3://`, `gs://` or `https://` file, or a directory
 * (ending in `/`) with the sha256 of its manifest; `fromVolumeClaim` a Kubernetes PersistentVolumeClaim with the sha256 of the
 * manifest of its files.
 */
export class ModelArtifact extends PinnedArtifact {
  /**
   * A model packaged as an OCI image (a KServe-style modelcar: the files under `/models`, with `sh` and `cp`), pinned by digest.
   *
   * @param imageReference the image, pinned by a sha256 digest
   */
  public static fromOci(imageReference: ImageReference): ModelArtifact {
    return new ModelArtifact(ArtifactSource.OCI, ociReference('model artifact', imageReference), imageReference?.digest ?? '');
  }

  /**
   * A model file or directory in S3, Google Cloud Storage or on an HTTPS server, with the sha256 it must have.
   *
   * @param uri `s3://bucket/key`, `gs://bucket/object` or `https://host/path`; a directory ends in `/` (for https its manifest is
   * read from `<uri>SHA256SUMS`)
   * @param digest `sha256:<64 lowercase hex>` of the file, or of the directory's manifest
   */
  public static fromUri(uri: string, digest: string): ModelArtifact {
    return new ModelArtifact(ArtifactSource.URI, uri, digest);
  }

  /**
   * A model on a Kubernetes PersistentVolumeClaim (Kubernetes only): every file of the volume, verified by its manifest.
   *
   * @param claimName the claim's name (DNS-1123)
   * @param digest `sha256:<64 lowercase hex>` of the manifest of the volume's files
   */
  public static fromVolumeClaim(claimName: string, digest: string): ModelArtifact {
    return new ModelArtifact(ArtifactSource.VOLUME_CLAIM, claimName, digest);
  }

  private constructor(source: ArtifactSource, reference: string, digest: string) {
    super('model artifact', source, reference, digest);
  }
}

/**
 * A dataset as a pinned input of a training job, verified before the job's main container starts (control MOD-1).
 *
 * The same sources and digest rules as `ModelArtifact`; a separate type so that a dataset is never passed as the model.
 */
export class DatasetArtifact extends PinnedArtifact {
  /**
   * A dataset packaged as an OCI image (the files under `/models` or the path the construct is given, with `sh` and `cp`).
   *
   * @param imageReference the image, pinned by a sha256 digest
   */
  public static fromOci(imageReference: ImageReference): DatasetArtifact {
    return new DatasetArtifact(ArtifactSource.OCI, ociReference('dataset artifact', imageReference), imageReference?.digest ?? '');
  }

  /**
   * A dataset file or directory in S3, Google Cloud Storage or on an HTTPS server, with the sha256 it must have.
   *
   * @param uri `s3://bucket/key`, `gs://bucket/object` or `https://host/path`; a directory ends in `/`
   * @param digest `sha256:<64 lowercase hex>` of the file, or of the directory's manifest
   */
  public static fromUri(uri: string, digest: string): DatasetArtifact {
    return new DatasetArtifact(ArtifactSource.URI, uri, digest);
  }

  /**
   * A dataset on a Kubernetes PersistentVolumeClaim (Kubernetes only), verified by the manifest of its files.
   *
   * @param claimName the claim's name (DNS-1123)
   * @param digest `sha256:<64 lowercase hex>` of the manifest of the volume's files
   */
  public static fromVolumeClaim(claimName: string, digest: string): DatasetArtifact {
    return new DatasetArtifact(ArtifactSource.VOLUME_CLAIM, claimName, digest);
  }

  private constructor(source: ArtifactSource, reference: string, digest: string) {
    super('dataset artifact', source, reference, digest);
  }
}

/**
 * Validates an artifact prop of a construct: an instance of the expected class whose fields still pass the factory's rules, and
 * a source the backend supports. Throws a prop error naming the construct path, the prop, the value and the fix.
 *
 * @internal
 */
export function validateArtifact<T extends PinnedArtifact>(scope: IConstruct | undefined, prop: string, value: T,
  expected: 'ModelArtifact' | 'DatasetArtifact', options: { readonly allowVolumeClaim: boolean }): T {
  const cls = expected === 'ModelArtifact' ? ModelArtifact : DatasetArtifact;
  if (!(value instanceof cls)) {
    throw propError(scope, prop, value, `is not a ${expected}`, `create it with ${expected}.fromOci, fromUri or fromVolumeClaim`);
  }
  const problem = artifactProblem(value.source, value.reference, value.digest);
  if (problem) {
    throw propError(scope, prop, value.reference, problem.problem, problem.fix);
  }
  if (value.source === ArtifactSource.VOLUME_CLAIM && !options.allowVolumeClaim) {
    throw propError(scope, prop, value.reference, 'a PersistentVolumeClaim exists only on Kubernetes',
      `use ${expected}.fromUri (s3://) or ${expected}.fromOci on ECS`);
  }
  return value;
}

/**
 * Why an artifact's source, reference and digest are refused, with the fix; undefined when they are valid.
 *
 * @internal
 */
export function artifactProblem(source: ArtifactSource, reference: string, digest: string): { problem: string; fix: string } | undefined {
  if (typeof reference !== 'string' || reference.length === 0) {
    return { problem: 'it is empty', fix: 'name the file, directory, claim or image' };
  }
  if (hasToken(reference) || hasToken(String(digest))) {
    return { problem: 'it holds an unresolved token, so nothing can check what it pins', fix: 'pass the reference and the digest as literals' };
  }
  const digestProblem = digestProblemOf(digest);
  if (digestProblem) {
    return { problem: digestProblem, fix: DIGEST_FIX };
  }
  switch (source) {
    case ArtifactSource.URI:
      return uriProblem(reference);
    case ArtifactSource.VOLUME_CLAIM:
      return DNS_1123_SUBDOMAIN.test(reference) ? undefined : {
        problem: 'a claim name must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)',
        fix: 'use the name of the PersistentVolumeClaim as `kubectl get pvc` shows it',
      };
    case ArtifactSource.OCI:
      return renderedOciDigest(reference) === digest ? undefined : {
        problem: `the digest ${describe(digest)} is not the reference's own digest`, fix: 'pass the ImageReference; its digest pins the artifact',
      };
    default:
      return { problem: `the source ${describe(source)} is unknown`, fix: 'use ModelArtifact.fromOci, fromUri or fromVolumeClaim' };
  }
}

function digestProblemOf(digest: string): string | undefined {
  if (typeof digest !== 'string' || digest.length === 0) {
    return 'it has no digest';
  }
  if (ARTIFACT_DIGEST.test(digest)) {
    return undefined;
  }
  const [algorithm, hex] = digest.includes(':') ? [digest.slice(0, digest.indexOf(':')), digest.slice(digest.indexOf(':') + 1)] : ['', digest];
  if (algorithm !== 'sha256') {
    return algorithm === '' ? `the digest ${describe(digest)} names no algorithm` :
      `the digest algorithm ${describe(algorithm)} is not sha256 (the verifier and the report use sha256 only)`;
  }
  if (/[A-F]/.test(hex)) {
    return `the digest ${describe(digest)} has uppercase hex`;
  }
  return `the digest ${describe(digest)} is not 64 lowercase hex characters (it has ${hex.length})`;
}

function uriProblem(uri: string): { problem: string; fix: string } | undefined {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?(#.*)?$/.exec(uri);
  if (!match) {
    return { problem: 'it is not an absolute URI (scheme://authority/path)', fix: SCHEME_FIX };
  }
  const [, scheme, authority, path = '', query, fragment] = match;
  if (!SCHEMES.includes(scheme)) {
    return { problem: `the scheme ${describe(scheme)} is not s3, gs or https (plain http can be altered on the way; others cannot be fetched by the verifier)`, fix: SCHEME_FIX };
  }
  const credential = credentialInValue(uri);
  if (authority.includes('@') || credential) {
    return {
      problem: `it holds ${credential ?? 'user information before "@"'}, which would be written into the output`,
      fix: 'remove the credential; the verifier uses the workload\'s identity (IRSA, EKS Pod Identity, Workload Identity, the ECS task role)',
    };
  }
  const credentialParam = (query ?? '').slice(1).split('&').map((pair) => pair.split('=')[0]).find((name) => CREDENTIAL_PARAMS.test(name));
  if (credentialParam) {
    return {
      problem: `its query parameter ${describe(credentialParam)} is a credential or a presigned-URL signature, which would be written into the output and expires`,
      fix: 'use the plain object URI (s3://bucket/key) and grant the workload\'s identity read access',
    };
  }
  if (fragment !== undefined || (query !== undefined && scheme !== 'https')) {
    return { problem: 'it has a query or fragment the verifier does not send', fix: 'remove the part after "?" or "#"' };
  }
  const hostOk = scheme === 's3' ? S3_BUCKET.test(authority) : scheme === 'gs' ? GCS_BUCKET.test(authority) : HOST.test(authority);
  if (!hostOk) {
    return { problem: `${describe(authority)} is not a valid ${scheme === 'https' ? 'host name' : 'bucket name'}`, fix: SCHEME_FIX };
  }
  if (!PATH_CHARS.test(path) || !PATH_CHARS.test(query ?? '') || /(^|\/)\.\.?(\/|$)/.test(path) || path.includes('//')) {
    return {
      problem: 'its path holds characters outside [A-Za-z0-9._~!*()+,;=:@%/-], an empty segment or a "." or ".." segment',
      fix: 'rename the object, or percent-encode the character',
    };
  }
  if (path.length <= 1) {
    return { problem: 'it names no object or directory below the bucket or host', fix: 'name the file, or the directory ending in `/`' };
  }
  if (!path.endsWith('/') && path.slice(path.lastIndexOf('/') + 1) === MANIFEST_FILE_NAME) {
    return { problem: `it names the manifest ${MANIFEST_FILE_NAME}, not the model`, fix: 'name the directory (ending in `/`) and give the manifest\'s sha256 as the digest' };
  }
  return undefined;
}

function ociReference(kind: string, imageReference: ImageReference): string {
  if (!(imageReference instanceof ImageReference)) {
    throw new Error(`invalid ${kind} ${describe(imageReference)}: it is not an ImageReference; pass ImageReference.fromString('name@sha256:<64 hex>')`);
  }
  if (!imageReference.isPinned) {
    throw new Error(`invalid ${kind} ${describe(imageReference.toString())}: it has no digest, so the weights it names can change under the `
      + 'same name; pin it by digest as name[:tag]@sha256:<64 lowercase hex> (`cdk-compliant-ml pin` resolves a tag)');
  }
  return imageReference.toString();
}

function renderedOciDigest(reference: string): string | undefined {
  const at = reference.lastIndexOf('@');
  return at >= 0 ? reference.slice(at + 1) : undefined;
}
