/* eslint-disable @typescript-eslint/no-explicit-any */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import { runCli, sha256, tmpdir } from './support';
import { opensslAvailable, runCliProcess, selfSignedCertificate } from './support-tls';
import { redirectProblem } from '../../src/cli/registry';
import { MAX_MANIFEST_BYTES, printable } from '../../src/cli/registry-manifest';

// `pin` against a registry that lies (issue #16, hostile input): a Node server on 127.0.0.1 that sends digests that are not the
// digest of its bytes, different answers to HEAD and GET, escape sequences, oversized manifests and redirects; and an HTTPS server
// (a throw-away self-signed certificate from openssl, trusted by a CLI child process through NODE_EXTRA_CA_CERTS) that redirects
// to plain HTTP.

jest.setTimeout(30_000);

const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const MANIFEST = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPE, config: {}, layers: [] }));
const DECOY = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPE, config: {}, layers: [], decoy: true }));
/** Control characters a terminal acts on: C0 except tab and newline (the CLI ends its lines with one), DEL, C1. */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** A valid manifest of exactly `size` bytes (padded in an annotation). */
function manifestOfSize(size: number): Buffer {
  const empty = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPE, config: {}, layers: [], annotations: { pad: '' } });
  return Buffer.from(empty.replace('"pad":""', `"pad":"${'x'.repeat(size - Buffer.byteLength(empty))}"`));
}

const lockIn = (dir: string) => path.join(dir, 'images.lock.json');

let liar: http.Server;
let liarHost: string;
/** `METHOD path` of every request the lying server received. */
const seen: string[] = [];

