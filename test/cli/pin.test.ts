/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { FIXTURES, NOW, pushImage, pushManifest, runCli, sha256, startRegistry, TestRegistry, tmpdir } from './support';
import { ImageLock } from '../../src/core';

// `pin` against a real registry: Debian's docker-registry (distribution 2.8) on 127.0.0.1, one open instance and one with
// htpasswd (basic) authentication; images are pushed over HTTP with the distribution push API. Registry behaviours that a
// real registry cannot be made to show (bearer tokens, garbage, hangs) come from a small Node server.

jest.setTimeout(30_000);

const BASIC = `Basic ${Buffer.from('tester:s3cret-test').toString('base64')}`;
let open: TestRegistry;
let secured: TestRegistry;
let pushed: { manifestDigest: string; indexDigest?: string };
let securedDigest: string;

beforeAll(async () => {
  [open, secured] = await Promise.all([startRegistry(), startRegistry({ htpasswd: path.join(FIXTURES, 'htpasswd') })]);
  pushed = await pushImage(open.base, 'acme/scorer', { manifest: '1.0', index: '1.0-multi' });
  securedDigest = (await pushImage(secured.base, 'secure/model', { manifest: '2.0' }, BASIC)).manifestDigest;
});

afterAll(async () => {
  await Promise.all([open?.stop(), secured?.stop()]);
});

function lockIn(dir: string) {
  return path.join(dir, 'images.lock.json');
}

