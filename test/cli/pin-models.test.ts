/* eslint-disable @typescript-eslint/no-explicit-any */
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { file, modelDirectory, sha256sumOf, startFileServer, TestServer } from './model-file-servers';
import { NOW, pushBlob, pushImage, pushManifest, runCli, sha256, startRegistry, TestRegistry, tmpdir } from './support';
import { ControlStatus, ImageLock, ImageReference, k8s, ModelArtifact } from '../../src';
import { SHA256SUMS_COMMAND } from '../../src/cli/model-files';
import { manifestDigest, manifestOfDirectory } from '../../src/core/model-manifest';

// `pin --model`: OCI model references resolved through Debian's docker-registry on 127.0.0.1 (a modelcar image and an OCI
// artifact with an artifactType, pushed with the distribution API), and model files served by a Node server on 127.0.0.1
// (plain HTTP, which loopback hosts may use; pin-models-tls.test.ts has the HTTPS cases). Every digest is compared with what
// `sha256sum` prints, and a directory's manifest with the library's manifest helper and with the shell command the docs give.

jest.setTimeout(30_000);

const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const lockIn = (dir: string) => path.join(dir, 'images.lock.json');
const readLock = (dir: string) => JSON.parse(fs.readFileSync(lockIn(dir), 'utf-8'));

let registry: TestRegistry;
let files: TestServer;
let modelcar: string;
let artifact: string;
let emptyArtifact: string;
let weightsFile: string;
let directory: string;

/** Pushes an OCI artifact: a model config and one weight layer, or none. */
async function pushArtifact(repo: string, tag: string, layers: Buffer[]): Promise<string> {
  const config = Buffer.from(JSON.stringify({ descriptor: { name: repo }, modelfs: { type: 'layers', diffIds: [] } }));
  const configDigest = await pushBlob(registry.base, repo, config);
  const layerDescriptors = [];
  for (const layer of layers) {
    layerDescriptors.push({ mediaType: 'application/vnd.cncf.model.weight.v1.raw', digest: await pushBlob(registry.base, repo, layer), size: layer.length });
  }
  return pushManifest(registry.base, repo, tag, MANIFEST_TYPE, {
    schemaVersion: 2,
    mediaType: MANIFEST_TYPE,
    artifactType: 'application/vnd.cncf.model.manifest.v1+json',
    config: { mediaType: 'application/vnd.cncf.model.config.v1+json', digest: configDigest, size: config.length },
    layers: layerDescriptors,
  });
}

beforeAll(async () => {
  registry = await startRegistry();
  modelcar = (await pushImage(registry.base, 'acme/fraud-modelcar', { manifest: '1.4.2' })).manifestDigest;
  artifact = await pushArtifact('acme/llm', '2.0', [crypto.randomBytes(4096)]);
  emptyArtifact = await pushArtifact('acme/empty', '1', []);

  weightsFile = path.join(tmpdir(), 'model.safetensors');
  fs.writeFileSync(weightsFile, crypto.randomBytes(300 * 1024));
  directory = modelDirectory({
    'config.json': '{"architectures":["BertModel"]}\n',
    'model.safetensors': crypto.randomBytes(64 * 1024),
    'tokenizer/vocab.txt': 'a\nb\nc\n',
    'Tokenizer.json': '{}', // uppercase sorts before lowercase in byte order
  });
  const manifest = manifestOfDirectory(directory);
  fs.writeFileSync(path.join(directory, 'SHA256SUMS'), manifest);
  const served: Record<string, ReturnType<typeof file>> = {
    '/models/fraud/model.safetensors': file(fs.readFileSync(weightsFile)),
    '/models/bert/SHA256SUMS': file(manifest),
  };
  for (const relative of ['config.json', 'model.safetensors', 'tokenizer/vocab.txt', 'Tokenizer.json']) {
    served[`/models/bert/${relative}`] = file(fs.readFileSync(path.join(directory, relative)));
  }
  files = await startFileServer(served);
});