beforeAll(async () => {
  liar = http.createServer((req, res) => {
    res.on('error', () => undefined); // the client hangs up on oversized bodies
    const url = new URL(req.url!, 'http://x');
    seen.push(`${req.method} ${url.pathname}`);
    const send = (status: number, headers: Record<string, string>, body: string | Buffer = '') => {
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const manifestHeaders = { 'Content-Type': MANIFEST_TYPE };
    if (url.pathname === '/token') {
      return send(200, { 'Content-Type': 'application/json' }, JSON.stringify({ token: 'tok-plain' }));
    }
    const [, repo] = /^\/v2\/([a-z0-9-]+\/[a-z0-9-]+)\/manifests\/.+$/.exec(url.pathname) ?? [];
    switch (repo) {
      case 'no/header':
        return send(200, manifestHeaders, MANIFEST);
      case 'wrong/digest':
        return send(200, { ...manifestHeaders, 'Docker-Content-Digest': sha256(DECOY) }, MANIFEST);
      case 'good/sha512':
        return send(200, { ...manifestHeaders, 'Docker-Content-Digest': `sha512:${crypto.createHash('sha512').update(MANIFEST).digest('hex')}` }, MANIFEST);
      case 'wrong/sha512':
        return send(200, { ...manifestHeaders, 'Docker-Content-Digest': `sha512:${crypto.createHash('sha512').update(DECOY).digest('hex')}` }, MANIFEST);
      case 'head/differs': // HEAD names the decoy, GET sends (and names) the real bytes
        return req.method === 'HEAD'
          ? send(200, { ...manifestHeaders, 'Docker-Content-Digest': sha256(DECOY) })
          : send(200, { ...manifestHeaders, 'Docker-Content-Digest': sha256(MANIFEST) }, MANIFEST);
      case 'head/only': // a digest for HEAD, nothing for GET
        return req.method === 'HEAD' ? send(200, { ...manifestHeaders, 'Docker-Content-Digest': sha256(MANIFEST) }) : send(405, {});
      case 'index/bad-child':
        return send(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' }, JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [{ mediaType: MANIFEST_TYPE, digest: 'sha256:feed', size: 1, platform: { os: 'linux', architecture: 'amd64' } }],
        }));
      case 'index/no-manifests':
        return send(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' },
          JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json' }));
      case 'type/mismatch':
        return send(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' }, MANIFEST);
      case 'escape/body':
        return send(500, { 'Content-Type': 'text/plain' }, 'database \u001b[2J\u001b]0;owned\u0007 on \u009b31mfire\u007f\u202e');
      case 'escape/header':
        return send(200, { 'Content-Type': 'application/vnd.evil\u009b2J' }, MANIFEST);
      case 'escape/challenge':
        return send(401, { 'WWW-Authenticate': 'Negotiate \u009b2J\u0090q' });
      case 'escape/json':
        return send(200, { 'Content-Type': 'application/json' }, JSON.stringify({ schemaVersion: 2, mediaType: 'application/x\u001b[31m\u009b1m' }));
      case 'escape/platform':
        return send(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' }, JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [{ mediaType: MANIFEST_TYPE, digest: sha256(MANIFEST), size: MANIFEST.length, platform: { os: 'linux\u009b2J', architecture: 'amd64' } }],
        }));
      case 'too/large': { // streamed (chunked, no Content-Length): counted as it arrives
        const body = manifestOfSize(MAX_MANIFEST_BYTES + 1);
        res.writeHead(200, manifestHeaders);
        for (let at = 0; at < body.length; at += 64 * 1024) {
          res.write(body.subarray(at, at + 64 * 1024));
        }
        return res.end();
      }
      case 'declared/large': {
        const body = manifestOfSize(MAX_MANIFEST_BYTES + 1);
        return send(200, { ...manifestHeaders, 'Content-Length': String(body.length) }, body);
      }
      case 'exact/limit':
        return send(200, manifestHeaders, manifestOfSize(MAX_MANIFEST_BYTES));
      case 'redirect/same':
        return send(307, { Location: '/v2/no/header/manifests/1' });
      case 'redirect/loop':
        return send(307, { Location: url.pathname });
      case 'redirect/remote':
        return send(302, { Location: 'http://registry.example.com/v2/no/header/manifests/1' });
      case 'redirect/scheme':
        return send(302, { Location: 'file:///etc/passwd' });
      default:
        return send(404, { 'Content-Type': 'application/json' }, JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN' }] }));
    }
  });
  await new Promise<void>((r) => liar.listen(0, '127.0.0.1', () => r()));
  liarHost = `127.0.0.1:${(liar.address() as any).port}`;
});

afterAll(async () => {
  liar.closeAllConnections();
  await new Promise((r) => liar.close(r));
});

const pin = (dir: string, ...refs: string[]) => runCli(['pin', '--quiet', '--lock', lockIn(dir), ...refs.map((ref) => `${liarHost}/${ref}`)]);