describe('pin against docker-registry', () => {
  test('resolves an OCI manifest and an OCI index to the digests of the pushed bytes, and writes a sorted lock', async () => {
    const dir = tmpdir();
    const r = await runCli(['pin', '--lock', lockIn(dir), `${open.host}/acme/scorer:1.0-multi`, `${open.host}/acme/scorer:1.0`]);
    expect(r.stderr).toContain(`[1/2] ${open.host}/acme/scorer:1.0-multi ${pushed.indexDigest} (new, index of linux/amd64)`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${open.host}/acme/scorer:1.0-multi@${pushed.indexDigest}\n${open.host}/acme/scorer:1.0@${pushed.manifestDigest}\n`);
    const text = fs.readFileSync(lockIn(dir), 'utf-8');
    expect(JSON.parse(text)).toEqual({
      images: {
        [`${open.host}/acme/scorer:1.0`]: {
          digest: pushed.manifestDigest,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          name: `${open.host}/acme/scorer`,
          resolvedAt: NOW.toISOString(),
          tag: '1.0',
        },
        [`${open.host}/acme/scorer:1.0-multi`]: {
          digest: pushed.indexDigest,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          name: `${open.host}/acme/scorer`,
          platforms: [{ architecture: 'amd64', digest: pushed.manifestDigest, os: 'linux' }],
          resolvedAt: NOW.toISOString(),
          tag: '1.0-multi',
        },
      },
      lockfileVersion: 1,
    });
    // deterministic: sorted keys, two-space indent, final newline
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), undefined, 2)}\n`);
    expect(Object.keys(JSON.parse(text).images)).toEqual([`${open.host}/acme/scorer:1.0`, `${open.host}/acme/scorer:1.0-multi`]);

    // synth time: no network, the lock alone pins the reference
    const lock = ImageLock.fromFile(lockIn(dir));
    const ref = lock.resolve(`${open.host}/acme/scorer:1.0`);
    expect(ref.toString()).toBe(`${open.host}/acme/scorer:1.0@${pushed.manifestDigest}`);
    expect([ref.registry, ref.repository, ref.tag, ref.digest, ref.isPinned]).toEqual([open.host, 'acme/scorer', '1.0', pushed.manifestDigest, true]);
    expect(() => lock.resolve(`${open.host}/acme/scorer:9.9`)).toThrow(
      `the image lock ${lockIn(dir)} has no entry for "${open.host}/acme/scorer:9.9" (${open.host}/acme/scorer:9.9); `
      + `run \`cdk-compliant-ml pin ${open.host}/acme/scorer:9.9\` --lock ${lockIn(dir)} and commit the updated lock`);
  });

  test('re-pinning without arguments refreshes every entry: an unchanged tag leaves the file as it is, a moved tag is updated', async () => {
    const dir = tmpdir();
    await pushImage(open.base, 'acme/moving', { manifest: '1' });
    expect((await runCli(['pin', '--lock', lockIn(dir), `${open.host}/acme/moving:1`, `${open.host}/acme/scorer:1.0`])).code).toBe(0);
    const before = fs.readFileSync(lockIn(dir), 'utf-8');
    const later = new Date('2026-02-01T00:00:00.000Z');
    const same = await runCli(['pin', '--lock', lockIn(dir)], { now: later });
    expect(same.code).toBe(0);
    expect(same.stderr).toContain('(unchanged)');
    expect(same.stderr).toContain('0 lock entries changed (lock unchanged)');
    expect(fs.readFileSync(lockIn(dir), 'utf-8')).toBe(before);

    const moved = await pushImage(open.base, 'acme/moving', { manifest: '1' });
    const refreshed = await runCli(['pin', '--lock', lockIn(dir)], { now: later });
    expect(refreshed.code).toBe(0);
    const oldDigest = JSON.parse(before).images[`${open.host}/acme/moving:1`].digest;
    expect(refreshed.stderr).toContain(`${open.host}/acme/moving:1 ${moved.manifestDigest} (changed from ${oldDigest})`);
    const after = JSON.parse(fs.readFileSync(lockIn(dir), 'utf-8')).images;
    expect(after[`${open.host}/acme/moving:1`]).toMatchObject({ digest: moved.manifestDigest, resolvedAt: later.toISOString() });
    expect(after[`${open.host}/acme/scorer:1.0`]).toMatchObject({ digest: pushed.manifestDigest, resolvedAt: NOW.toISOString() });
  });

  test('an index with two platforms is pinned at the index digest, with both platforms (os, architecture, variant, digest) in the lock', async () => {
    const amd64 = (await pushImage(open.base, 'acme/multi', { manifest: 'amd64' })).manifestDigest;
    const arm64 = (await pushImage(open.base, 'acme/multi', { manifest: 'arm64' })).manifestDigest;
    const manifestType = 'application/vnd.oci.image.manifest.v1+json';
    const child = async (tag: string, digest: string) => ({
      mediaType: manifestType, digest, size: Number((await fetch(`${open.base}/v2/acme/multi/manifests/${tag}`, { method: 'HEAD' })).headers.get('content-length')),
    });
    const indexType = 'application/vnd.oci.image.index.v1+json';
    const indexDigest = await pushManifest(open.base, 'acme/multi', '2.0', indexType, {
      schemaVersion: 2,
      mediaType: indexType,
      manifests: [ // arm64 first: the lock sorts the platforms
        { ...(await child('arm64', arm64)), platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
        { ...(await child('amd64', amd64)), platform: { architecture: 'amd64', os: 'linux' } },
      ],
    });
    const dir = tmpdir();
    const ref = `${open.host}/acme/multi:2.0`;
    const r = await runCli(['pin', '--lock', lockIn(dir), ref]);
    expect(r.stdout).toBe(`${ref}@${indexDigest}\n`);
    expect(r.stderr).toContain(`[1/1] ${ref} ${indexDigest} (new, index of linux/amd64, linux/arm64/v8)`);
    expect(r.code).toBe(0);
    const entry = JSON.parse(fs.readFileSync(lockIn(dir), 'utf-8')).images[ref];
    expect(entry).toEqual({
      digest: indexDigest,
      mediaType: indexType,
      name: `${open.host}/acme/multi`,
      platforms: [
        { architecture: 'amd64', digest: amd64, os: 'linux' },
        { architecture: 'arm64', digest: arm64, os: 'linux', variant: 'v8' },
      ],
      resolvedAt: NOW.toISOString(),
      tag: '2.0',
    });
    expect(ImageLock.fromFile(lockIn(dir)).resolve(ref).digest).toBe(indexDigest);

    // a lock written before platforms were recorded gains them on re-pinning, and keeps when the digest was first resolved
    const old = { images: { [ref]: { digest: indexDigest, name: `${open.host}/acme/multi`, resolvedAt: '2025-06-01T00:00:00.000Z', tag: '2.0' } }, lockfileVersion: 1 };
    fs.writeFileSync(lockIn(dir), JSON.stringify(old));
    const again = await runCli(['pin', '--lock', lockIn(dir)]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('(unchanged, index of linux/amd64, linux/arm64/v8)');
    expect(JSON.parse(fs.readFileSync(lockIn(dir), 'utf-8')).images[ref]).toEqual({ ...entry, resolvedAt: '2025-06-01T00:00:00.000Z' });
  });

  test('an unknown tag or repository is a clear 404 error (exit 3); the images that resolved are still written', async () => {
    const dir = tmpdir();
    const r = await runCli(['pin', '--lock', lockIn(dir), `${open.host}/acme/scorer:nope`, `${open.host}/acme/missing:1`, `${open.host}/acme/scorer:1.0`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${open.host}/acme/scorer:nope: not found (HTTP 404): ${open.host} has no tag nope in the repository acme/scorer `
      + '(or no such repository); check the name and the tag');
    expect(r.stderr).toContain(`${open.host}/acme/missing:1: not found (HTTP 404): ${open.host} has no tag 1 in the repository acme/missing`);
    expect(r.stderr).toContain('1 of 3 images resolved, 1 lock entries written');
    expect(Object.keys(JSON.parse(fs.readFileSync(lockIn(dir), 'utf-8')).images)).toEqual([`${open.host}/acme/scorer:1.0`]);
  });

  test('basic authentication: refused without credentials, with wrong ones, accepted from the environment and from a docker config', async () => {
    const ref = `${secured.host}/secure/model:2.0`;
    const envName = `CDK_COMPLIANT_ML_REGISTRY_AUTH_127_0_0_1_${secured.host.split(':')[1]}`;
    const home = tmpdir();

    const none = await runCli(['pin', '--lock', lockIn(tmpdir()), ref], { env: { HOME: home } });
    expect(none.code).toBe(3);
    expect(none.stderr).toContain(`${ref}: authentication required (HTTP 401, basic): set ${envName}=user:password or log in with \`docker login ${secured.host}\``);

    const wrong = await runCli(['pin', '--lock', lockIn(tmpdir()), ref], { env: { HOME: home, [envName]: 'tester:wrong' } });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain(`${ref}: the registry refused the credentials (HTTP 401, credentials from ${envName})`);

    const fromEnv = await runCli(['pin', '--lock', lockIn(tmpdir()), ref], { env: { HOME: home, [envName]: 'tester:s3cret-test' } });
    expect(fromEnv.stdout).toBe(`${ref}@${securedDigest}\n`);
    expect(fromEnv.code).toBe(0);

    const dockerConfig = tmpdir();
    fs.writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({
      auths: { [`http://${secured.host}`]: { auth: Buffer.from('tester:s3cret-test').toString('base64') } },
    }));
    const fromConfig = await runCli(['pin', '--lock', lockIn(tmpdir()), ref], { env: { HOME: home, DOCKER_CONFIG: dockerConfig } });
    expect(fromConfig.stdout).toBe(`${ref}@${securedDigest}\n`);
    expect(fromConfig.code).toBe(0);

    fs.writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths: {}, credsStore: 'desktop' }));
    const helper = await runCli(['pin', '--lock', lockIn(tmpdir()), ref], { env: { HOME: home, DOCKER_CONFIG: dockerConfig } });
    expect(helper.stderr).toContain('delegates credentials to the helper docker-credential-desktop, which cdk-compliant-ml does not run');
  });
});

