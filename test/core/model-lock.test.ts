import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { ArtifactSource, ImageLock, ModelArtifact, ModelLockEntry } from '../../src';
import { manifestDigest, renderManifest } from '../../src/core/model-manifest';

// The `models` of the lock file (written by `cdk-compliant-ml pin --model`) and ModelArtifact.fromLock, which reads them at synth
// time: the bytes are sorted and stable, a lock of images alone keeps its old bytes, every entry is checked when the lock is
// read, and a name the lock does not have is an error that lists the names it has.

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const MANIFEST = renderManifest([{ path: 'config.json', sha256: '3'.repeat(64) }, { path: 'model.safetensors', sha256: '4'.repeat(64) }]);
const IMAGE = { name: 'ghcr.io/acme/scorer', tag: '1.4.2', digest: D1 };

const MODELS: ModelLockEntry[] = [
  {
    name: 'llm',
    source: 'oci',
    reference: 'ghcr.io/acme/llm:2.0',
    digest: D2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/vnd.cncf.model.manifest.v1+json',
    resolvedAt: '2026-01-02T03:04:05.000Z',
  },
  { name: 'bert', source: 'uri', reference: 'https://models.acme.example/bert/', digest: manifestDigest(MANIFEST), manifest: MANIFEST },
  { name: 'fraud', source: 'uri', reference: 'https://models.acme.example/fraud/model.onnx', digest: D1 },
];

const lockJson = (models: Record<string, unknown>) => ({ images: {}, lockfileVersion: 1, models });

describe('ImageLock models', () => {
  const lock = ImageLock.fromEntries([IMAGE]).withModels(MODELS);

  test('written sorted by name with sorted keys, two-space JSON and a final newline; read back to the same entries', () => {
    const text = lock.toJsonString();
    expect(Object.keys(JSON.parse(text).models)).toEqual(['bert', 'fraud', 'llm']);
    expect(text).toContain(`  "lockfileVersion": 1,
  "models": {
    "bert": {
      "digest": "${manifestDigest(MANIFEST)}",
      "manifest": ${JSON.stringify(MANIFEST)},
      "reference": "https://models.acme.example/bert/",
      "source": "uri"
    },`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'model-lock-')), 'images.lock.json');
    fs.writeFileSync(file, text);
    const read = ImageLock.fromFile(file);
    expect(read.models).toEqual(lock.models);
    expect(read.toJsonString()).toBe(text);
    expect(read.findModel('fraud')).toEqual(MODELS[2]);
    expect(read.findModel('nope')).toBeUndefined();
  });

  test('a lock without models keeps the bytes of lockfileVersion 1 (no "models" key), and an old lock reads with no models', () => {
    const imagesOnly = ImageLock.fromEntries([IMAGE]);
    expect(imagesOnly.toJsonString()).not.toContain('models');
    expect(lock.withModels([]).toJsonString()).toBe(imagesOnly.toJsonString());
    const old = ImageLock.fromJson({ images: { 'ghcr.io/acme/scorer:1.4.2': IMAGE }, lockfileVersion: 1 });
    expect(old.models).toEqual([]);
    expect(old.resolve('ghcr.io/acme/scorer:1.4.2').digest).toBe(D1);
  });

  test.each([
    ['the digest has uppercase hex', { m: { source: 'uri', reference: 'https://models.acme.example/a.bin', digest: 'sha256:ABC' } }, 'the model "m" has the digest "sha256:ABC", expected sha256:<64 lowercase hex>'],
    ['the digest is sha512', { m: { source: 'uri', reference: 'https://models.acme.example/a.bin', digest: `sha512:${'a'.repeat(128)}` } }, 'expected sha256:<64 lowercase hex>'],
    ['the source is unknown', { m: { source: 'tarball', reference: 'x', digest: D1 } }, 'has the source "tarball", expected "oci" or "uri"'],
    ['an oci reference carries a digest', { m: { source: 'oci', reference: `ghcr.io/acme/m:1@${D1}`, digest: D1 } }, 'which carries a digest'],
    ['an oci reference has no tag', { m: { source: 'oci', reference: 'ghcr.io/acme/m', digest: D1 } }, 'is not a tagged OCI reference'],
    ['an oci entry has a manifest', { m: { source: 'oci', reference: 'ghcr.io/acme/m:1', digest: D1, manifest: MANIFEST } }, 'has a manifest, which only a multi-file uri model has'],
    ['a URL carries credentials', { m: { source: 'uri', reference: 'https://u:p@models.acme.example/a.bin', digest: D1 } }, 'which would be written into the output'],
    ['a URL has another scheme', { m: { source: 'uri', reference: 'ftp://models.acme.example/a.bin', digest: D1 } }, 'the scheme "ftp" is not s3, gs or https'],
    ['a directory has no manifest', { m: { source: 'uri', reference: 'https://models.acme.example/bert/', digest: D1 } }, 'but has no manifest of its files'],
    ['the manifest is not the digest\'s', { m: { source: 'uri', reference: 'https://models.acme.example/bert/', digest: D1, manifest: MANIFEST } }, `but its manifest's sha256 is ${manifestDigest(MANIFEST)}`],
    ['a file has a manifest', { m: { source: 'uri', reference: 'https://models.acme.example/a.bin', digest: manifestDigest(MANIFEST), manifest: MANIFEST } }, 'is a file, not a directory'],
    ['the manifest is malformed', { m: { source: 'uri', reference: 'https://models.acme.example/bert/', digest: manifestDigest('x  y\n'), manifest: 'x  y\n' } }, 'has a manifest that is not valid'],
    ['the name is not a model name', { 'bad name': { source: 'uri', reference: 'https://models.acme.example/a.bin', digest: D1 } }, 'has the name "bad name"'],
    ['the entry is not an object', { m: 'sha256:1' }, 'the model "m" is not an object'],
  ])('fails to read the lock when %s', (_label, models, message) => {
    expect(() => ImageLock.fromJson(lockJson(models), 'models.lock.json')).toThrow('invalid image lock models.lock.json: ');
    expect(() => ImageLock.fromJson(lockJson(models), 'models.lock.json')).toThrow(message);
  });

  test('fails when "models" is not an object, and when an entry given in code is malformed', () => {
    expect(() => ImageLock.fromJson({ images: {}, lockfileVersion: 1, models: [] })).toThrow('"models" is not an object');
    expect(() => lock.withModels([{ name: 'm', source: 'oci', reference: 'ghcr.io/acme/m:1', digest: 'sha256:1' }]))
      .toThrow('invalid image lock model "m": it has the digest "sha256:1", expected sha256:<64 lowercase hex>');
  });
});

