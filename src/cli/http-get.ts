import * as http from 'http';
import * as https from 'https';
import { printable, RegistryError } from './registry-manifest';

/**
 * The GETs of `pin`, shared by the registry client (manifests and tokens, kept in memory) and the model file digests (streamed):
 * one time limit per request, a size bound, and one redirect rule. Not part of the library's API.
 *
 * Plain HTTP is allowed only for loopback hosts (`localhost`, `127.x.x.x`, `[::1]`) and hosts named by `--insecure-registry`. A
 * redirect from `https:` to `http:` is refused; a redirect from `http:` may only go to a host that may be reached over plain HTTP;
 * at most 5 redirects are followed, and the `Authorization` header is dropped at the first redirect to another host (host and
 * port), never sent there.
 */

/** An answer: status, headers, the body kept (empty when streamed to a sink) and the URL that gave it. @internal */
export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly url: URL;
}

/** The limits of one GET. @internal */
export interface GetLimits {
  /** The time limit of the request; with a sink, the longest silence between two chunks of the body. */
  readonly timeoutMs: number;
  /** The largest body read; a larger one (or a larger Content-Length) is refused. */
  readonly maxBytes: number;
  /** Appended to the "larger than" error: what to do when the body is expected to be that large. */
  readonly tooLargeHint?: string;
  /**
   * Streams the body of a 2xx answer here instead of keeping it. The answer must then be framed (Content-Length or chunked), so
   * that a truncated body is told from a complete one, and must not be content-encoded: the bytes are the file's.
   */
  readonly sink?: (chunk: Buffer) => void;
}

/** The most redirects followed for one request. */
const MAX_REDIRECTS = 5;
/** What is kept of an error or redirect body when the 2xx body is streamed (for the message). */
const MAX_STREAMED_ERROR_BODY = 64 * 1024;
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

/**
 * True when `host` (with its port) may be reached over plain HTTP: a loopback host, or one named by `--insecure-registry`.
 *
 * @internal
 */
export function plainHttpAllowed(host: string, insecureHosts: string[]): boolean {
  return LOOPBACK.test(host) || insecureHosts.includes(host);
}

/**
 * Why a redirect from `from` to `to` must not be followed, or undefined when it may: `https:` to `http:` is a downgrade; `http:` may
 * only lead to a host that may be reached over plain HTTP (loopback or `--insecure-registry`); other schemes are refused.
 *
 * @internal
 */
export function redirectProblem(from: URL, to: URL, insecureHosts: string[]): string | undefined {
  if (to.protocol !== 'https:' && to.protocol !== 'http:') {
    return `it leads to the scheme ${to.protocol}, not https: or http:`;
  }
  if (to.protocol === 'http:' && from.protocol === 'https:') {
    return 'it downgrades HTTPS to plain HTTP';
  }
  if (to.protocol === 'http:' && !plainHttpAllowed(to.host, insecureHosts)) {
    return `plain HTTP is allowed only for loopback hosts and --insecure-registry hosts, not ${to.host}`;
  }
  return undefined;
}

/**
 * A GET that follows at most 5 redirects by `redirectProblem`'s rule, dropping `Authorization` at the first change of host.
 * Errors are `RegistryError`s that start with `ref`.
 *
 * @internal
 */
export async function getFollowingRedirects(ref: string, url: URL, headers: Record<string, string>, limits: GetLimits,
  insecureHosts: string[]): Promise<HttpResponse> {
  const sent = { ...headers };
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const res = await httpGet(ref, current, sent, limits);
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && typeof location === 'string') {
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new RegistryError(`${ref}: malformed answer: the redirect from ${current.href} leads to ${printable(JSON.stringify(location))}, `
          + 'which is not a URL');
      }
      const problem = redirectProblem(current, next, insecureHosts);
      if (problem !== undefined) {
        throw new RegistryError(`${ref}: refusing the redirect from ${current.href} to ${printable(next.href)}: ${problem}`);
      }
      if (next.host !== current.host) {
        delete sent.Authorization; // never forward credentials to another host
      }
      current = next;
      continue;
    }
    return res;
  }
  throw new RegistryError(`${ref}: more than ${MAX_REDIRECTS} redirects from ${url.origin}`);
}

/**
 * One GET with a time limit; the body is counted as it arrives and the request is abandoned past `maxBytes` (or at once when its
 * Content-Length says so). A body that ends before its Content-Length or its last chunk is refused as truncated; with a sink, so
 * is one followed by more bytes than its Content-Length. Network failures become `RegistryError`s.
 *
 * @internal
 */
