/* eslint-disable @typescript-eslint/no-explicit-any */
import { execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ImageReference, ModelArtifact } from '../../src/core';
import { manifestDigest, renderManifest } from '../../src/core/model-manifest';
import * as ecs from '../../src/ecs';

// The ECS verifier container's own command, taken from the synthesized template, run for real: `EntryPoint` + `Command` with the
// container's `Environment`, inside a throw-away root (an unprivileged user and mount namespace: `unshare -rm`, the host's
// /usr bound read-only-in-effect and `chroot`), so that its absolute paths (/cdk-compliant-ml/model-cache, /tmp) exist exactly
// as in the task. `aws` is a stub on PATH that serves s3:// from a local directory and records its arguments; https goes to a
// Node TLS server on 127.0.0.1 with a throw-away certificate (CURL_CA_BUNDLE). The script itself is model-core's
// (test/core/model-verifier-*.test.ts run it directly); this test proves the ECS container runs exactly it, with these arguments.

jest.setTimeout(60_000);

/** The host's unshare and chroot (chroot lives in sbin, which the container's PATH does not name). */
const tool = (name: string) => execFileSync('sh', ['-c', `command -v ${name}`], { env: { PATH: `${process.env.PATH}:/usr/sbin:/sbin` }, encoding: 'utf8' }).trim();
const [UNSHARE, CHROOT] = [tool('unshare'), tool('chroot')];
const sha = (data: string) => crypto.createHash('sha256').update(data).digest('hex');
const FILES: Record<string, string> = { 'config.json': '{"layers":2}', 'weights/part-1.bin': 'AAAA' };
const DIR_DIGEST = manifestDigest(renderManifest(Object.entries(FILES).map(([p, c]) => ({ path: p, sha256: sha(c) }))));
const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`);

/** The verifier container of a service synthesized with `artifact`. */
function verifierOf(artifact: ModelArtifact): any {
  const app = new App();
  const stack = new Stack(app, 'Serving', { env: { account: '123456789012', region: 'eu-central-1' } });
  new ecs.CompliantModelService(stack, 'Scorer', { image: IMAGE, model: { name: 'fraud-scorer', version: '1.4.2' }, modelArtifact: artifact });
  const template = app.synth().getStackArtifact(stack.artifactId).template;
  const td: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::ECS::TaskDefinition');
  return td.Properties.ContainerDefinitions.find((c: any) => c.Name === 'model-verifier');
}

/** A root directory with the host's /usr (and its links), the task's mount paths, a stub `aws` and an S3 "bucket" tree. */
function newRoot(bucketFiles: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-verifier-root-'));
  for (const d of ['usr', 'etc', 'tmp', 'stub', 'cdk-compliant-ml/model-cache']) {
    fs.mkdirSync(path.join(root, d), { recursive: true });
  }
  for (const d of ['bin', 'lib', 'lib64', 'sbin']) {
    const host = `/${d}`;
    if (fs.existsSync(host)) {
      fs.lstatSync(host).isSymbolicLink() ? fs.symlinkSync(fs.readlinkSync(host), path.join(root, d)) : fs.mkdirSync(path.join(root, d));
    }
  }
  for (const [rel, content] of Object.entries(bucketFiles)) {
    fs.mkdirSync(path.dirname(path.join(root, 'buckets', rel)), { recursive: true });
    fs.writeFileSync(path.join(root, 'buckets', rel), content);
  }
  fs.writeFileSync(path.join(root, 'stub', 'aws'), [
    '#!/bin/sh', 'set -eu', 'printf "%s\\n" "$*" >> /stub/calls',
    'src=""; dst=""; mode=""',
    'for a in "$@"; do case "$a" in cp|sync) mode=$a;; s3://*) src=$a;; -*|s3|SHA256SUMS) ;; *) dst=$a;; esac; done',
    'local_src="/buckets/${src#s3://}"',
    'if [ "$mode" = cp ]; then cat "$local_src" > "$dst"; else cp -R "$local_src/." "$dst/"; rm -f "$dst/SHA256SUMS"; fi',
  ].join('\n'), { mode: 0o755 });
  return root;
}

/** Runs the container's entry point and command in `root` with its environment; resolves with the exit status and stderr. */
function runContainer(root: string, container: any, extraEnv: Record<string, string> = {}): Promise<{ status: number | null; stderr: string }> {
  const env: Record<string, string> = { PATH: '/stub:/usr/local/bin:/usr/bin:/bin', ...extraEnv };
  for (const e of container.Environment) {
    env[e.Name] = e.Value;
  }
  const binds = ['usr', 'etc', 'bin', 'lib', 'lib64', 'sbin']
    .filter((d) => fs.existsSync(`/${d}`) && !fs.lstatSync(`/${d}`).isSymbolicLink())
    .map((d) => `mount --rbind /${d} '${root}/${d}'`).join(' && ');
  const argv = [...container.EntryPoint, ...container.Command];
  const child = spawn(UNSHARE, ['-rm', '/bin/sh', '-c', `${binds} && exec ${CHROOT} "$0" "$@"`, root, ...argv], { env });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
}

const verifiedFiles = (root: string): Record<string, string> => {
  const dir = path.join(root, 'cdk-compliant-ml', 'model-cache', 'model');
  const out: Record<string, string> = {};
  const walk = (rel: string) => fs.readdirSync(path.join(dir, rel)).forEach((n) => {
    const r = rel ? `${rel}/${n}` : n;
    fs.statSync(path.join(dir, r)).isDirectory() ? walk(r) : out[r] = fs.readFileSync(path.join(dir, r), 'utf-8');
  });
  if (fs.existsSync(dir)) {
    walk('');
  }
  return out;
};

describe('the ECS verifier container\'s command, run from the synthesized template', () => {
  test('s3 directory: the right digest passes and the files land in the volume; the stub saw the artifact\'s own URI', async () => {
    const root = newRoot(Object.fromEntries(Object.entries(FILES).map(([p, c]) => [`acme-models/fraud/1.4.2/${p}`, c])));
    const result = await runContainer(root, verifierOf(ModelArtifact.fromUri('s3://acme-models/fraud/1.4.2/', DIR_DIGEST)));
    expect(result).toEqual({ status: 0, stderr: '' });
    expect(verifiedFiles(root)).toEqual(FILES);
    expect(fs.readFileSync(path.join(root, 'stub', 'calls'), 'utf-8')).toMatch(/^s3 sync .*s3:\/\/acme-models\/fraud\/1\.4\.2\/ \/cdk-compliant-ml\/model-cache\/\.incoming\n$/);
  });

  test('s3 directory: fails closed on one flipped byte and on an extra file, leaving no model behind', async () => {
    for (const files of [{ ...FILES, 'weights/part-1.bin': 'AAAB' }, { ...FILES, 'extra.bin': 'x' }]) {
      const root = newRoot(Object.fromEntries(Object.entries(files).map(([p, c]) => [`acme-models/fraud/1.4.2/${p}`, c])));
      const result = await runContainer(root, verifierOf(ModelArtifact.fromUri('s3://acme-models/fraud/1.4.2/', DIR_DIGEST)));
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/verifier: manifest sha256 mismatch/);
      expect(fs.existsSync(path.join(root, 'cdk-compliant-ml', 'model-cache', 'model'))).toBe(false);
    }
  });

  describe('https, against a TLS server on 127.0.0.1', () => {
    let server: https.Server;
    let host: string;
    let caPem: string;
    beforeAll(async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-verifier-tls-'));
      const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
        '-days', '1', '-subj', '/CN=ecs verifier test', '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE'],
      { stdio: 'ignore' });
      caPem = fs.readFileSync(cert, 'utf-8');
      server = https.createServer({ key: fs.readFileSync(key), cert: caPem }, (req, res) => {
        if (req.url === '/trunc/model.onnx') {
          res.writeHead(200, { 'Content-Length': '1000' });
          res.write('the mod');
          setTimeout(() => res.destroy(), 20);
          return;
        }
        res.writeHead(req.url === '/good/model.onnx' ? 200 : 404);
        res.end(req.url === '/good/model.onnx' ? 'the model' : undefined);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const runHttps = async (p: string) => {
      const root = newRoot({});
      fs.writeFileSync(path.join(root, 'tmp', 'ca.pem'), caPem);
      const result = await runContainer(root, verifierOf(ModelArtifact.fromUri(`https://${host}${p}`, `sha256:${sha('the model')}`)), { CURL_CA_BUNDLE: '/tmp/ca.pem' });
      return { ...result, files: verifiedFiles(root) };
    };

    test('the right digest passes', async () => {
      expect(await runHttps('/good/model.onnx')).toEqual({ status: 0, stderr: '', files: { 'model.onnx': 'the model' } });
    });

    test('a truncated download and a missing file fail closed', async () => {
      for (const p of ['/trunc/model.onnx', '/missing/model.onnx']) {
        const result = await runHttps(p);
        expect([p, result.status === 0, result.files]).toEqual([p, false, {}]);
      }
    });
  });
});