afterAll(async () => {
  await Promise.all([registry?.stop(), files?.stop()]);
});

describe('pin --model oci://: the digest of the model manifest, verified as for images', () => {
  test('a modelcar image and an OCI artifact are pinned at the digests of the pushed bytes, with media and artifact types', async () => {
    const dir = tmpdir();
    const r = await runCli(['pin', '--lock', lockIn(dir), '--model', `llm=oci://${registry.host}/acme/llm:2.0`,
      '--model', `fraud-scorer=oci://${registry.host}/acme/fraud-modelcar:1.4.2`]);
    expect(r.stderr).toContain(`[model 1/2] llm oci://${registry.host}/acme/llm:2.0 ${artifact} (new, 1 layers, artifactType `
      + 'application/vnd.cncf.model.manifest.v1+json)');
    expect(r.stderr).toContain('2 of 2 models pinned, 2 lock entries written');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`llm oci://${registry.host}/acme/llm:2.0 ${artifact}\n`
      + `fraud-scorer oci://${registry.host}/acme/fraud-modelcar:1.4.2 ${modelcar}\n`);
    const text = fs.readFileSync(lockIn(dir), 'utf-8');
    expect(JSON.parse(text)).toEqual({
      images: {},
      lockfileVersion: 1,
      models: {
        'fraud-scorer': {
          digest: modelcar, mediaType: MANIFEST_TYPE, reference: `${registry.host}/acme/fraud-modelcar:1.4.2`, resolvedAt: NOW.toISOString(), source: 'oci',
        },
        'llm': {
          artifactType: 'application/vnd.cncf.model.manifest.v1+json',
          digest: artifact,
          mediaType: MANIFEST_TYPE,
          reference: `${registry.host}/acme/llm:2.0`,
          resolvedAt: NOW.toISOString(),
          source: 'oci',
        },
      },
    });
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), undefined, 2)}\n`); // sorted keys, two spaces, final newline
    expect(ImageLock.fromFile(lockIn(dir)).findModel('llm')?.digest).toBe(artifact);
  });

  test('fails when the manifest has no layers, or the tag does not exist (exit 3); the other models are still written', async () => {
    const dir = tmpdir();
    const r = await runCli(['pin', '--lock', lockIn(dir), '--model', `empty=oci://${registry.host}/acme/empty:1`,
      '--model', `gone=oci://${registry.host}/acme/llm:9`, '--model', `llm=oci://${registry.host}/acme/llm:2.0`]);
    expect(r.stderr).toContain(`[model 1/3] empty oci://${registry.host}/acme/empty:1 error: empty (oci://${registry.host}/acme/empty:1): `
      + `the manifest ${emptyArtifact} has no layers, so it holds no model files`);
    expect(r.stderr).toContain(`${registry.host}/acme/llm:9: not found (HTTP 404)`);
    expect(r.stderr).toContain('1 of 3 models pinned, 1 lock entries written');
    expect(r.code).toBe(3);
    expect(Object.keys(readLock(dir).models)).toEqual(['llm']);
  });
});

