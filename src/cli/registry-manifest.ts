/* eslint-disable @typescript-eslint/no-explicit-any */
import * as crypto from 'crypto';
import { ImageLockPlatform, platformProblem } from '../core/image-lock';
import { DIGEST_PATTERN, MEDIA_TYPE_PATTERN } from '../core/patterns';

/**
 * What `pin` accepts from a registry: the manifest bytes it received, verified, and registry text made safe to print. Not part of
 * the library's API.
 */

/** The manifest media types `pin` accepts, multi-platform indexes first (so a multi-arch tag pins the index). @internal */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** The media types of a multi-platform index. */
const INDEX_MEDIA_TYPES = MANIFEST_MEDIA_TYPES.slice(0, 2);

/** The largest manifest or index `pin` reads: 4 MiB, the limit distribution registries put on manifests they accept. @internal */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** An error of the registry or the network, with a message that says what to do. @internal */
export class RegistryError extends Error {}

/** A manifest or index whose bytes were received and checked. @internal */
export interface VerifiedManifest {
  /** The sha256 of the bytes received: the only digest `pin` ever records. */
  readonly digest: string;
  readonly mediaType?: string;
  /** The platforms of an index (unsorted; the lock sorts them). */
  readonly platforms?: ImageLockPlatform[];
  /** The number of layers of a manifest (not of an index). */
  readonly layerCount?: number;
  /** An OCI artifact's type: its `artifactType`, else its config's media type when that is not an image config. */
  readonly artifactType?: string;
}

/** The config media types of ordinary images: a manifest with another config is an artifact of that type. */
const IMAGE_CONFIG_MEDIA_TYPES = ['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json'];

/**
 * Checks the manifest bytes of a `GET /v2/<repository>/manifests/<tag>` and returns their sha256: the body must be a schemaVersion 2
 * OCI or Docker v2 manifest or index; a `Docker-Content-Digest` header must be the digest of exactly these bytes (sha256 or sha512),
 * and a `Content-Type` must agree with the body's `mediaType`. An index yields the os, architecture, variant and digest of each
 * child manifest that names a platform. Anything else is a `RegistryError`: a digest that was not verified is never pinned.
 *
 * @internal
 */
export function verifyManifest(ref: string, body: Buffer, contentTypeHeader: unknown, digestHeader: unknown): VerifiedManifest {
  const digest = `sha256:${crypto.createHash('sha256').update(body).digest('hex')}`;
  if (typeof digestHeader === 'string' && digestHeader !== '') {
    if (!DIGEST_PATTERN.test(digestHeader)) {
      throw new RegistryError(`${ref}: malformed answer: the Docker-Content-Digest header ${quoted(digestHeader)} is not sha256:<64 hex>`
        + ' or sha512:<128 hex>');
    }
    const [algorithm] = digestHeader.split(':');
    const received = algorithm === 'sha256' ? digest : `${algorithm}:${crypto.createHash(algorithm).update(body).digest('hex')}`;
    if (received !== digestHeader) {
      throw new RegistryError(`${ref}: the registry's Docker-Content-Digest header ${digestHeader} is not the digest of the manifest it sent `
        + `(${received}); refusing to pin either (a registry or proxy that lies about its content)`);
    }
  }
  let manifest: any;
  try {
    manifest = JSON.parse(body.toString('utf-8'));
  } catch {
    throw new RegistryError(`${ref}: malformed answer: the manifest is not JSON${describeBody(body)}`);
  }
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest) || manifest.schemaVersion !== 2) {
    throw new RegistryError(`${ref}: malformed answer: the manifest has no schemaVersion 2 (schemaVersion ${quoted(manifest?.schemaVersion)})`);
  }
  const headerType = contentType(contentTypeHeader);
  const bodyType = typeof manifest.mediaType === 'string' ? manifest.mediaType : undefined;
  if (headerType !== undefined && bodyType !== undefined && headerType !== bodyType) {
    throw new RegistryError(`${ref}: malformed answer: the Content-Type ${quoted(headerType)} is not the manifest's mediaType ${quoted(bodyType)}`);
  }
  const mediaType = bodyType ?? headerType;
  if (mediaType !== undefined && !MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    throw new RegistryError(`${ref}: the registry answered with the media type ${quoted(mediaType)}, which is not an OCI or Docker v2 `
      + 'manifest or index');
  }
  const isIndex = mediaType !== undefined ? INDEX_MEDIA_TYPES.includes(mediaType) : Array.isArray(manifest.manifests);
  if (isIndex) {
    return { digest, mediaType, platforms: indexPlatforms(ref, manifest), artifactType: artifactTypeOf(ref, manifest, undefined) };
  }
  const layerCount = Array.isArray(manifest.layers) ? manifest.layers.length : 0;
  return { digest, mediaType, layerCount, artifactType: artifactTypeOf(ref, manifest, manifest.config?.mediaType) };
}

