/* eslint-disable @typescript-eslint/no-explicit-any */
import * as crypto from 'crypto';
import * as http from 'http';
import * as https from 'https';
import { Credentials } from './docker-auth';
import { DIGEST_PATTERN } from '../core/patterns';

/**
 * A minimal OCI distribution (v2) client that resolves a tag to the digest of its manifest or index, with Node's `http`/`https`
 * only. Not part of the library's API.
 */

/** The manifest media types `pin` accepts, multi-platform indexes first (so a multi-arch tag pins the index). @internal */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** An error of the registry or the network, with a message that says what to do. @internal */
export class RegistryError extends Error {}

/** How to reach registries. @internal */
export interface RegistryOptions {
  /** The time limit of each HTTP request, in milliseconds. */
  readonly timeoutMs: number;
  /** Registries (host or host:port) that may be reached over plain HTTP; loopback hosts always may. */
  readonly insecureRegistries: string[];
  /** The credentials of a registry (as written in the reference; `docker.io` for Docker Hub). */
  credentials(registry: string): { credentials?: Credentials; hint?: string };
}

/** What a tag resolved to. @internal */
export interface ResolvedManifest {
  readonly digest: string;
  readonly mediaType?: string;
}

interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly url: URL;
}

const MAX_BODY = 8 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

/**
 * The host that serves the registry API: Docker Hub's `docker.io` is `registry-1.docker.io`.
 *
 * @internal
 */
export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/**
 * Resolves `registry/repository:tag` to a digest: `HEAD /v2/<repository>/manifests/<tag>` with the manifest and index media types
 * in `Accept`, reading `Docker-Content-Digest`; without that header, `GET` and the sha256 of the body. A 401 answer is followed by
 * the token flow of its `WWW-Authenticate: Bearer` challenge (anonymous, or with basic credentials) or by basic authentication.
 *
 * @internal
 */
export async function resolveManifest(registry: string, repository: string, tag: string, options: RegistryOptions): Promise<ResolvedManifest> {
  const host = apiHost(registry);
  const plain = LOOPBACK.test(host) || options.insecureRegistries.includes(registry) || options.insecureRegistries.includes(host);
  const url = new URL(`${plain ? 'http' : 'https'}://${host}/v2/${repository}/manifests/${encodeURIComponent(tag)}`);
  const ref = `${registry}/${repository}:${tag}`;
  const client = new Client(ref, options);

  let res = await client.send('HEAD', url);
  if (res.status === 401) {
    await client.authorize(res, repository, plain);
    res = await client.send('HEAD', url);
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError(`${ref}: the registry refused the credentials (HTTP ${res.status}${client.credentialSource()}); `
        + `check them (${client.credentialHelp()}) and that they may pull ${repository}`);
    }
  }
  if (res.status === 405 || res.status === 501) {
    res = await client.send('GET', url); // a registry without HEAD support
  }
  if (res.status === 403) {
    throw new RegistryError(`${ref}: access denied (HTTP 403${client.credentialSource()}); ${client.credentialHelp()}`);
  }
  if (res.status === 404) {
    const detail = await client.send('GET', url).then((r) => registryErrorCodes(r.body)).catch((): string[] => []);
    const what = detail.includes('NAME_UNKNOWN') ? `the repository ${repository} does not exist on ${registry}`
      : `${registry} has no tag ${tag} in the repository ${repository} (or no such repository)`;
    throw new RegistryError(`${ref}: not found (HTTP 404): ${what}; check the name and the tag`);
  }
  if (res.status < 200 || res.status > 299) {
    throw new RegistryError(`${ref}: unexpected answer HTTP ${res.status} from ${res.url.origin}${describeBody(res.body)}`);
  }
  const mediaType = contentType(res);
  if (mediaType !== undefined && !MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    throw new RegistryError(`${ref}: the registry answered with the media type ${mediaType}, which is not an OCI or Docker v2 manifest or index`);
  }
  const header = res.headers['docker-content-digest'];
  if (typeof header === 'string' && header !== '') {
    if (!DIGEST_PATTERN.test(header)) {
      throw new RegistryError(`${ref}: malformed answer: the Docker-Content-Digest header ${JSON.stringify(header)} is not sha256:<64 hex>`
        + ' or sha512:<128 hex>');
    }
    return { digest: header, mediaType };
  }
  // No digest header: fetch the manifest and hash its bytes (the digest of a manifest is the sha256 of exactly those bytes).
  const got = res.body.length > 0 ? res : await client.send('GET', url);
  if (got.status < 200 || got.status > 299) {
    throw new RegistryError(`${ref}: unexpected answer HTTP ${got.status} to GET ${got.url.href}${describeBody(got.body)}`);
  }
  let manifest: any;
  try {
    manifest = JSON.parse(got.body.toString('utf-8'));
  } catch {
    throw new RegistryError(`${ref}: malformed answer: the manifest is not JSON and there is no Docker-Content-Digest header${describeBody(got.body)}`);
  }
  if (!manifest || typeof manifest !== 'object' || manifest.schemaVersion !== 2) {
    throw new RegistryError(`${ref}: malformed answer: the manifest has no schemaVersion 2 (schemaVersion ${JSON.stringify(manifest?.schemaVersion)})`);
  }
  const type = contentType(got) ?? (typeof manifest.mediaType === 'string' ? manifest.mediaType : undefined);
  if (type !== undefined && !MANIFEST_MEDIA_TYPES.includes(type)) {
    throw new RegistryError(`${ref}: the registry answered with the media type ${type}, which is not an OCI or Docker v2 manifest or index`);
  }
  return { digest: `sha256:${crypto.createHash('sha256').update(got.body).digest('hex')}`, mediaType: type };
}