describe('pin records only the sha256 of the manifest bytes it received', () => {
  test('a Docker-Content-Digest header that is not the digest of the bytes is refused, naming both digests; nothing is written', async () => {
    const dir = tmpdir();
    const r = await pin(dir, 'wrong/digest:1');
    expect(r.stderr).toContain(`${liarHost}/wrong/digest:1: the registry's Docker-Content-Digest header ${sha256(DECOY)} is not the digest of `
      + `the manifest it sent (${sha256(MANIFEST)}); refusing to pin either`);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(3);
    expect(fs.existsSync(lockIn(dir))).toBe(false);
  });

  test('a sha512 Docker-Content-Digest is checked against the bytes too; the lock still records their sha256', async () => {
    const good = await pin(tmpdir(), 'good/sha512:1');
    expect(good.stdout).toBe(`${liarHost}/good/sha512:1@${sha256(MANIFEST)}\n`);
    expect(good.code).toBe(0);
    const wrong = await pin(tmpdir(), 'wrong/sha512:1');
    expect(wrong.stderr).toContain(`is not the digest of the manifest it sent (sha512:${crypto.createHash('sha512').update(MANIFEST).digest('hex')})`);
    expect(wrong.code).toBe(3);
  });

  test('HEAD and GET naming different digests: the digest of the GET bytes is pinned, never the HEAD one (no HEAD is sent)', async () => {
    seen.length = 0;
    const dir = tmpdir();
    const r = await pin(dir, 'head/differs:1');
    expect(r.stdout).toBe(`${liarHost}/head/differs:1@${sha256(MANIFEST)}\n`);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(lockIn(dir), 'utf-8')).not.toContain(sha256(DECOY));
    expect(seen).toEqual(['GET /v2/head/differs/manifests/1']);
  });

  test('fails when only HEAD answers with a digest: without the bytes there is nothing to pin', async () => {
    const r = await pin(tmpdir(), 'head/only:1');
    expect(r.stderr).toContain(`${liarHost}/head/only:1: unexpected answer HTTP 405 from http://${liarHost}`);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(3);
  });

  test.each([
    ['index/bad-child:1', 'malformed answer: manifests[0] of the index has the digest "sha256:feed", not sha256:<64 hex> or sha512:<128 hex>'],
    ['index/no-manifests:1', 'malformed answer: the index has no "manifests" array'],
  ])('fails when the index %s does not list its children properly', async (ref, message) => {
    const r = await pin(tmpdir(), ref);
    expect(r.stderr).toContain(`${liarHost}/${ref}: ${message}`);
    expect(r.code).toBe(3);
  });

  test('fails when the Content-Type contradicts the mediaType of the bytes', async () => {
    const r = await pin(tmpdir(), 'type/mismatch:1');
    expect(r.stderr).toContain('malformed answer: the Content-Type "application/vnd.oci.image.index.v1+json" is not the manifest\'s mediaType '
      + `"${MANIFEST_TYPE}"`);
    expect(r.code).toBe(3);
  });
});

describe('pin bounds what it reads: a manifest of at most 4 MiB', () => {
  test('a streamed manifest one byte over 4 MiB is refused', async () => {
    const r = await pin(tmpdir(), 'too/large:1');
    expect(r.stderr).toContain(`${liarHost}/too/large:1: the answer to GET http://${liarHost}/v2/too/large/manifests/1 is larger than 4194304 bytes `
      + '(4 MiB); refusing it');
    expect(r.code).toBe(3);
  });

  test('a Content-Length over 4 MiB is refused before the body is read', async () => {
    const r = await pin(tmpdir(), 'declared/large:1');
    expect(r.stderr).toContain('is larger than 4194304 bytes (4 MiB); refusing it');
    expect(r.code).toBe(3);
  });

  test('a manifest of exactly 4 MiB is accepted and pinned at the digest of its bytes', async () => {
    const r = await pin(tmpdir(), 'exact/limit:1');
    expect(r.stdout).toBe(`${liarHost}/exact/limit:1@${sha256(manifestOfSize(MAX_MANIFEST_BYTES))}\n`);
    expect(r.code).toBe(0);
  });
});

