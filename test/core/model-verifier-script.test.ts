import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ModelArtifact, PinnedArtifact } from '../../src';
import { manifestDigest, manifestOfDirectory } from '../../src/core/model-manifest';
import { quote, verifierScript } from '../../src/core/model-verifier-script';

// The verifier script run for real with `sh` (dash here): a claim is a local directory; `aws` and `gcloud` are stubs on PATH that
// copy from a local "bucket" directory, since no S3 or GCS endpoint is reachable here (the https path is tested against a real
// TLS server in model-verifier-https.test.ts).

const sha = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}

/** Stubs of `aws s3 cp|sync` and `gcloud storage cp|rsync` that map s3://b/k and gs://b/k to $BUCKETS/b/k. */
function stubBin(): string {
  const bin = tmp('verifier-bin-');
  const body = [
    '#!/bin/sh', 'set -eu',
    'src=""; dst=""; mode=""',
    'for a in "$@"; do case "$a" in cp|sync|rsync) mode=$a;; s3://*|gs://*) src=$a;; -*|s3|storage) ;; *) dst=$a;; esac; done',
    'local_src="$BUCKETS/${src#*://}"',
    'if [ "$mode" = cp ]; then cat "$local_src" > "$dst"; else cp -R "$local_src/." "$dst/"; rm -f "$dst/SHA256SUMS"; fi',
  ].join('\n');
  for (const name of ['aws', 'gcloud']) {
    fs.writeFileSync(path.join(bin, name), body, { mode: 0o755 });
  }
  return bin;
}

interface Run { status: number | null; stderr: string; root: string }

function run(artifact: PinnedArtifact, env: Record<string, string> = {}, sourcePath?: string): Run {
  const root = tmp('verifier-root-');
  const script = verifierScript(artifact, { root, name: 'model', sourcePath });
  const result = spawnSync('sh', ['-c', script], { env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr, root };
}

const MODEL = { 'config.json': '{"layers":2}', 'weights/part-1.bin': 'AAAA', 'weights/part-2.bin': 'BBBB' };

describe('the verifier script (claim and OCI copy paths: a local directory)', () => {
  let source: string;
  let digest: string;
  beforeEach(() => {
    source = tmp('verifier-claim-');
    writeTree(source, MODEL);
    digest = manifestDigest(manifestOfDirectory(source));
  });

  test('the right manifest digest passes and the files land in <root>/model, nothing else left behind', () => {
    const r = run(ModelArtifact.fromVolumeClaim('weights', digest), {}, source);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readdirSync(r.root)).toEqual(['model']);
    expect(manifestOfDirectory(path.join(r.root, 'model'))).toBe(manifestOfDirectory(source));
  });

  test.each([
    ['a flipped byte', (dir: string) => fs.writeFileSync(path.join(dir, 'weights/part-1.bin'), 'AAAB')],
    ['a missing file', (dir: string) => fs.rmSync(path.join(dir, 'weights/part-2.bin'))],
    ['an extra file', (dir: string) => fs.writeFileSync(path.join(dir, 'weights/part-3.bin'), 'CCCC')],
    ['a symbolic link', (dir: string) => fs.symlinkSync('config.json', path.join(dir, 'alias.json'))],
    ['a file name with a space', (dir: string) => fs.renameSync(path.join(dir, 'config.json'), path.join(dir, 'con fig.json'))],
  ])('fails closed on %s: exit non-zero, nothing left in the target', (_what, tamper) => {
    tamper(source);
    const r = run(ModelArtifact.fromVolumeClaim('weights', digest), {}, source);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^verifier: /m);
    expect(fs.readdirSync(r.root)).toEqual([]);
  });

  test('fails closed when the source directory is not there', () => {
    const r = run(ModelArtifact.fromVolumeClaim('weights', digest), {}, '/nonexistent-model-dir');
    expect(r.status).not.toBe(0);
    expect(fs.readdirSync(r.root)).toEqual([]);
  });
});

describe('the verifier script (s3:// and gs:// through stub clients on PATH)', () => {
  let buckets: string;
  let bin: string;
  beforeAll(() => {
    buckets = tmp('verifier-buckets-');
    bin = stubBin();
    writeTree(path.join(buckets, 'models-acme/fraud'), { ...MODEL, 'single.bin': 'the one file' });
  });
  const env = () => ({ PATH: `${bin}:${process.env.PATH}`, BUCKETS: buckets });

  test.each(['s3', 'gs'])('%s: a single file with the right sha256 passes; a wrong one fails closed', (scheme) => {
    const good = run(ModelArtifact.fromUri(`${scheme}://models-acme/fraud/single.bin`, `sha256:${sha('the one file')}`), env());
    expect(good.status).toBe(0);
    expect(fs.readFileSync(path.join(good.root, 'model/single.bin'), 'utf8')).toBe('the one file');
    const bad = run(ModelArtifact.fromUri(`${scheme}://models-acme/fraud/single.bin`, `sha256:${sha('the one fil')}`), env());
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/sha256 mismatch/);
    expect(fs.readdirSync(bad.root)).toEqual([]);
  });

  test.each(['s3', 'gs'])('%s: a directory is verified by its manifest; an extra file in the bucket fails closed', (scheme) => {
    const bucketDir = path.join(buckets, `models-acme/${scheme}-dir`);
    writeTree(bucketDir, MODEL);
    const digest = manifestDigest(manifestOfDirectory(bucketDir));
    expect(run(ModelArtifact.fromUri(`${scheme}://models-acme/${scheme}-dir/`, digest), env()).status).toBe(0);
    fs.writeFileSync(path.join(bucketDir, 'SHA256SUMS'), 'a manifest copy is ignored');
    expect(run(ModelArtifact.fromUri(`${scheme}://models-acme/${scheme}-dir/`, digest), env()).status).toBe(0);
    fs.writeFileSync(path.join(bucketDir, 'extra.bin'), 'x');
    const bad = run(ModelArtifact.fromUri(`${scheme}://models-acme/${scheme}-dir/`, digest), env());
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/manifest sha256 mismatch/);
    expect(fs.readdirSync(bad.root)).toEqual([]);
  });

  test('fails closed when the client is missing', () => {
    const r = run(ModelArtifact.fromUri('s3://models-acme/fraud/single.bin', `sha256:${sha('the one file')}`), { PATH: '/usr/bin:/bin' });
    expect(r.status).not.toBe(0);
    expect(fs.readdirSync(r.root)).toEqual([]);
  });
});

describe('the generated text', () => {
  test('single-quotes every value, including a quote', () => {
    expect(quote('a\'b')).toBe('\'a\'\\\'\'b\'');
    const script = verifierScript(ModelArtifact.fromUri('s3://models-acme/a;b=c(1).bin', `sha256:${'a'.repeat(64)}`), { root: '/cdk-compliant-ml/model', name: 'model' });
    expect(script).toContain('aws s3 cp --only-show-errors --no-progress \'s3://models-acme/a;b=c(1).bin\' "$stage/"\'a;b=c(1).bin\'');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toMatch(/^set -eu$/m);
  });

  test('refuses unsafe paths', () => {
    expect(() => verifierScript(ModelArtifact.fromUri('s3://models-acme/m.bin', `sha256:${'a'.repeat(64)}`), { root: '/x y', name: 'model' }))
      .toThrow(/verifier paths/);
  });
});