describe('ImageLock models: deterministic bytes (property)', () => {
  const hex = fc.stringMatching(/^[a-f0-9]{64}$/);
  const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
  const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,8}$/).filter((s) => s !== 'SHA256SUMS');
  const filePath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('/'));
  const directory = fc.uniqueArray(fc.record({ path: filePath, sha256: hex }), { minLength: 1, maxLength: 6, selector: (f) => f.path })
    .filter((files) => files.every((f) => !files.some((g) => g.path.startsWith(`${f.path}/`))))
    .map((files) => renderManifest(files));
  const entry = fc.oneof(
    fc.record({
      source: fc.constant('oci'),
      reference: fc.constantFrom('ghcr.io/acme/llm:2.0', 'docker.io/library/model:1', '127.0.0.1:5000/a/b:v1'),
      digest: hex.map((h) => `sha256:${h}`),
    }),
    fc.record({ source: fc.constant('uri'), reference: fc.constantFrom('https://models.acme.example/a.bin', 's3://acme-models/m.onnx'), digest: hex.map((h) => `sha256:${h}`) }),
    directory.map((manifest) => ({ source: 'uri', reference: 'gs://acme-models/bert/', digest: manifestDigest(manifest), manifest })),
  );
  const models = fc.uniqueArray(fc.tuple(name, entry).map(([n, e]) => ({ name: n, ...e }) as ModelLockEntry),
    { maxLength: 6, selector: (m) => m.name });

  test('any valid models: written sorted, read back to the same entries and bytes, in whatever order they were given', () => {
    fc.assert(fc.property(models, (given) => {
      const text = ImageLock.fromEntries([IMAGE]).withModels(given).toJsonString();
      const read = ImageLock.fromJson(JSON.parse(text));
      expect(read.toJsonString()).toBe(text);
      expect(ImageLock.fromEntries([IMAGE]).withModels([...given].reverse()).toJsonString()).toBe(text);
      const names = read.models.map((m) => m.name);
      expect(names).toEqual([...names].sort());
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), undefined, 2)}\n`);
    }), { numRuns: 200 });
  });
});

describe('ModelArtifact.fromLock', () => {
  const lock = ImageLock.fromEntries([IMAGE], 'ml/images.lock.json').withModels(MODELS);

  test('an oci entry is fromOci of its reference pinned by its digest', () => {
    const artifact = ModelArtifact.fromLock(lock, 'llm');
    expect(artifact).toMatchObject({ source: ArtifactSource.OCI, reference: `ghcr.io/acme/llm:2.0@${D2}`, digest: D2 });
    expect(artifact.imageReference?.tag).toBe('2.0');
  });

  test('a uri entry is fromUri of its file or directory', () => {
    expect(ModelArtifact.fromLock(lock, 'fraud')).toMatchObject({ source: ArtifactSource.URI, uri: 'https://models.acme.example/fraud/model.onnx', digest: D1, isDirectory: false });
    expect(ModelArtifact.fromLock(lock, 'bert')).toMatchObject({ uri: 'https://models.acme.example/bert/', digest: manifestDigest(MANIFEST), isDirectory: true });
  });

  test('fails for a name the lock does not have, listing the names it has and the pin command', () => {
    expect(() => ModelArtifact.fromLock(lock, 'fraud-scorer')).toThrow('the image lock ml/images.lock.json has no model "fraud-scorer" '
      + '(its models: bert, fraud, llm); run `cdk-compliant-ml pin --lock ml/images.lock.json --model fraud-scorer=REFERENCE` and commit the updated lock');
    expect(() => ModelArtifact.fromLock(ImageLock.fromEntries([IMAGE]), 'x')).toThrow('the image lock images.lock.json has no model "x" (it has no models)');
  });

  test('fails at synth time for a model pinned from a plain-HTTP test server: the lock reads, ModelArtifact refuses http', () => {
    const local = ImageLock.fromJson(lockJson({ m: { source: 'uri', reference: 'http://127.0.0.1:8080/a.bin', digest: D1 } }));
    expect(local.findModel('m')?.reference).toBe('http://127.0.0.1:8080/a.bin');
    expect(() => ModelArtifact.fromLock(local, 'm')).toThrow(/invalid model artifact "http:\/\/127\.0\.0\.1:8080\/a\.bin": the scheme "http" is not s3, gs or https/);
  });
});
