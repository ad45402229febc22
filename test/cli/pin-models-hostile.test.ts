import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { chunked, file, redirect, startFileServer, startRawServer, TestServer } from './model-file-servers';
import { runCli, sha256, tmpdir } from './support';
import { manifestDigest, renderManifest } from '../../src/core/model-manifest';

// `pin --model` against file servers that lie or break (issue #16's hostile input, for model files): truncated bodies, wrong
// Content-Lengths, unframed and encoded bodies, oversized files, digest headers and SHA256SUMS that do not match the bytes,
// redirects that leave the plain-HTTP rule, and credentials that must stay with their host. Each is refused (exit 3) and nothing
// is written to the lock.

jest.setTimeout(30_000);

const WEIGHTS = crypto.randomBytes(2048);
const hex = (data: Buffer | string) => sha256(data).slice('sha256:'.length);
const lockIn = (dir: string) => path.join(dir, 'images.lock.json');

let server: TestServer;
let raw: TestServer;
let other: TestServer;

beforeAll(async () => {
  raw = await startRawServer({
    '/truncated': `HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n${'x'.repeat(50)}`,
    '/chunk-cut': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n',
    '/too-long': `HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n${'x'.repeat(50)}`,
    '/unframed': `HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n${'x'.repeat(50)}`,
    '/exact': `HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n${'x'.repeat(10)}`,
  });
  other = await startFileServer({ '/weights.bin': file(WEIGHTS) });
  const manifest = renderManifest([{ path: 'a.bin', sha256: hex('a') }, { path: 'b.bin', sha256: hex('b') }]);
  server = await startFileServer({
    '/weights.bin': file(WEIGHTS),
    '/streamed.bin': chunked(WEIGHTS),
    '/gzip.bin': file(WEIGHTS, { 'Content-Encoding': 'gzip' }),
    '/repr-ok.bin': file(WEIGHTS, { 'Repr-Digest': `sha-256=:${crypto.createHash('sha256').update(WEIGHTS).digest('base64')}:` }),
    '/repr-lie.bin': file(WEIGHTS, { 'Content-Digest': `sha-256=:${crypto.createHash('sha256').update('decoy').digest('base64')}:` }),
    '/stall.bin': (_req, res) => res.writeHead(200, { 'Content-Length': '10' }), // headers, then silence
    '/same-host': redirect('/weights.bin'),
    '/to-other-port': redirect(`http://${other.host}/weights.bin`),
    '/to-remote-http': redirect('http://models.example.com/weights.bin'),
    '/to-file': redirect('file:///etc/passwd'),
    '/loop': redirect('/loop'),
    '/private.bin': (req, res) => (req.headers.authorization === `Basic ${Buffer.from('tester:s3cret').toString('base64')}`
      ? file(WEIGHTS)(req, res) : (res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="models"' }), res.end())),
    '/good/SHA256SUMS': file(manifest),
    '/good/a.bin': file('a'),
    '/good/b.bin': file('b'),
    '/lying/SHA256SUMS': file(manifest),
    '/lying/a.bin': file('a'),
    '/lying/b.bin': file('B'), // one flipped byte
    '/missing/SHA256SUMS': file(manifest),
    '/missing/a.bin': file('a'), // b.bin is not served
    '/unsorted/SHA256SUMS': file(`${hex('b')}  b.bin\n${hex('a')}  a.bin\n`),
    '/escape/SHA256SUMS': file(`${hex('a')}  ../a.bin\n`),
  });
});

afterAll(async () => {
  await Promise.all([server?.stop(), raw?.stop(), other?.stop()]);
});

async function pinModel(url: string, ...options: string[]) {
  const dir = tmpdir();
  const r = await runCli(['pin', '--quiet', '--lock', lockIn(dir), ...options, '--model', `m=${url}`]);
  return { ...r, written: fs.existsSync(lockIn(dir)) };
}

describe('pin refuses a model file whose bytes cannot be shown complete', () => {
  test.each([
    ['/truncated', 'ended after 50 of its 100 bytes (truncated); refusing it'],
    ['/chunk-cut', 'ended after 5 bytes, before its last chunk (truncated); refusing it'],
    ['/too-long', 'goes on after its Content-Length of 10 bytes (a wrong Content-Length); refusing it'],
    ['/unframed', 'has neither a Content-Length nor chunked encoding, so a truncated download cannot be told from a complete one'],
  ])('fails when the answer of %s is not the whole file', async (route, message) => {
    const r = await pinModel(`http://${raw.host}${route}`);
    expect(r.stderr).toContain(`m (http://${raw.host}${route}): the answer to GET http://${raw.host}${route} ${message}`);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.written).toBe(false);
  });

  test('a body of exactly its Content-Length is pinned at the sha256 of its bytes', async () => {
    const r = await pinModel(`http://${raw.host}/exact`);
    expect(r.stdout).toBe(`m http://${raw.host}/exact ${sha256('x'.repeat(10))}\n`);
    expect(r.code).toBe(0);
  });

  test('fails when the file is content-encoded: its bytes are not the file\'s', async () => {
    const r = await pinModel(`http://${server.host}/gzip.bin`);
    expect(r.stderr).toContain('is content-encoded (gzip) although identity was asked for');
    expect(r.code).toBe(3);
  });

  test('fails when a Repr-Digest or Content-Digest header is not the digest of the bytes; a true one is accepted', async () => {
    const lie = await pinModel(`http://${server.host}/repr-lie.bin`);
    expect(lie.stderr).toContain(`the server's content-digest header names ${sha256('decoy')}, which is not the digest of the 2048 bytes it sent `
      + `(${sha256(WEIGHTS)}); refusing to pin either`);
    expect(lie.code).toBe(3);
    const ok = await pinModel(`http://${server.host}/repr-ok.bin`);
    expect(ok.stdout).toBe(`m http://${server.host}/repr-ok.bin ${sha256(WEIGHTS)}\n`);
  });

  test('a file that stops sending times out after --timeout of silence', async () => {
    const r = await pinModel(`http://${server.host}/stall.bin`, '--timeout', '0.3');
    expect(r.stderr).toContain(`timed out after 0.3s waiting for http://${server.host} (GET /stall.bin)`);
    expect(r.code).toBe(3);
  });
});

describe('pin bounds the model files it reads by --max-file-size', () => {
  test.each([['/weights.bin', 'a Content-Length'], ['/streamed.bin', 'a chunked body']])('fails when %s (%s) is one byte over', async (route) => {
    const r = await pinModel(`http://${server.host}${route}`, '--max-file-size', '2047');
    expect(r.stderr).toContain(`the answer to GET http://${server.host}${route} is larger than 2047 bytes`);
    expect(r.stderr).toContain('raise --max-file-size if the model is that large');
    expect(r.code).toBe(3);
  });

  test('a file of exactly --max-file-size is accepted; sizes take KiB, MiB, GiB and TiB', async () => {
    expect((await pinModel(`http://${server.host}/streamed.bin`, '--max-file-size', '2KiB')).stdout).toContain(sha256(WEIGHTS));
    expect((await pinModel(`http://${server.host}/weights.bin`, '--max-file-size', '2048')).code).toBe(0);
  });
});

describe('pin checks a directory\'s SHA256SUMS against every file it lists', () => {
  test('a directory whose files match is pinned at the sha256 of its SHA256SUMS', async () => {
    const r = await pinModel(`http://${server.host}/good/`);
    const manifest = renderManifest([{ path: 'a.bin', sha256: hex('a') }, { path: 'b.bin', sha256: hex('b') }]);
    expect(r.stdout).toBe(`m http://${server.host}/good/ ${manifestDigest(manifest)}\n`);
    expect(r.code).toBe(0);
  });

  test.each([
    ['/lying/', `b.bin has the sha256 ${hex('B')}, but SHA256SUMS lists ${hex('b')}; refusing to pin a manifest its files do not match`],
    ['/missing/', 'not found (HTTP 404 to GET http://HOST/missing/b.bin); check the URL'],
    ['/absent/', 'not found (HTTP 404 to GET http://HOST/absent/SHA256SUMS): the directory has no SHA256SUMS, which the verifier reads at run time'],
    ['/unsorted/', 'SHA256SUMS is not a valid manifest: invalid manifest: the lines are not sorted by path in byte order'],
    ['/escape/', 'SHA256SUMS is not a valid manifest: invalid manifest line 1'],
  ])('fails when the directory %s does not match its manifest', async (route, message) => {
    const r = await pinModel(`http://${server.host}${route}`);
    expect(r.stderr).toContain(message.replace('HOST', server.host));
    expect(r.code).toBe(3);
    expect(r.written).toBe(false);
  });
});

describe('pin follows model file redirects by the rule of registries, and keeps credentials with their host', () => {
  test('a redirect on the same host is followed', async () => {
    expect((await pinModel(`http://${server.host}/same-host`)).stdout).toBe(`m http://${server.host}/same-host ${sha256(WEIGHTS)}\n`);
  });

  test.each([
    ['/to-remote-http', 'to http://models.example.com/weights.bin: plain HTTP is allowed only for loopback hosts and --insecure-registry hosts'],
    ['/to-file', 'to file:///etc/passwd: it leads to the scheme file:, not https: or http:'],
    ['/loop', 'more than 5 redirects'],
  ])('fails when %s', async (route, message) => {
    const r = await pinModel(`http://${server.host}${route}`);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(3);
  });

  test('credentials for the host go to it, and are not forwarded when it redirects to another host (another port)', async () => {
    const env = { HOME: tmpdir(), [`CDK_COMPLIANT_ML_REGISTRY_AUTH_127_0_0_1_${server.host.split(':')[1]}`]: 'tester:s3cret' };
    const basic = `Basic ${Buffer.from('tester:s3cret').toString('base64')}`;
    server.seen.length = 0;
    other.seen.length = 0;
    const r = await runCli(['pin', '--quiet', '--lock', lockIn(tmpdir()), '--model', `a=http://${server.host}/private.bin`,
      '--model', `b=http://${server.host}/to-other-port`], { env });
    expect(r.code).toBe(0);
    expect(server.seen).toEqual([`GET /private.bin ${basic}`, `GET /to-other-port ${basic}`]);
    expect(other.seen).toEqual(['GET /weights.bin anonymous']);
  });

  test('fails with the variable to set when the host asks for credentials', async () => {
    const r = await pinModel(`http://${server.host}/private.bin`);
    expect(r.stderr).toContain(`access denied (HTTP 401 to GET http://${server.host}/private.bin, anonymous); set `
      + `CDK_COMPLIANT_ML_REGISTRY_AUTH_127_0_0_1_${server.host.split(':')[1]}=user:password`);
    expect(r.code).toBe(3);
  });
});

describe('pin --model usage', () => {
  test.each([
    [['--model', 'fraud'], 'is not NAME=REFERENCE'],
    [['--model', '.x=https://models.example.com/a.bin'], 'must be letters, digits and . _ -'],
    [['--model', 'a=hf://acme/bert'], 'write oci://REGISTRY/REPOSITORY:TAG (a modelcar or OCI artifact), https://HOST/PATH (one file)'],
    [['--model', 'a=https://user:pw@models.example.com/a.bin'], 'which would be written into the output'],
    [['--model', 'a=https://models.example.com/a.bin?X-Amz-Signature=abc'], 'is a credential or a presigned-URL signature'],
    [['--model', 'a=http://models.example.com/a.bin'], 'plain HTTP is allowed only for loopback hosts and --insecure-registry hosts'],
    [['--model', `a=oci://ghcr.io/acme/m:1@sha256:${'a'.repeat(64)}`], 'it is already pinned by digest'],
    [['--model', 'a=oci://ghcr.io/acme/m'], 'it has no tag, so there is nothing to pin'],
    [['--model', 'a=oci://ghcr.io/acme/m:latest'], 'the tag `latest`'],
    [['--model', 'a=https://models.example.com/x.bin', '--model', 'a=https://models.example.com/y.bin'], '--model a is given twice'],
    [['--max-file-size', '2GB', '--model', 'a=https://models.example.com/x.bin'], '--max-file-size must be a positive number of bytes'],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const r = await runCli(['pin', '--lock', lockIn(tmpdir()), ...argv]);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
  });

  test('--insecure-registry allows plain HTTP for a named model host', async () => {
    const r = await runCli(['pin', '--lock', lockIn(tmpdir()), '--insecure-registry', 'models.invalid:1', '--model', 'a=http://models.invalid:1/a.bin',
      '--timeout', '2']);
    expect(r.stderr).toContain('cannot reach http://models.invalid:1');
    expect(r.code).toBe(3);
  });
});

describe('pin re-pins the models of a lock by the same rules', () => {
  test('fails when a hand-edited lock names a plain-HTTP host that is not loopback or --insecure-registry; nothing is fetched', async () => {
    const dir = tmpdir();
    const lock = { images: {}, lockfileVersion: 1, models: { m: { digest: sha256(WEIGHTS), reference: 'http://models.invalid/a.bin', source: 'uri' } } };
    fs.writeFileSync(lockIn(dir), JSON.stringify(lock));
    const r = await runCli(['pin', '--lock', lockIn(dir)]);
    expect(r.stderr).toContain('m (http://models.invalid/a.bin): refusing http://models.invalid/a.bin: plain HTTP is allowed only for loopback hosts');
    expect(r.code).toBe(3);
    expect(JSON.parse(fs.readFileSync(lockIn(dir), 'utf-8'))).toEqual(lock);
  });

  test('an s3:// entry written by hand is kept as written, with a note that pin did not check it', async () => {
    const dir = tmpdir();
    const lock = { images: {}, lockfileVersion: 1, models: { s: { digest: sha256(WEIGHTS), reference: 's3://acme-models/a.bin', source: 'uri' } } };
    fs.writeFileSync(lockIn(dir), JSON.stringify(lock));
    const quiet = await runCli(['pin', '--quiet', '--lock', lockIn(dir)]);
    expect(quiet.stderr).toContain('kept as written, not checked'); // never a silent skip, also with --quiet
    const r = await runCli(['pin', '--lock', lockIn(dir)]);
    expect(r.stderr).toContain('[model 1/1] s s3://acme-models/a.bin kept as written, not checked: s3://acme-models/a.bin: pin reads no s3:// objects');
    expect(r.stderr).toContain('0 of 1 models pinned (1 kept as written, not checked), 0 lock entries changed (lock unchanged)');
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(lockIn(dir), 'utf-8'))).toEqual(lock);
  });
});