/** One resolution: the HTTP exchanges with one registry, with the authorization obtained on the way. */
class Client {
  private authorization?: string;
  private used?: Credentials;
  private hint?: string;

  constructor(private readonly ref: string, private readonly options: RegistryOptions) {}

  public async send(method: 'HEAD' | 'GET', url: URL, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const all: Record<string, string> = { 'Accept': MANIFEST_MEDIA_TYPES.join(', '), 'User-Agent': 'cdk-compliant-ml', ...headers };
    if (this.authorization && !('Authorization' in headers)) {
      all.Authorization = this.authorization;
    }
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const res = await request(this.ref, method, current, all, this.options.timeoutMs);
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && typeof location === 'string') {
        const next = new URL(location, current);
        if (next.host !== current.host) {
          delete all.Authorization; // never forward credentials to another host
        }
        current = next;
        continue;
      }
      return res;
    }
    throw new RegistryError(`${this.ref}: more than ${MAX_REDIRECTS} redirects from ${url.origin}`);
  }

  /** Answers a 401: obtains a bearer token from the challenge's realm, or prepares basic authentication. */
  public async authorize(res: HttpResponse, repository: string, plain: boolean): Promise<void> {
    const challenges = parseChallenges(res.headers['www-authenticate']);
    const registry = this.ref.slice(0, this.ref.indexOf('/'));
    const found = this.options.credentials(registry);
    this.hint = found.hint;
    const creds = found.credentials;
    const basic = creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : undefined;
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) {
      const realm = bearer.params.realm;
      if (!realm) {
        throw new RegistryError(`${this.ref}: malformed answer: the Bearer challenge has no realm (WWW-Authenticate: ${res.headers['www-authenticate']})`);
      }
      let tokenUrl: URL;
      try {
        tokenUrl = new URL(realm, res.url);
      } catch {
        throw new RegistryError(`${this.ref}: malformed answer: the token realm ${JSON.stringify(realm)} is not a URL`);
      }
      if (tokenUrl.protocol !== 'https:' && !(plain && LOOPBACK.test(tokenUrl.host)) && !this.options.insecureRegistries.includes(tokenUrl.host)) {
        throw new RegistryError(`${this.ref}: the token realm ${tokenUrl.href} is not HTTPS; refusing to fetch a token over plain HTTP`);
      }
      if (bearer.params.service) {
        tokenUrl.searchParams.set('service', bearer.params.service);
      }
      tokenUrl.searchParams.set('scope', bearer.params.scope ?? `repository:${repository}:pull`);
      const tokenRes = await this.send('GET', tokenUrl, { Accept: 'application/json', ...(basic ? { Authorization: basic } : {}) });
      if (tokenRes.status === 401 || tokenRes.status === 403) {
        throw new RegistryError(`${this.ref}: the token service ${tokenUrl.origin} refused ${creds ? 'the credentials' : 'anonymous access'}`
          + ` (HTTP ${tokenRes.status}${this.credentialSourceOf(creds)}); ${this.credentialHelp()}`);
      }
      if (tokenRes.status < 200 || tokenRes.status > 299) {
        throw new RegistryError(`${this.ref}: the token service ${tokenUrl.origin} answered HTTP ${tokenRes.status}${describeBody(tokenRes.body)}`);
      }
      let body: any;
      try {
        body = JSON.parse(tokenRes.body.toString('utf-8'));
      } catch {
        throw new RegistryError(`${this.ref}: malformed answer from the token service ${tokenUrl.origin}: not JSON${describeBody(tokenRes.body)}`);
      }
      const token = typeof body?.token === 'string' && body.token !== '' ? body.token : body?.access_token;
      if (typeof token !== 'string' || token === '') {
        throw new RegistryError(`${this.ref}: malformed answer from the token service ${tokenUrl.origin}: no token in the JSON`);
      }
      this.used = creds;
      this.authorization = `Bearer ${token}`;
      return;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (!basic) {
        throw new RegistryError(`${this.ref}: authentication required (HTTP 401, basic): ${this.credentialHelp()}`);
      }
      this.used = creds;
      this.authorization = basic;
      return;
    }
    throw new RegistryError(`${this.ref}: authentication required (HTTP 401) with an unsupported challenge `
      + `${JSON.stringify(res.headers['www-authenticate'] ?? '(no WWW-Authenticate header)')}`);
  }

  public credentialSource(): string {
    return this.credentialSourceOf(this.used);
  }

  public credentialHelp(): string {
    const registry = this.ref.slice(0, this.ref.indexOf('/'));
    const envName = `CDK_COMPLIANT_ML_REGISTRY_AUTH_${registry.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    return `set ${envName}=user:password or log in with \`docker login ${registry}\` (auths in $DOCKER_CONFIG/config.json)`
      + (this.hint ? `; note: ${this.hint}` : '');
  }

  private credentialSourceOf(creds?: Credentials): string {
    return creds ? `, credentials from ${creds.source}` : ', anonymous';
  }
}