describe('pin escapes control characters before it prints them', () => {
  test.each([
    ['escape/body:1', 'unexpected answer HTTP 500', 'database \\u001b[2J\\u001b]0;owned\\u0007 on \\u009b31mfire\\u007f\\u202e'],
    ['escape/header:1', 'the Content-Type', '"application/vnd.evil\\u009b2J"'],
    ['escape/challenge:1', 'unsupported challenge', '"Negotiate \\u009b2J\\u0090q"'],
    ['escape/json:1', 'the media type', '"application/x\\u001b[31m\\u009b1m"'],
    ['escape/platform:1', 'the platform of manifests[0] of the index', 'has the os "linux\\u009b2J"'],
  ])('%s: the registry text is printed with \\uXXXX escapes', async (ref, what, escaped) => {
    const r = await pin(tmpdir(), ref);
    expect(r.stderr).toContain(what);
    expect(r.stderr).toContain(escaped);
    expect(r.stderr).not.toMatch(TERMINAL_CONTROL);
    expect(r.code).toBe(3);
  });

  test('names and tags echoed back from a lock file or the command line are escaped', async () => {
    const dir = tmpdir();
    const name = `${liarHost}/acme/x\u009b2J`;
    fs.writeFileSync(lockIn(dir), JSON.stringify({ lockfileVersion: 1, images: { [`${name}:1`]: { name, tag: '1', digest: sha256(MANIFEST) } } }));
    const fromLock = await runCli(['pin', '--lock', lockIn(dir)]);
    expect(fromLock.stderr).toContain(`the key "${liarHost}/acme/x\\u009b2J:1" is not a tagged image reference`);
    expect(fromLock.stderr).not.toMatch(TERMINAL_CONTROL);
    expect(fromLock.code).toBe(3);

    const fromArgs = await runCli(['pin', '--lock', lockIn(tmpdir()), `${liarHost}/acme/x\u001b[2J\u009b:1`]);
    expect(fromArgs.stderr).toContain('acme/x\\u001b[2J\\u009b:1');
    expect(fromArgs.stderr).not.toMatch(TERMINAL_CONTROL);
    expect(fromArgs.code).toBe(2);
  });

  test('printable escapes C0 (but tab), DEL, C1, line separators and bidi overrides, and leaves other text alone', () => {
    expect(printable('a\tb\nc\u001b[0m\u007f\u0085\u009b\u2028\u202e\u2066 é ✓')).toBe('a\tb\\u000ac\\u001b[0m\\u007f\\u0085\\u009b\\u2028\\u202e\\u2066 é ✓');
    expect(printable(printable('\u001b'))).toBe('\\u001b');
  });
});

describe('pin follows redirects only within its plain-HTTP rule, at most 5', () => {
  test('a redirect on the same host is followed', async () => {
    const r = await pin(tmpdir(), 'redirect/same:1');
    expect(r.stdout).toBe(`${liarHost}/redirect/same:1@${sha256(MANIFEST)}\n`);
    expect(r.code).toBe(0);
  });

  test.each([
    ['redirect/loop:1', 'more than 5 redirects'],
    ['redirect/remote:1', 'to http://registry.example.com/v2/no/header/manifests/1: plain HTTP is allowed only for loopback hosts and '
      + '--insecure-registry hosts, not registry.example.com'],
    ['redirect/scheme:1', 'to file:///etc/passwd: it leads to the scheme file:, not https: or http:'],
  ])('fails when %s', async (ref, message) => {
    const r = await pin(tmpdir(), ref);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(3);
  });

  test('redirectProblem: https to http is a downgrade, to any host; http stays on loopback or --insecure-registry hosts', () => {
    const problem = (from: string, to: string, insecure: string[] = []) => redirectProblem(new URL(from), new URL(to), insecure);
    expect(problem('https://ghcr.io/v2/a', 'http://ghcr.io/v2/a')).toBe('it downgrades HTTPS to plain HTTP');
    expect(problem('https://ghcr.io/v2/a', 'http://127.0.0.1:5000/v2/a')).toBe('it downgrades HTTPS to plain HTTP');
    expect(problem('https://ghcr.io/v2/a', 'http://reg.local/v2/a', ['reg.local'])).toBe('it downgrades HTTPS to plain HTTP');
    expect(problem('https://ghcr.io/v2/a', 'https://pkg-containers.githubusercontent.com/x')).toBeUndefined();
    expect(problem('http://127.0.0.1:5000/v2/a', 'http://localhost:5001/v2/a')).toBeUndefined();
    expect(problem('http://reg.local/v2/a', 'http://mirror.local/v2/a', ['reg.local', 'mirror.local'])).toBeUndefined();
    expect(problem('http://127.0.0.1:5000/v2/a', 'http://evil.example/v2/a')).toMatch(/not evil\.example$/);
    expect(problem('http://127.0.0.1:5000/v2/a', 'ftp://127.0.0.1/a')).toMatch(/scheme ftp:/);
  });
});