describe('pin against a misbehaving registry (Node server)', () => {
  const MANIFEST = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] }));
  let server: http.Server;
  let host: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const send = (status: number, headers: Record<string, string>, body: string | Buffer = '') => {
        res.writeHead(status, headers);
        res.end(req.method === 'HEAD' ? undefined : body);
      };
      if (url.pathname === '/token') {
        tokens.push(`${url.searchParams.get('service')} ${url.searchParams.get('scope')} ${req.headers.authorization ?? 'anonymous'}`);
        return send(200, { 'Content-Type': 'application/json' }, JSON.stringify({ token: 'tok-123' }));
      }
      if (url.pathname === '/bad-token') {
        return send(200, { 'Content-Type': 'text/html' }, '<html>login</html>');
      }
      const [, repo, , tag] = /^\/v2\/(([a-z]+)\/[a-z-]+)\/manifests\/(.+)$/.exec(url.pathname) ?? [];
      switch (repo) {
        case 'bearer/model':
          if (req.headers.authorization !== 'Bearer tok-123') {
            return send(401, {
              'WWW-Authenticate': `Bearer realm="http://${host}/token",service="fake-registry",scope="repository:bearer/model:pull"`,
            }, '{"errors":[{"code":"UNAUTHORIZED"}]}');
          }
          return send(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': sha256(MANIFEST) }, MANIFEST);
        case 'bad/token':
          return send(401, { 'WWW-Authenticate': `Bearer realm="http://${host}/bad-token",service="fake"` });
        case 'no/header': // no Docker-Content-Digest: the digest is the sha256 of the GET body
          return send(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }, MANIFEST);
        case 'bad/digest':
          return send(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json', 'Docker-Content-Digest': 'sha256:XYZ' }, MANIFEST);
        case 'not/json':
          return send(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }, 'this is not a manifest');
        case 'server/error':
          return send(500, { 'Content-Type': 'text/plain' }, 'database on fire');
        case 'slow/model':
          return undefined; // never answers
        default:
          return send(404, { 'Content-Type': 'application/json' }, JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN' }], tag }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    host = `127.0.0.1:${(server.address() as any).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const pin = (ref: string, ...extra: string[]) => runCli(['pin', '--lock', lockIn(tmpdir()), ...extra, `${host}/${ref}`]);

  test('follows the anonymous bearer-token flow of the WWW-Authenticate challenge', async () => {
    const r = await pin('bearer/model:1.0', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${host}/bearer/model:1.0@${sha256(MANIFEST)}\n`);
    expect(r.code).toBe(0);
    expect(tokens).toEqual(['fake-registry repository:bearer/model:pull anonymous']);
  });

  test('without a Docker-Content-Digest header, the digest is the sha256 of the manifest bytes', async () => {
    const r = await pin('no/header:1.0', '--quiet');
    expect(r.stdout).toBe(`${host}/no/header:1.0@${sha256(MANIFEST)}\n`);
    expect(r.code).toBe(0);
  });

  test.each([
    ['bad/digest:1', 'malformed answer: the Docker-Content-Digest header "sha256:XYZ" is not sha256:<64 hex> or sha512:<128 hex>'],
    ['not/json:1', 'malformed answer: the manifest is not JSON: this is not a manifest'],
    ['server/error:1', 'unexpected answer HTTP 500 from http://'],
    ['bad/token:1', 'malformed answer from the token service http://'],
    ['nothing/here:1', 'not found (HTTP 404): the repository nothing/here does not exist on 127.0.0.1:'],
  ])('%s gives a clear error and exit code 3', async (ref, message) => {
    const r = await pin(ref, '--quiet');
    expect(r.stderr).toContain(`${host}/${ref}: ${message}`);
    expect(r.code).toBe(3);
  });

  test('a registry that does not answer times out after --timeout', async () => {
    const started = Date.now();
    const r = await pin('slow/model:1', '--timeout', '0.3', '--quiet');
    expect(r.stderr).toContain(`${host}/slow/model:1: timed out after 0.3s waiting for http://${host} (GET /v2/slow/model/manifests/1); `
      + 'check the network or raise --timeout');
    expect(r.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a registry that is not listening is reported as unreachable', async () => {
    const r = await runCli(['pin', '--lock', lockIn(tmpdir()), '--quiet', '127.0.0.1:1/acme/x:1']);
    expect(r.stderr).toContain('127.0.0.1:1/acme/x:1: cannot reach http://127.0.0.1:1 (ECONNREFUSED)');
    expect(r.code).toBe(3);
  });
});

describe('pin usage', () => {
  test.each([
    [['pin', 'python:latest'], 'the tag `latest` says nothing about what runs'],
    [['pin', 'python'], 'it has no tag, so there is nothing to pin'],
    [['pin', `python:3.12@sha256:${'a'.repeat(64)}`], 'it is already pinned by digest'],
    [['pin', '--lock', '/nonexistent/images.lock.json'], 'pin needs IMAGE:TAG arguments, or an existing lock file'],
    [['pin', '--timeout', 'soon', 'python:3.12'], '--timeout must be a number of seconds'],
    [['pin', '--bogus', 'python:3.12'], 'unknown option --bogus'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const r = await runCli(argv);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('Run cdk-compliant-ml pin --help for the usage.');
    expect(r.code).toBe(2);
  });

  test('an invalid lock file is an input error (exit 3) and is not overwritten', async () => {
    const dir = tmpdir();
    fs.writeFileSync(lockIn(dir), '{"lockfileVersion": 7, "images": {}}');
    const r = await runCli(['pin', '--lock', lockIn(dir), 'python:3.12']);
    expect(r.stderr).toContain('lockfileVersion is 7, expected 1');
    expect(r.code).toBe(3);
    expect(fs.readFileSync(lockIn(dir), 'utf-8')).toBe('{"lockfileVersion": 7, "images": {}}');
  });
});