/** The artifact type of a manifest or index (OCI image-spec 1.1: `artifactType`, else the config's media type), checked. */
function artifactTypeOf(ref: string, manifest: any, configMediaType: unknown): string | undefined {
  const type = manifest.artifactType ?? (typeof configMediaType === 'string' && !IMAGE_CONFIG_MEDIA_TYPES.includes(configMediaType)
    ? configMediaType : undefined);
  if (type !== undefined && (typeof type !== 'string' || !MEDIA_TYPE_PATTERN.test(type))) {
    throw new RegistryError(`${ref}: malformed answer: the artifact type ${quoted(type)} is not a media type`);
  }
  return type;
}

/** The platforms of an index: every child with a `platform`, its digest checked; children without one (attestations) are left out. */
function indexPlatforms(ref: string, index: any): ImageLockPlatform[] {
  if (!Array.isArray(index.manifests)) {
    throw new RegistryError(`${ref}: malformed answer: the index has no "manifests" array`);
  }
  const platforms: ImageLockPlatform[] = [];
  for (const [i, child] of index.manifests.entries()) {
    const where = `manifests[${i}] of the index`;
    if (!child || typeof child !== 'object' || typeof child.digest !== 'string' || !DIGEST_PATTERN.test(child.digest)) {
      throw new RegistryError(`${ref}: malformed answer: ${where} has the digest ${quoted(child?.digest)}, not sha256:<64 hex> or sha512:<128 hex>`);
    }
    if (child.platform === undefined) {
      continue;
    }
    const platform = { ...child.platform, digest: child.digest };
    const problem = platformProblem(platform);
    if (problem !== undefined) {
      throw new RegistryError(`${ref}: malformed answer: the platform of ${where} ${printable(problem)}`);
    }
    platforms.push({ os: platform.os, architecture: platform.architecture, variant: platform.variant, digest: platform.digest });
  }
  return platforms;
}

/** A media type without parameters; generic types (a plain-JSON server, an unknown type) say nothing. @internal */
export function contentType(value: unknown): string | undefined {
  const type = typeof value === 'string' ? value.split(';')[0].trim() : '';
  return type === '' || type === 'application/json' || type === 'text/plain' || type === 'application/octet-stream' ? undefined : type;
}

/**
 * Text from a registry (or a name echoed back) made safe for a terminal: C0 controls except tab, DEL, C1 controls (so every escape
 * sequence loses its ESC or CSI), the line and paragraph separators and the bidirectional overrides are written as `\uXXXX`.
 *
 * @internal
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value from a registry, quoted and printable. */
function quoted(value: unknown): string {
  return printable(value === undefined ? '(none)' : JSON.stringify(value) ?? String(value));
}

/** `: <the first 200 characters of the body>`, printable, or nothing for an empty body. @internal */
export function describeBody(body: Buffer): string {
  const text = body.toString('utf-8').trim();
  if (text === '') {
    return '';
  }
  return `: ${printable(text.length > 200 ? `${text.slice(0, 200)}...` : text)}`;
}