// Loopback hosts always use plain HTTP, so the HTTPS registry is addressed as 0.0.0.0 (which Linux connects to locally and which
// the plain-HTTP rule does not treat as loopback); the certificate names it.
(opensslAvailable ? describe : describe.skip)('pin refuses redirects from HTTPS to plain HTTP (a real TLS server)', () => {
  let secure: https.Server;
  let secureHost: string;
  let caFile: string;

  beforeAll(async () => {
    const certificate = selfSignedCertificate(['0.0.0.0', '127.0.0.1']);
    caFile = certificate.caFile;
    secure = https.createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
      const url = new URL(req.url!, 'https://x');
      const send = (status: number, headers: Record<string, string>, body: string | Buffer = '') => {
        res.writeHead(status, headers);
        res.end(body);
      };
      const challenge = (realm: string) => send(401, { 'WWW-Authenticate': `Bearer realm="https://${secureHost}${realm}",service="secure"` });
      switch (url.pathname) {
        case '/v2/direct/model/manifests/1':
          return send(200, { 'Content-Type': MANIFEST_TYPE, 'Docker-Content-Digest': sha256(MANIFEST) }, MANIFEST);
        case '/v2/downgrade/model/manifests/1':
          return send(302, { Location: `http://${liarHost}/v2/no/header/manifests/1` });
        case '/v2/token-ok/model/manifests/1':
          return req.headers.authorization === 'Bearer tok-tls' ? send(200, { 'Content-Type': MANIFEST_TYPE }, MANIFEST) : challenge('/token');
        case '/v2/token-downgrade/model/manifests/1':
          return challenge('/token-redirect');
        case '/token':
          return send(200, { 'Content-Type': 'application/json' }, JSON.stringify({ token: 'tok-tls' }));
        case '/token-redirect':
          return send(302, { Location: `http://${liarHost}/token` });
        default:
          return send(404, {});
      }
    });
    await new Promise<void>((r) => secure.listen(0, '127.0.0.1', () => r()));
    secureHost = `0.0.0.0:${(secure.address() as any).port}`;
  });

  afterAll(async () => {
    secure?.closeAllConnections();
    await new Promise((r) => (secure ? secure.close(r) : r(undefined)));
  });

  test('manifest and token requests redirected to http: are refused; the same server pins over HTTPS without redirects', async () => {
    seen.length = 0;
    const dir = tmpdir();
    const refs = ['direct/model:1', 'token-ok/model:1', 'downgrade/model:1', 'token-downgrade/model:1'].map((ref) => `${secureHost}/${ref}`);
    const r = await runCliProcess(['pin', '--quiet', '--lock', lockIn(dir), ...refs], { HOME: tmpdir(), NODE_EXTRA_CA_CERTS: caFile });
    expect(r.stdout).toBe(`${refs[0]}@${sha256(MANIFEST)}\n${refs[1]}@${sha256(MANIFEST)}\n`);
    expect(r.stderr).toContain(`${refs[2]}: refusing the redirect from https://${secureHost}/v2/downgrade/model/manifests/1 to `
      + `http://${liarHost}/v2/no/header/manifests/1: it downgrades HTTPS to plain HTTP`);
    expect(r.stderr).toContain(`${refs[3]}: refusing the redirect from https://${secureHost}/token-redirect?service=secure&`
      + `scope=repository%3Atoken-downgrade%2Fmodel%3Apull to http://${liarHost}/token: it downgrades HTTPS to plain HTTP`);
    expect(r.code).toBe(3);
    expect(seen).toEqual([]); // the plain-HTTP server was never asked
    expect(Object.keys(JSON.parse(fs.readFileSync(lockIn(dir), 'utf-8')).images)).toEqual(refs.slice(0, 2));
  });
});