/** One HTTP request with a time limit; network failures become `RegistryError`s. */
function request(ref: string, method: string, url: URL, headers: Record<string, string>, timeoutMs: number): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const fail = (message: string) => reject(new RegistryError(`${ref}: ${message}`));
    const req = lib.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          req.destroy(new Error(`the answer is larger than ${MAX_BODY} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        fail(`malformed answer from ${url.origin}: ${e.message}`);
      });
    });
    const timer = setTimeout(() => {
      req.destroy(new TimeoutError());
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e instanceof TimeoutError) {
        fail(`timed out after ${timeoutMs / 1000}s waiting for ${url.origin} (${method} ${url.pathname}); check the network or raise --timeout`);
      } else if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'ECONNRESET') {
        fail(`cannot reach ${url.origin} (${e.code}); check the registry name and the network`);
      } else if (e.code === 'EPROTO' || /ssl|tls|certificate/i.test(e.message)) {
        fail(`TLS error talking to ${url.origin} (${e.message}); for a registry that serves plain HTTP use --insecure-registry ${url.host}`);
      } else if (e.code === 'HPE_INVALID_CONSTANT' || e.code?.startsWith('HPE_')) {
        fail(`malformed answer from ${url.origin}: not HTTP (${e.code})`);
      } else {
        fail(`request to ${url.origin} failed: ${e.message}`);
      }
    });
    req.end();
  });
}

class TimeoutError extends Error {}

/** Parses `WWW-Authenticate: Bearer realm="...",service="...",scope="..."` (and `Basic realm="..."`). */
function parseChallenges(header: string | undefined): Array<{ scheme: string; params: Record<string, string> }> {
  const out: Array<{ scheme: string; params: Record<string, string> }> = [];
  if (!header) {
    return out;
  }
  const re = /\s*([A-Za-z][\w-]*)(?:\s+((?:[\w-]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?\s*)*))?/y;
  let match: RegExpExecArray | null;
  while (re.lastIndex < header.length && (match = re.exec(header)) !== null && match[0] !== '') {
    const params: Record<string, string> = {};
    const paramRe = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
    let p: RegExpExecArray | null;
    while ((p = paramRe.exec(match[2] ?? '')) !== null) {
      params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
    }
    out.push({ scheme: match[1].toLowerCase(), params });
    re.lastIndex += header.slice(re.lastIndex).match(/^\s*,?/)![0].length;
  }
  return out;
}

function contentType(res: HttpResponse): string | undefined {
  const value = res.headers['content-type'];
  const type = typeof value === 'string' ? value.split(';')[0].trim() : '';
  // registries answer HEAD of an unknown type or of a plain-JSON test server with these generic types
  return type === '' || type === 'application/json' || type === 'text/plain' || type === 'application/octet-stream' ? undefined : type;
}

function registryErrorCodes(body: Buffer): string[] {
  try {
    const json = JSON.parse(body.toString('utf-8'));
    return Array.isArray(json?.errors) ? json.errors.map((e: any) => String(e?.code)) : [];
  } catch {
    return [];
  }
}

function describeBody(body: Buffer): string {
  const text = body.toString('utf-8').trim();
  if (text === '') {
    return '';
  }
  return `: ${text.length > 200 ? `${text.slice(0, 200)}...` : text}`;
}
