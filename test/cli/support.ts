import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { CliIo } from '../../src/cli/io';
import { main } from '../../src/cli/main';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cli');
export const NOW = new Date('2026-01-02T03:04:05.000Z');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output, a fixed clock and the given environment. */
export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly stdin?: string;
  readonly now?: Date;
}

export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: () => options.stdin ?? '',
    env: options.env ?? { HOME: tmpdir() },
    now: () => options.now ?? NOW,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-compliant-ml-cli-'));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const REGISTRY_CANDIDATES = [process.env.DOCKER_REGISTRY_BIN, '/usr/bin/docker-registry', '/usr/sbin/docker-registry'];

/** The docker-registry binary (Debian package `docker-registry`), or an error that says how to install it. */
export function registryBinary(): string {
  const found = REGISTRY_CANDIDATES.find((p) => p && fs.existsSync(p));
  if (!found) {
    throw new Error('the pin tests need a real OCI registry: Debian\'s docker-registry is not installed '
      + '(looked for $DOCKER_REGISTRY_BIN, /usr/bin/docker-registry). Install it with `apt-get install -y docker-registry` '
      + '(.ci/run does this), or point DOCKER_REGISTRY_BIN at a distribution registry binary.');
  }
  return found;
}

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  readonly base: string;
  stop(): Promise<void>;
}

/** Starts docker-registry on 127.0.0.1 with storage in a temp dir, optionally with htpasswd (basic) authentication. */
export async function startRegistry(options: { htpasswd?: string } = {}): Promise<TestRegistry> {
  const bin = registryBinary();
  const dir = tmpdir();
  const port = await freePort();
  const config = [
    'version: 0.1',
    'log:', '  level: error', '  accesslog:', '    disabled: true',
    'storage:', '  filesystem:', `    rootdirectory: ${path.join(dir, 'data')}`, '  delete:', '    enabled: true',
    'http:', `  addr: 127.0.0.1:${port}`,
    ...(options.htpasswd ? ['auth:', '  htpasswd:', '    realm: test-realm', `    path: ${options.htpasswd}`] : []),
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'config.yml'), `${config}\n`);
  const child: ChildProcess = spawn(bin, ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) {
      throw new Error(`docker-registry ${exited}: ${log}`);
    }
    try {
      const res = await fetch(`${base}/v2/`);
      if (res.status === 200 || res.status === 401) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`docker-registry did not answer on ${base} within 15 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: `127.0.0.1:${port}`,
    base,
    stop: async () => {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sha256 = (data: Buffer | string) => `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;

/** Pushes a blob with the distribution push API (monolithic upload: POST, then PUT ?digest=). */
export async function pushBlob(base: string, repo: string, data: Buffer, auth?: string): Promise<string> {
  const digest = sha256(data);
  const headers: Record<string, string> = auth ? { Authorization: auth } : {};
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers });
  if (start.status !== 202) {
    throw new Error(`blob upload start: HTTP ${start.status} ${await start.text()}`);
  }
  const location = new URL(start.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT', headers: { ...headers, 'Content-Type': 'application/octet-stream' }, body: data,
  });
  if (put.status !== 201) {
    throw new Error(`blob upload: HTTP ${put.status} ${await put.text()}`);
  }
  return digest;
}

/** Pushes a manifest (or index) under a tag and returns the digest of its bytes. */
export async function pushManifest(base: string, repo: string, tag: string, mediaType: string, body: object, auth?: string): Promise<string> {
  const bytes = Buffer.from(JSON.stringify(body, undefined, 2));
  const res = await fetch(`${base}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT', headers: { 'Content-Type': mediaType, ...(auth ? { Authorization: auth } : {}) }, body: bytes,
  });
  if (res.status !== 201) {
    throw new Error(`manifest push: HTTP ${res.status} ${await res.text()}`);
  }
  const digest = sha256(bytes);
  expect(res.headers.get('docker-content-digest')).toBe(digest);
  return digest;
}

/** Pushes a one-layer OCI image (config + layer + manifest) and an OCI index that points at it; returns both digests. */
export async function pushImage(base: string, repo: string, tags: { manifest: string; index?: string }, auth?: string) {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }));
  const layer = crypto.randomBytes(512);
  const configDigest = await pushBlob(base, repo, config, auth);
  const layerDigest = await pushBlob(base, repo, layer, auth);
  const manifestType = 'application/vnd.oci.image.manifest.v1+json';
  const manifest = {
    schemaVersion: 2,
    mediaType: manifestType,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
  };
  const manifestDigest = await pushManifest(base, repo, tags.manifest, manifestType, manifest, auth);
  let indexDigest: string | undefined;
  if (tags.index) {
    const size = Buffer.byteLength(JSON.stringify(manifest, undefined, 2));
    const indexType = 'application/vnd.oci.image.index.v1+json';
    indexDigest = await pushManifest(base, repo, tags.index, indexType, {
      schemaVersion: 2,
      mediaType: indexType,
      manifests: [{ mediaType: manifestType, digest: manifestDigest, size, platform: { architecture: 'amd64', os: 'linux' } }],
    }, auth);
  }
  return { manifestDigest, indexDigest };
}
