/* eslint-disable @typescript-eslint/no-explicit-any */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { chunked, file, modelDirectory, redirect, sha256sumOf, startFileServer, TestServer } from './model-file-servers';
import { tmpdir } from './support';
import { opensslAvailable, runCliProcess, selfSignedCertificate } from './support-tls';
import { ImageLock, ImageReference, k8s, ModelArtifact } from '../../src';
import { manifestDigest, manifestOfDirectory } from '../../src/core/model-manifest';

// `pin --model https://` against real TLS servers on 127.0.0.1 (a throw-away self-signed certificate from openssl, trusted by the
// CLI child process through NODE_EXTRA_CA_CERTS): the digest of a file is what `sha256sum` prints, a directory's manifest is what
// the library's helper computes, a redirect to plain HTTP is refused before the HTTP server is asked, a redirect to another
// HTTPS host gets no credentials, and a truncated body is refused over TLS too. Each CLI run pins several models at once,
// because a child process costs seconds.

jest.setTimeout(60_000);

const lockIn = (dir: string) => path.join(dir, 'images.lock.json');

(opensslAvailable ? describe : describe.skip)('pin --model over HTTPS', () => {
  let secure: TestServer;
  let cdn: TestServer;
  let plain: TestServer;
  let caFile: string;
  let weightsFile: string;
  let directory: string;

  beforeAll(async () => {
    const certificate = selfSignedCertificate(['127.0.0.1']);
    caFile = certificate.caFile;
    weightsFile = path.join(tmpdir(), 'model.onnx');
    fs.writeFileSync(weightsFile, crypto.randomBytes(1024 * 1024 + 17));
    directory = modelDirectory({ 'config.json': '{}\n', 'weights/part-1.bin': crypto.randomBytes(4096), 'weights/part-2.bin': crypto.randomBytes(10) });
    const manifest = manifestOfDirectory(directory);
    const weights = fs.readFileSync(weightsFile);
    plain = await startFileServer({ '/model.onnx': file(weights) });
    cdn = await startFileServer({ '/signed/model.onnx': chunked(weights) }, certificate);
    secure = await startFileServer({
      '/fraud/model.onnx': file(weights),
      '/bert/SHA256SUMS': file(manifest),
      '/bert/config.json': file(fs.readFileSync(path.join(directory, 'config.json'))),
      '/bert/weights/part-1.bin': file(fs.readFileSync(path.join(directory, 'weights/part-1.bin'))),
      '/bert/weights/part-2.bin': file(fs.readFileSync(path.join(directory, 'weights/part-2.bin'))),
      '/downgrade/model.onnx': redirect(`http://${plain.host}/model.onnx`),
      '/to-cdn/model.onnx': redirect(`https://${cdn.host}/signed/model.onnx`),
      '/truncated/model.onnx': (_req, res) => {
        res.writeHead(200, { 'Content-Length': String(weights.length) });
        res.write(weights.subarray(0, 1000), () => res.socket?.destroy());
      },
    }, certificate);
  });

  afterAll(async () => {
    await Promise.all([secure?.stop(), cdn?.stop(), plain?.stop()]);
  });

  test('files and directories are digested as sha256sum does; downgrades, truncation and credentials across hosts are refused', async () => {
    const dir = tmpdir();
    const url = (route: string) => `https://${secure.host}${route}`;
    const env = { HOME: tmpdir(), NODE_EXTRA_CA_CERTS: caFile, [`CDK_COMPLIANT_ML_REGISTRY_AUTH_127_0_0_1_${secure.host.split(':')[1]}`]: 'tester:s3cret' };
    const r = await runCliProcess(['pin', '--quiet', '--lock', lockIn(dir), '--model', `fraud=${url('/fraud/model.onnx')}`, '--model', `bert=${url('/bert/')}`,
      '--model', `down=${url('/downgrade/model.onnx')}`, '--model', `cdn=${url('/to-cdn/model.onnx')}`, '--model', `cut=${url('/truncated/model.onnx')}`], env);
    const manifest = manifestOfDirectory(directory);
    expect(r.stdout).toBe(`fraud ${url('/fraud/model.onnx')} ${sha256sumOf(weightsFile)}\n`
      + `bert ${url('/bert/')} ${manifestDigest(manifest)}\n`
      + `cdn ${url('/to-cdn/model.onnx')} ${sha256sumOf(weightsFile)}\n`);
    expect(r.stderr).toContain(`down (${url('/downgrade/model.onnx')}): refusing the redirect from ${url('/downgrade/model.onnx')} to `
      + `http://${plain.host}/model.onnx: it downgrades HTTPS to plain HTTP`);
    expect(r.stderr).toContain(`cut (${url('/truncated/model.onnx')}): the answer to GET ${url('/truncated/model.onnx')} ended after `);
    expect(r.stderr).toContain(`of its ${fs.statSync(weightsFile).size} bytes (truncated); refusing it`);
    expect(r.code).toBe(3);
    expect(plain.seen).toEqual([]); // the plain-HTTP server was never asked
    const basic = `Basic ${Buffer.from('tester:s3cret').toString('base64')}`;
    expect(secure.seen.every((line) => line.endsWith(basic))).toBe(true);
    expect(cdn.seen).toEqual(['GET /signed/model.onnx anonymous']);
    const models = JSON.parse(fs.readFileSync(lockIn(dir), 'utf-8')).models;
    expect(Object.keys(models)).toEqual(['bert', 'cdn', 'fraud']);
    expect(models.bert).toMatchObject({ manifest, digest: manifestDigest(manifest), source: 'uri' });

    // synth time: the lock's https models become the artifacts the verifier init container checks
    const lock = ImageLock.fromFile(lockIn(dir));
    for (const [name, digest] of [['fraud', sha256sumOf(weightsFile)], ['bert', manifestDigest(manifest)]]) {
      const chart = Testing.chart();
      new k8s.CompliantModelService(chart, 'scorer', {
        image: ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`),
        model: { name, version: '1' },
        modelArtifact: ModelArtifact.fromLock(lock, name),
        artifactEgress: [{ peer: k8s.NetworkPeer.cidr('127.0.0.1/32'), port: Number(secure.host.split(':')[1]) }],
      });
      const pod = Testing.synth(chart).find((d: any) => d.kind === 'Deployment').spec.template.spec;
      const verifier = pod.initContainers.find((c: any) => c.name === 'model-verifier');
      expect(verifier.env).toContainEqual({ name: 'ARTIFACT_DIGEST', value: digest });
      expect(verifier.command[2]).toContain(models[name].reference);
      expect(pod.containers[0].env).toContainEqual({ name: 'MODEL_DIGEST', value: digest });
    }
  });

  test('without the CA, the self-signed certificate is a TLS error that names NODE_EXTRA_CA_CERTS', async () => {
    const r = await runCliProcess(['pin', '--quiet', '--lock', lockIn(tmpdir()), '--model', `fraud=https://${secure.host}/fraud/model.onnx`], { HOME: tmpdir() });
    expect(r.stderr).toContain(`TLS error talking to https://${secure.host} (self-signed certificate)`);
    expect(r.stderr).toContain('set NODE_EXTRA_CA_CERTS to the CA\'s PEM file');
    expect(r.code).toBe(3);
  });
});
