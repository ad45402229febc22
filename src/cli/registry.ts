/* eslint-disable @typescript-eslint/no-explicit-any */
import { Credentials } from './docker-auth';
import { getFollowingRedirects, HttpResponse, plainHttpAllowed } from './http-get';
import { describeBody, MANIFEST_MEDIA_TYPES, MAX_MANIFEST_BYTES, printable, RegistryError, VerifiedManifest, verifyManifest } from './registry-manifest';

export { MANIFEST_MEDIA_TYPES, RegistryError } from './registry-manifest';
export { redirectProblem } from './http-get';

/**
 * A minimal OCI distribution (v2) client that resolves a tag to the digest of its manifest or index, with Node's `http`/`https`
 * only. Not part of the library's API.
 *
 * Plain HTTP: a registry is reached over `http:` only when its host is loopback (`localhost`, `127.x.x.x`, `[::1]`) or is named by
 * `--insecure-registry`; every other registry over `https:`. A redirect from `https:` to `http:` is refused, on manifest and token
 * requests alike (this client fetches no blobs); a redirect from `http:` may only go to a host that may be reached over plain HTTP;
 * at most 5 redirects are followed, and credentials are never forwarded to another host. A token realm over plain HTTP is accepted
 * only for a loopback realm of a plain-HTTP registry or an `--insecure-registry` realm host.
 */

/** How to reach registries. @internal */
export interface RegistryOptions {
  /** The time limit of each HTTP request, in milliseconds. */
  readonly timeoutMs: number;
  /** Registries (host or host:port) that may be reached over plain HTTP; loopback hosts always may. */
  readonly insecureRegistries: string[];
  /** The credentials of a registry (as written in the reference; `docker.io` for Docker Hub). */
  credentials(registry: string): { credentials?: Credentials; hint?: string };
}

/** What a tag resolved to: the sha256 of the manifest bytes received, with the platforms of an index. @internal */
export type ResolvedManifest = VerifiedManifest;

/** The largest answer of a token service (a token is a few KiB). */
const MAX_TOKEN_BYTES = 1024 * 1024;

/**
 * The host that serves the registry API: Docker Hub's `docker.io` is `registry-1.docker.io`.
 *
 * @internal
 */
export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}

/**
 * Resolves `registry/repository:tag` to a digest: `GET /v2/<repository>/manifests/<tag>` with the manifest and index media types
 * in `Accept`, and the sha256 of the body received (at most 4 MiB), checked against `Docker-Content-Digest` when the registry sends
 * one (see `verifyManifest`). There is no `HEAD`: nothing but the bytes decides the digest. A 401 answer is followed by the token
 * flow of its `WWW-Authenticate: Bearer` challenge (anonymous, or with basic credentials) or by basic authentication.
 *
 * @internal
 */
export async function resolveManifest(registry: string, repository: string, tag: string, options: RegistryOptions): Promise<ResolvedManifest> {
  const host = apiHost(registry);
  const plain = plainHttpAllowed(host, options.insecureRegistries) || options.insecureRegistries.includes(registry);
  const url = new URL(`${plain ? 'http' : 'https'}://${host}/v2/${repository}/manifests/${encodeURIComponent(tag)}`);
  const ref = `${registry}/${repository}:${tag}`;
  const client = new Client(ref, options);

  let res = await client.send(url, MAX_MANIFEST_BYTES);
  if (res.status === 401) {
    await client.authorize(res, repository, plain);
    res = await client.send(url, MAX_MANIFEST_BYTES);
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError(`${ref}: the registry refused the credentials (HTTP ${res.status}${client.credentialSource()}); `
        + `check them (${client.credentialHelp()}) and that they may pull ${repository}`);
    }
  }
  if (res.status === 403) {
    throw new RegistryError(`${ref}: access denied (HTTP 403${client.credentialSource()}); ${client.credentialHelp()}`);
  }
  if (res.status === 404) {
    const what = registryErrorCodes(res.body).includes('NAME_UNKNOWN') ? `the repository ${repository} does not exist on ${registry}`
      : `${registry} has no tag ${tag} in the repository ${repository} (or no such repository)`;
    throw new RegistryError(`${ref}: not found (HTTP 404): ${what}; check the name and the tag`);
  }
  if (res.status < 200 || res.status > 299) {
    throw new RegistryError(`${ref}: unexpected answer HTTP ${res.status} from ${res.url.origin}${describeBody(res.body)}`);
  }
  return verifyManifest(ref, res.body, res.headers['content-type'], res.headers['docker-content-digest']);
}

/** One resolution: the HTTP exchanges with one registry, with the authorization obtained on the way. */
class Client {
  private authorization?: string;
  private used?: Credentials;
  private hint?: string;

  constructor(private readonly ref: string, private readonly options: RegistryOptions) {}

  /** A GET that follows at most 5 redirects (never a downgrade to plain HTTP) and reads at most `maxBytes` of the body. */
  public async send(url: URL, maxBytes: number, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const all: Record<string, string> = { 'Accept': MANIFEST_MEDIA_TYPES.join(', '), 'User-Agent': 'cdk-compliant-ml', ...headers };
    if (this.authorization && !('Authorization' in headers)) {
      all.Authorization = this.authorization;
    }
    return getFollowingRedirects(this.ref, url, all, { timeoutMs: this.options.timeoutMs, maxBytes }, this.options.insecureRegistries);
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
        throw new RegistryError(`${this.ref}: malformed answer: the Bearer challenge has no realm `
          + `(WWW-Authenticate: ${printable(String(res.headers['www-authenticate']))})`);
      }
      let tokenUrl: URL;
      try {
        tokenUrl = new URL(realm, res.url);
      } catch {
        throw new RegistryError(`${this.ref}: malformed answer: the token realm ${printable(JSON.stringify(realm))} is not a URL`);
      }
      if (tokenUrl.protocol !== 'https:' && !(plain && plainHttpAllowed(tokenUrl.host, [])) && !this.options.insecureRegistries.includes(tokenUrl.host)) {
        throw new RegistryError(`${this.ref}: the token realm ${printable(tokenUrl.href)} is not HTTPS; refusing to fetch a token over plain HTTP`);
      }
      if (bearer.params.service) {
        tokenUrl.searchParams.set('service', bearer.params.service);
      }
      tokenUrl.searchParams.set('scope', bearer.params.scope ?? `repository:${repository}:pull`);
      const tokenRes = await this.send(tokenUrl, MAX_TOKEN_BYTES, { Accept: 'application/json', ...(basic ? { Authorization: basic } : {}) });
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
      + `${printable(JSON.stringify(res.headers['www-authenticate'] ?? '(no WWW-Authenticate header)'))}`);
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

function registryErrorCodes(body: Buffer): string[] {
  try {
    const json = JSON.parse(body.toString('utf-8'));
    return Array.isArray(json?.errors) ? json.errors.map((e: any) => String(e?.code)) : [];
  } catch {
    return [];
  }
}