export function httpGet(ref: string, url: URL, headers: Record<string, string>, limits: GetLimits): Promise<HttpResponse> {
  const { timeoutMs, maxBytes, sink } = limits;
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const where = `${url.origin}${url.pathname}`;
    let settled = false;
    let outcome: HttpResponse | undefined;
    let response: http.IncomingMessage | undefined;
    const settle = (done: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        done();
      }
    };
    const fail = (message: string) => {
      settle(() => reject(new RegistryError(`${ref}: ${message}`)));
      req.destroy();
    };
    const tooLarge = () => fail(`the answer to GET ${where} is larger than ${maxBytes} bytes (${maxBytes / 1024 / 1024} MiB); refusing it`
      + (limits.tooLargeHint ? `; ${limits.tooLargeHint}` : ''));
    let timer = setTimeout(() => req.destroy(new TimeoutError()), timeoutMs);
    // with a sink the socket is ours alone (no keep-alive pool), so that bytes after the body show as a parse error
    const options = sink ? { method: 'GET', headers: { ...headers, 'Connection': 'close', 'Accept-Encoding': 'identity' }, agent: false }
      : { method: 'GET', headers };
    const req = lib.request(url, options, (res) => {
      response = res;
      const status = res.statusCode ?? 0;
      const streamed = sink !== undefined && status >= 200 && status <= 299;
      const declared = res.headers['content-length'] === undefined ? undefined : Number(res.headers['content-length']);
      if (declared !== undefined && declared > maxBytes && (streamed || sink === undefined)) {
        return tooLarge();
      }
      if (streamed && declared === undefined && !/\bchunked\b/i.test(String(res.headers['transfer-encoding'] ?? ''))) {
        return fail(`the answer to GET ${where} has neither a Content-Length nor chunked encoding, so a truncated download cannot be `
          + 'told from a complete one; refusing it');
      }
      const encoding = String(res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (streamed && encoding !== 'identity' && encoding !== '') {
        return fail(`the answer to GET ${where} is content-encoded (${printable(encoding)}) although identity was asked for; `
          + 'its bytes are not the file\'s, refusing it');
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (streamed) {
          if (size > maxBytes) {
            return tooLarge();
          }
          clearTimeout(timer);
          timer = setTimeout(() => req.destroy(new TimeoutError()), timeoutMs);
          return sink!(chunk);
        }
        if (sink !== undefined) { // an error or redirect body while streaming: keep its start for the message
          return size <= MAX_STREAMED_ERROR_BODY ? void chunks.push(chunk) : undefined;
        }
        if (size > maxBytes) {
          return tooLarge();
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        outcome = { status, headers: res.headers, body: Buffer.concat(chunks), url };
        if (sink === undefined) {
          settle(() => resolve(outcome!));
        }
      });
      res.on('error', () => fail(truncated(where, size, declared)));
      res.on('aborted', () => fail(truncated(where, size, declared)));
    });
    req.on('close', () => {
      if (outcome !== undefined) {
        settle(() => resolve(outcome!));
      }
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (response?.complete === true && e.code?.startsWith('HPE_')) { // the parser reads on past the body before 'end' is emitted
        fail(`the answer to GET ${where} goes on after its Content-Length of ${response.headers['content-length']} bytes (a wrong `
          + 'Content-Length); refusing it');
      } else if (e instanceof TimeoutError) {
        fail(`timed out after ${timeoutMs / 1000}s waiting for ${url.origin} (GET ${url.pathname}); check the network or raise --timeout`);
      } else if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'ECONNRESET') {
        fail(`cannot reach ${url.origin} (${e.code}); check the host name and the network`);
      } else if (e.code === 'EPROTO' || /ssl|tls|certificate/i.test(e.message)) {
        fail(`TLS error talking to ${url.origin} (${printable(e.message)}); for a certificate of a private CA set NODE_EXTRA_CA_CERTS to the CA's `
          + `PEM file, for a server that speaks plain HTTP use --insecure-registry ${url.host}`);
      } else if (e.code?.startsWith('HPE_')) {
        fail(`malformed answer from ${url.origin}: not HTTP (${e.code})`);
      } else {
        fail(`request to ${url.origin} failed: ${printable(e.message)}`);
      }
    });
    req.end();
  });
}

function truncated(where: string, size: number, declared: number | undefined): string {
  return `the answer to GET ${where} ended after ${size} ${declared === undefined ? 'bytes, before its last chunk' : `of its ${declared} bytes`} `
    + '(truncated); refusing it';
}

class TimeoutError extends Error {}
