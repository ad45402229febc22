// Image references as CycloneDX sees them: the parts of a rendered reference (a manifest's `image`, a template's flattened
// `Image`), their package URL of the purl spec's `oci` type, and the CycloneDX hash of an OCI digest.
import { DIGEST_PATTERN } from '../../core/patterns';

/**
 * The parts of a rendered image reference, read leniently (checkers read any output: a foreign `nginx:latest`, an ECR URI
 * with `${AWS::AccountId}` in it).
 *
 * @internal
 */
export interface RenderedImage {
  /** The reference exactly as rendered. */
  readonly reference: string;
  /** The name as written, `[registry/]repository` without tag and digest. */
  readonly name: string;
  /** The tag, when written. */
  readonly tag?: string;
  /** The digest, when it is a registered one (`sha256:<64 hex>`, `sha512:<128 hex>`). */
  readonly digest?: string;
  /**
   * Where the image is pulled from, `registry/repository`, with Docker's defaults applied to a name without a registry
   * (`docker.io`, and `library/` for a one-segment name), or undefined when the name is not a literal repository name (an
   * unresolved `${...}` part, characters the OCI grammar does not allow).
   */
  readonly repositoryUrl?: string;
}

// A literal name: registry (host, optional port, or a bracketed IPv6 address) and repository path components of the
// OCI distribution grammar, loosely (upper-case letters in the repository are left to IMG checks, not to the BOM).
const LITERAL_NAME = /^[A-Za-z0-9\][:._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * Splits a rendered image reference into name, tag and digest (distribution/reference's rules: the digest after the last `@`,
 * the tag after a last `:` that follows the last `/`, the registry is the first path component when it has `.` or `:`, is
 * `localhost` or has upper-case letters).
 *
 * @internal
 */
export function parseRenderedImage(reference: string): RenderedImage {
  const at = reference.lastIndexOf('@');
  const afterAt = at >= 0 ? reference.slice(at + 1) : undefined;
  const nameAndTag = at >= 0 ? reference.slice(0, at) : reference;
  const lastSlash = nameAndTag.lastIndexOf('/');
  const lastColon = nameAndTag.lastIndexOf(':');
  const hasTag = lastColon > lastSlash;
  const name = hasTag ? nameAndTag.slice(0, lastColon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(lastColon + 1) : undefined;
  const digest = afterAt !== undefined && DIGEST_PATTERN.test(afterAt) ? afterAt : undefined;
  return {
    reference,
    name,
    ...(tag !== undefined && tag !== '' ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    ...(LITERAL_NAME.test(name) ? { repositoryUrl: withDockerDefaults(name) } : {}),
  };
}

/** `registry/repository`: Docker Hub's defaults for a name without a registry (docker.io, `library/` for one segment). */
function withDockerDefaults(name: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? name : name.slice(0, slash);
  const hasRegistry = slash >= 0 && (/[.:[]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  if (hasRegistry) {
    return name;
  }
  return slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
}

/**
 * The package URL of an OCI artifact by the purl spec's `oci` type (package-url/purl-spec types/oci-definition.json): no
 * namespace, the name is the last path segment of the repository, lowercased, the version is the digest, and the qualifiers
 * (here `repository_url`, `registry/repository` where the artifact may be fetched, and `tag`) sorted by key. Encoded in the
 * canonical form of the spec's build tests (tests/types/oci-test.json, group "required"): every octet but alphanumerics,
 * `.-_~` and `:` percent-encoded, e.g. `pkg:oci/static@sha256:244f...?repository_url=gcr.io%2Fdistroless%2Fstatic&tag=latest`.
 * The older form of the type's examples (`sha256%3A`, `/` literal in `repository_url`) parses to the same components.
 *
 * @param name the artifact name (the last path segment of its repository)
 * @param digest `sha256:<64 hex>` or `sha512:<128 hex>`
 * @param qualifiers qualifier values by key; undefined and empty values are left out
 * @internal
 */
export function ociPurl(name: string, digest: string, qualifiers: Record<string, string | undefined> = {}): string {
  const pairs = Object.entries(qualifiers)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key.toLowerCase()}=${encodeComponent(value)}`)
    .sort();
  return `pkg:oci/${encodeComponent(name.toLowerCase())}@${encodeComponent(digest)}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`;
}

/**
 * The `oci` package URL of a rendered image reference (or OCI model artifact), or undefined when it has no registered digest or
 * its repository is not a literal name.
 *
 * @internal
 */
export function imagePurl(image: RenderedImage): string | undefined {
  if (image.digest === undefined || image.repositoryUrl === undefined) {
    return undefined;
  }
  const name = image.repositoryUrl.slice(image.repositoryUrl.lastIndexOf('/') + 1);
  return ociPurl(name, image.digest, { repository_url: image.repositoryUrl, tag: image.tag });
}

/** Percent-encodes every octet but the purl spec's alphanumeric and punctuation characters (`.-_~`) and the colon. */
function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%3A/g, ':');
}

/**
 * The CycloneDX hash of an OCI digest (`sha256:<hex>` → SHA-256, `sha512:<hex>` → SHA-512), or undefined for anything else.
 *
 * @internal
 */
export function digestHash(digest: string | undefined): { alg: string; content: string } | undefined {
  if (digest === undefined || !DIGEST_PATTERN.test(digest)) {
    return undefined;
  }
  const [algorithm, hex] = digest.split(':');
  return { alg: algorithm === 'sha256' ? 'SHA-256' : 'SHA-512', content: hex };
}

// RFC 3986 unreserved, reserved and '%' characters, and the non-ASCII characters of RFC 3987's ucschar (BMP part).
const IRI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]*$/;
// Schemes registered with IANA (validators of CycloneDX's `iri-reference` format, e.g. ajv-formats-draft2019, check the
// scheme against the IANA registry) that model and dataset locations use.
const LINKABLE_SCHEMES = new Set(['file', 'ftp', 'git', 'gs', 'http', 'https', 'nfs', 's3', 'sftp', 'smb', 'ssh']);

/**
 * True when a URI can be written where CycloneDX asks for an `iri-reference` (RFC 3987) and validators accept it: an absolute
 * URI with an IANA-registered scheme of `LINKABLE_SCHEMES`, only URI characters and the BMP's IRI characters (no white space,
 * no `<>"{}|\^` or back quote), every `%` starting a percent-encoded octet. Other URIs (MLflow's `models:/...`, `hf://...`)
 * are written as properties instead.
 *
 * @internal
 */
export function isLinkableUri(value: string): boolean {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):./.exec(value)?.[1]?.toLowerCase();
  return scheme !== undefined && LINKABLE_SCHEMES.has(scheme) && IRI_CHARACTERS.test(value) && !/%(?![0-9A-Fa-f]{2})/.test(value);
}
