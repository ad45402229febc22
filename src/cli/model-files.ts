import * as crypto from 'crypto';
import { authEnvName, Credentials } from './docker-auth';
import { getFollowingRedirects, HttpResponse, plainHttpAllowed } from './http-get';
import { describeBody, printable, RegistryError } from './registry-manifest';
import { MANIFEST_FILE_NAME, manifestDigest, parseManifest } from '../core/model-manifest';

/**
 * The digests `pin` computes for model weights on an HTTPS server: the sha256 of one file, streamed, or the manifest of a
 * directory (its `SHA256SUMS`, every file it lists downloaded and checked against it). Not part of the library's API.
 *
 * Every GET streams (nothing is kept but the digest), has a size bound, must be framed (Content-Length or chunked, so that a
 * truncated body is refused) and identity-encoded, and follows redirects by the rule of the registry client (`http-get.ts`):
 * never from HTTPS to HTTP, plain HTTP only for loopback and `--insecure-registry` hosts, at most 5, credentials only to the
 * host of the URL as given.
 */

/** How to reach model file servers. @internal */
export interface ModelFileOptions {
  /** The longest silence while a file streams, in milliseconds. */
  readonly timeoutMs: number;
  /** The largest file `pin` digests, in bytes (`--max-file-size`). */
  readonly maxFileBytes: number;
  /** Hosts (host:port) that may be reached over plain HTTP; loopback hosts always may. */
  readonly insecureHosts: string[];
  /** The credentials for a host (host:port), sent as HTTP basic to that host only. */
  credentials(host: string): { credentials?: Credentials; hint?: string };
  /** Called as bytes arrive (for progress on a terminal). */
  progress?(received: number): void;
}

/** A file's digest and size. @internal */
export interface FileDigest {
  /** `sha256:<64 hex>` of the bytes received. */
  readonly digest: string;
  readonly size: number;
}

/** A directory's manifest (its `SHA256SUMS` as served, every line checked) and the manifest's digest. @internal */
export interface DirectoryDigest {
  readonly manifest: string;
  readonly digest: string;
  readonly files: number;
  readonly size: number;
}

/** The largest `SHA256SUMS` read (some 80 000 files). */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * The sha256 of the file at `url`, computed as it streams. A `Repr-Digest` or `Content-Digest` (RFC 9530) sha-256 that is not the
 * digest of the bytes received is refused, like a lying `Docker-Content-Digest`.
 *
 * @internal
 */
export async function digestFile(ref: string, url: URL, options: ModelFileOptions): Promise<FileDigest> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  const res = await get(ref, url, options, options.maxFileBytes, (chunk) => {
    hash.update(chunk);
    size += chunk.length;
    options.progress?.(size);
  });
  const digest = `sha256:${hash.digest('hex')}`;
  for (const header of ['repr-digest', 'content-digest']) {
    const claimed = sha256OfDigestField(res.headers[header]);
    if (claimed !== undefined && claimed !== digest) {
      throw new RegistryError(`${ref}: the server's ${header} header names ${claimed}, which is not the digest of the ${size} bytes it sent `
        + `(${digest}); refusing to pin either`);
    }
  }
  return { digest, size };
}

/**
 * The manifest of the directory at `base` (ending with `/`): `<base>SHA256SUMS` is read (at most 16 MiB) and checked against the
 * manifest format, then every file it lists is downloaded and its sha256 compared with its line, so that the digest pinned is
 * that of a manifest the files were seen to match. The verifier checks the same at run time.
 *
 * @internal
 */