describe('pin --model https://: the sha256 of the bytes, streamed', () => {
  test('one file: the digest is what sha256sum prints for the same bytes', async () => {
    const dir = tmpdir();
    const url = `http://${files.host}/models/fraud/model.safetensors`;
    const r = await runCli(['pin', '--lock', lockIn(dir), '--model', `fraud=${url}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`fraud ${url} ${sha256sumOf(weightsFile)}\n`);
    expect(r.stderr).toContain(`(new, ${300 * 1024} bytes)`);
    expect(readLock(dir).models).toEqual({ fraud: { digest: sha256sumOf(weightsFile), reference: url, resolvedAt: NOW.toISOString(), source: 'uri' } });
  });

  test('a directory: the manifest is its SHA256SUMS, every file checked; it equals the library helper and the documented command', async () => {
    const dir = tmpdir();
    const url = `http://${files.host}/models/bert/`;
    const r = await runCli(['pin', '--lock', lockIn(dir), '--model', `bert=${url}`]);
    expect(r.stderr).toContain('4 files');
    expect(r.code).toBe(0);
    const entry = readLock(dir).models.bert;
    const fromHelper = manifestOfDirectory(directory);
    // the command of the docs and of pin's message for s3:// directories, run by sh in a copy of the directory
    const copy = tmpdir();
    fs.cpSync(directory, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'SHA256SUMS'));
    const printed = execFileSync('sh', ['-c', SHA256SUMS_COMMAND.replace('cd DIR', `cd '${copy}'`)], { encoding: 'utf-8' });
    expect(fs.readFileSync(path.join(copy, 'SHA256SUMS'), 'utf-8')).toBe(fromHelper);
    expect(entry).toEqual({ digest: manifestDigest(fromHelper), manifest: fromHelper, reference: url, resolvedAt: NOW.toISOString(), source: 'uri' });
    expect(printed).toBe(`${manifestDigest(fromHelper)}\n`);
    expect(entry.digest).toBe(sha256sumOf(path.join(copy, 'SHA256SUMS')));
    expect(fromHelper.split('\n').map((line: string) => line.slice(66))).toEqual(['Tokenizer.json', 'config.json', 'model.safetensors', 'tokenizer/vocab.txt', '']);
    expect(r.stdout).toBe(`bert ${url} ${entry.digest}\n`);
  });
});

describe('pin --model, then ModelArtifact.fromLock at synth time', () => {
  test('the modelcar pinned by pin is the one the k8s model service copies and verifies (MOD-1 enforced)', async () => {
    const dir = tmpdir();
    await pushImage(registry.base, 'acme/fraud-server', { manifest: '1.4.2' });
    const r = await runCli(['pin', '--quiet', '--lock', lockIn(dir), `${registry.host}/acme/fraud-server:1.4.2`,
      '--model', `fraud-scorer=oci://${registry.host}/acme/fraud-modelcar:1.4.2`]);
    expect(r.code).toBe(0);
    // synthesis is synchronous and reads only the lock file
    const lock = ImageLock.fromFile(lockIn(dir));
    const chart = Testing.chart();
    const svc = new k8s.CompliantModelService(chart, 'scorer', {
      image: ImageReference.fromLock(lock, `${registry.host}/acme/fraud-server:1.4.2`),
      model: { name: 'fraud-scorer', version: '1.4.2' },
      modelArtifact: ModelArtifact.fromLock(lock, 'fraud-scorer'),
    });
    const pod = Testing.synth(chart).find((d: any) => d.kind === 'Deployment').spec.template.spec;
    const verifier = pod.initContainers.find((c: any) => c.name === 'model-verifier');
    expect(verifier.image).toBe(`${registry.host}/acme/fraud-modelcar:1.4.2@${modelcar}`);
    expect(pod.containers[0].env).toContainEqual({ name: 'MODEL_DIGEST', value: modelcar });
    expect(svc.complianceEntry().modelArtifact).toMatchObject({ source: 'oci', digest: modelcar, verifier: 'model-verifier' });
    expect(svc.complianceEntry().controls.find((c) => c.id === 'MOD-1')?.status).toBe(ControlStatus.ENFORCED);
    expect(() => ModelArtifact.fromLock(lock, 'fraud')).toThrow('has no model "fraud" (its models: fraud-scorer)');
  });
});

describe('pin with images and models in one lock', () => {
  test('re-pinning without arguments refreshes both: unchanged models keep the bytes, a moved tag is updated', async () => {
    const dir = tmpdir();
    await pushImage(registry.base, 'acme/moving-model', { manifest: '1' });
    await pushImage(registry.base, 'acme/app', { manifest: '1.0' });
    const first = await runCli(['pin', '--lock', lockIn(dir), `${registry.host}/acme/app:1.0`]);
    expect(first.code).toBe(0);
    const imagesOnly = fs.readFileSync(lockIn(dir), 'utf-8');
    expect(imagesOnly).not.toContain('models'); // a lock of images alone keeps its old bytes
    const second = await runCli(['pin', '--lock', lockIn(dir), '--model', `moving=oci://${registry.host}/acme/moving-model:1`,
      '--model', `fraud=http://${files.host}/models/fraud/model.safetensors`]);
    expect(second.code).toBe(0);
    expect(readLock(dir).images).toEqual(JSON.parse(imagesOnly).images); // images kept when only models are pinned
    const before = fs.readFileSync(lockIn(dir), 'utf-8');

    const later = new Date('2026-03-01T00:00:00.000Z');
    const same = await runCli(['pin', '--lock', lockIn(dir)], { now: later });
    expect(same.stderr).toContain('1 of 1 images resolved, 2 of 2 models pinned, 0 lock entries changed (lock unchanged)');
    expect(same.code).toBe(0);
    expect(fs.readFileSync(lockIn(dir), 'utf-8')).toBe(before);

    const moved = (await pushImage(registry.base, 'acme/moving-model', { manifest: '1' })).manifestDigest;
    const refreshed = await runCli(['pin', '--lock', lockIn(dir)], { now: later });
    expect(refreshed.code).toBe(0);
    const oldDigest = JSON.parse(before).models.moving.digest;
    expect(refreshed.stderr).toContain(`moving oci://${registry.host}/acme/moving-model:1 ${moved} (changed from ${oldDigest}`);
    expect(readLock(dir).models.moving).toMatchObject({ digest: moved, resolvedAt: later.toISOString() });
    expect(readLock(dir).models.fraud.resolvedAt).toBe(NOW.toISOString());
  });

  test('a lock written before models existed still reads, and gains "models" without touching its images', async () => {
    const dir = tmpdir();
    const old = { images: { 'docker.io/library/python:3.12': { digest: sha256('x'), name: 'docker.io/library/python', tag: '3.12' } }, lockfileVersion: 1 };
    fs.writeFileSync(lockIn(dir), JSON.stringify(old));
    const r = await runCli(['pin', '--lock', lockIn(dir), '--model', `fraud=http://${files.host}/models/fraud/model.safetensors`]);
    expect(r.code).toBe(0);
    expect(readLock(dir)).toEqual({ ...old, models: { fraud: expect.objectContaining({ digest: sha256sumOf(weightsFile) }) } });
  });

  test('s3:// and gs:// models are refused with the sha256sum command to run where the files are (exit 3), never skipped', async () => {
    const dir = tmpdir();
    const r = await runCli(['pin', '--lock', lockIn(dir), '--model', 'a=s3://acme-models/fraud/model.bin', '--model', 'b=gs://acme-models/bert/',
      '--model', `fraud=http://${files.host}/models/fraud/model.safetensors`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('s3://acme-models/fraud/model.bin: pin reads no s3:// objects (it holds no cloud credentials), so it cannot '
      + 'compute this digest; for one file, `sha256sum FILE` where the file is (e.g. after `aws s3 cp s3://acme-models/fraud/model.bin .`); '
      + 'then write ModelArtifact.fromUri(\'s3://acme-models/fraud/model.bin\', \'sha256:<64 hex>\') in the app');
    expect(r.stderr).toContain('gs://acme-models/bert/: pin reads no gs:// objects (it holds no cloud credentials), so it cannot compute this digest; '
      + `for a directory, write its manifest where the files are and take the manifest's sha256: \`${SHA256SUMS_COMMAND}\``);
    expect(r.stderr).toContain('1 of 3 models pinned');
    expect(Object.keys(readLock(dir).models)).toEqual(['fraud']);
  });
});
