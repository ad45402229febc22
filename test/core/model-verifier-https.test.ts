import { execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { ModelArtifact } from '../../src';
import { manifestDigest, renderManifest } from '../../src/core/model-manifest';
import { verifierScript } from '../../src/core/model-verifier-script';

// The verifier script's https path run for real: `sh` runs curl against a Node HTTPS server on 127.0.0.1 with a throw-away
// self-signed certificate (openssl), trusted through CURL_CA_BUNDLE. Every failure must exit non-zero and leave nothing behind.

jest.setTimeout(60_000);

const sha = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const FILES: Record<string, string> = { 'config.json': '{"layers":2}', 'weights/part-1.bin': 'AAAA', 'weights/part-2.bin': 'BBBB' };
const MANIFEST = renderManifest(Object.entries(FILES).map(([p, c]) => ({ path: p, sha256: sha(c) })));
const DIGEST = manifestDigest(MANIFEST);

/** path → body; `/trunc/…` promises more bytes than it sends, `/downgrade/…` redirects to plain http. */
const served = new Map<string, string>();
for (const [p, c] of Object.entries(FILES)) {
  served.set(`/good/${p}`, c);
}
served.set('/good/SHA256SUMS', MANIFEST);
served.set('/single/model.onnx', 'the model');
// a manifest that lists a file the server does not have, and one whose digest is right but lists a path outside the format
served.set('/missing/SHA256SUMS', renderManifest([...Object.entries(FILES), ['weights/part-3.bin', 'CCCC']].map(([p, c]) => ({ path: p, sha256: sha(c) }))));
for (const [p, c] of Object.entries(FILES)) {
  served.set(`/missing/${p}`, c);
}
served.set('/flipped/SHA256SUMS', MANIFEST);
for (const [p, c] of Object.entries(FILES)) {
  served.set(`/flipped/${p}`, p === 'weights/part-1.bin' ? 'AAAB' : c);
}
const TRAVERSAL = `${sha('x')}  ../../etc/passwd\n`;
served.set('/traversal/SHA256SUMS', TRAVERSAL);

let server: https.Server;
let host: string;
let caFile: string;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verifier-tls-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=cdk-compliant-ml verifier test', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'ignore' });
  caFile = cert;
  server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    const url = new URL(req.url!, 'https://x');
    if (url.pathname === '/trunc/model.onnx') {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('the mod');
      setTimeout(() => res.destroy(), 20);
      return;
    }
    if (url.pathname.startsWith('/downgrade/')) {
      res.writeHead(302, { Location: `http://${host}/single/model.onnx` });
      res.end();
      return;
    }
    const body = served.get(url.pathname);
    res.writeHead(body === undefined ? 404 : 200);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function run(uri: string, digest: string): Promise<{ status: number | null; stderr: string; root: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'verifier-root-'));
  const script = verifierScript(ModelArtifact.fromUri(uri, digest), { root, name: 'model' });
  const child = spawn('sh', ['-c', script], { env: { PATH: process.env.PATH!, CURL_CA_BUNDLE: caFile, HOME: root } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stderr, root };
}

const expectNothingLeft = (root: string) => expect(fs.readdirSync(root)).toEqual([]);

describe('MOD-1 verifier over https (a real TLS server on 127.0.0.1)', () => {
  test('a single file with the right digest passes', async () => {
    const r = await run(`https://${host}/single/model.onnx`, `sha256:${sha('the model')}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(r.root, 'model', 'model.onnx'), 'utf8')).toBe('the model');
  });

  test('a directory: the manifest is fetched, checked and every file it lists is fetched and verified', async () => {
    const r = await run(`https://${host}/good/`, DIGEST);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readdirSync(r.root)).toEqual(['model']);
    expect(fs.readFileSync(path.join(r.root, 'model', 'weights', 'part-2.bin'), 'utf8')).toBe('BBBB');
    expect(fs.existsSync(path.join(r.root, 'model', 'SHA256SUMS'))).toBe(false);
  });

  test('fails closed on one flipped byte of a single file', async () => {
    const r = await run(`https://${host}/single/model.onnx`, `sha256:${sha('the modem')}`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/sha256 mismatch/);
    expectNothingLeft(r.root);
  });

  test('fails closed on one flipped byte in a file of a directory', async () => {
    const r = await run(`https://${host}/flipped/`, DIGEST);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/manifest sha256 mismatch/);
    expectNothingLeft(r.root);
  });

  test('fails closed on a missing file (the server answers 404)', async () => {
    const text = served.get('/missing/SHA256SUMS')!;
    const r = await run(`https://${host}/missing/`, manifestDigest(text));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/404/);
    expectNothingLeft(r.root);
  });

  test('fails closed on an extra file: a manifest with one more file than the pinned one', async () => {
    const r = await run(`https://${host}/missing/`, DIGEST);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/the manifest is not sha256:/);
    expectNothingLeft(r.root);
  });

  test('fails closed on a truncated download', async () => {
    const r = await run(`https://${host}/trunc/model.onnx`, `sha256:${sha('the model')}`);
    expect(r.status).not.toBe(0);
    expectNothingLeft(r.root);
  });

  test('fails closed on a redirect to plain http', async () => {
    const r = await run(`https://${host}/downgrade/model.onnx`, `sha256:${sha('the model')}`);
    expect(r.status).not.toBe(0);
    expectNothingLeft(r.root);
  });

  test('fails closed on a pinned manifest that lists a path outside the directory', async () => {
    const r = await run(`https://${host}/traversal/`, manifestDigest(TRAVERSAL));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/outside the format/);
    expectNothingLeft(r.root);
  });

  test('fails closed when the certificate is not trusted', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'verifier-root-'));
    const script = verifierScript(ModelArtifact.fromUri(`https://${host}/single/model.onnx`, `sha256:${sha('the model')}`), { root, name: 'model' });
    const child = spawn('sh', ['-c', script], { env: { PATH: process.env.PATH!, CURL_CA_BUNDLE: '/dev/null', HOME: root } });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).not.toBe(0);
    expectNothingLeft(root);
  });
});