export async function digestDirectory(ref: string, base: URL, options: ModelFileOptions): Promise<DirectoryDigest> {
  const manifestUrl = new URL(MANIFEST_FILE_NAME, base);
  const chunks: Buffer[] = [];
  await get(ref, manifestUrl, options, MAX_MANIFEST_BYTES, (chunk) => void chunks.push(chunk), {
    notFound: `the directory has no ${MANIFEST_FILE_NAME}, which the verifier reads at run time; create it where the files are `
      + `(${SHA256SUMS_COMMAND}) and serve it next to them`,
  });
  const manifest = Buffer.concat(chunks).toString('utf-8');
  let entries;
  try {
    entries = parseManifest(manifest);
  } catch (e) {
    throw new RegistryError(`${ref}: ${manifestUrl.href} is not a valid manifest: ${printable((e as Error).message)}`);
  }
  let size = 0;
  for (const entry of entries) {
    const fileUrl = new URL(entry.path, base);
    if (!fileUrl.href.startsWith(base.href)) { // cannot happen with the manifest's path grammar; never fetch outside the directory
      throw new RegistryError(`${ref}: ${MANIFEST_FILE_NAME} lists ${printable(entry.path)}, which resolves outside ${base.href}`);
    }
    const file = await digestFile(ref, fileUrl, { ...options, progress: (n) => options.progress?.(size + n) });
    size += file.size;
    if (file.digest !== `sha256:${entry.sha256}`) {
      throw new RegistryError(`${ref}: ${entry.path} has the sha256 ${file.digest.slice('sha256:'.length)}, but ${MANIFEST_FILE_NAME} lists `
        + `${entry.sha256}; refusing to pin a manifest its files do not match`);
    }
  }
  return { manifest, digest: manifestDigest(manifest), files: entries.length, size };
}

/**
 * The command that writes a directory's manifest where the files are (the format of `core/model-manifest.ts`) and prints its
 * digest, as README "Pinning the model" gives it.
 *
 * @internal
 */
export const SHA256SUMS_COMMAND = `cd DIR && find . -type f ! -path ./${MANIFEST_FILE_NAME} | sed 's|^\\./||' | LC_ALL=C sort `
  + `| while read -r f; do sha256sum "$f"; done > ${MANIFEST_FILE_NAME} && echo "sha256:$(sha256sum < ${MANIFEST_FILE_NAME} | cut -c1-64)"`;

/** A streamed GET of a model file: 200 only; 401/403/404 and other answers become errors that say what to do. */
async function get(ref: string, url: URL, options: ModelFileOptions, maxBytes: number, sink: (chunk: Buffer) => void,
  messages: { notFound?: string } = {}): Promise<HttpResponse> {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && plainHttpAllowed(url.host, options.insecureHosts))) {
    throw new RegistryError(`${ref}: refusing ${printable(url.href)}: plain HTTP is allowed only for loopback hosts and --insecure-registry hosts`);
  }
  const found = options.credentials(url.host);
  const headers: Record<string, string> = { 'Accept': '*/*', 'User-Agent': 'cdk-compliant-ml' };
  if (found.credentials) {
    headers.Authorization = `Basic ${Buffer.from(`${found.credentials.username}:${found.credentials.password}`).toString('base64')}`;
  }
  const res = await getFollowingRedirects(ref, url, headers, {
    timeoutMs: options.timeoutMs, maxBytes, sink, tooLargeHint: 'raise --max-file-size if the model is that large',
  }, options.insecureHosts);
  if (res.status === 200) {
    return res;
  }
  const from = `GET ${res.url.origin}${res.url.pathname}`;
  if (res.status === 401 || res.status === 403) {
    throw new RegistryError(`${ref}: access denied (HTTP ${res.status} to ${from}, ${found.credentials ? `credentials from ${found.credentials.source}`
      : 'anonymous'}); set ${authEnvName(url.host)}=user:password for HTTP basic authentication to ${url.host}${found.hint ? `; note: ${found.hint}` : ''}`);
  }
  if (res.status === 404) {
    throw new RegistryError(`${ref}: not found (HTTP 404 to ${from})${messages.notFound ? `: ${messages.notFound}` : '; check the URL'}`);
  }
  throw new RegistryError(`${ref}: unexpected answer HTTP ${res.status} to ${from}${describeBody(res.body)}`);
}

/** The sha-256 of an RFC 9530 `Repr-Digest`/`Content-Digest` field (`sha-256=:<base64>:`), as `sha256:<hex>`, or undefined. */
function sha256OfDigestField(value: unknown): string | undefined {
  const match = typeof value === 'string' ? /(?:^|,)\s*sha-256=:([A-Za-z0-9+/]+={0,2}):/i.exec(value) : null;
  if (!match) {
    return undefined;
  }
  const bytes = Buffer.from(match[1], 'base64');
  return bytes.length === 32 ? `sha256:${bytes.toString('hex')}` : `sha256:(malformed ${printable(match[1])})`;
}
