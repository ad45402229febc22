import * as fs from 'fs';
import * as path from 'path';
import { ExitCode, parseArgs, UsageError } from './args';
import { AUTH_ENV_PREFIX, registryCredentials } from './docker-auth';
import { CliIo, Progress } from './io';
import { ModelFileOptions } from './model-files';
import { cloudModelMessage, ModelRequest, parseModelArgument, requestOfLockEntry, resolveModel } from './model-pin';
import { RegistryError, RegistryOptions, resolveManifest } from './registry';
import { printable } from './registry-manifest';
import { ImageLock, ImageLockEntry, LockReference, parseLockReference } from '../core/image-lock';
import { ModelLockEntry } from '../core/model-lock';

/** The default of `--max-file-size`: 128 GiB, above the largest single weight files published (sharded checkpoints stay far below). */
const DEFAULT_MAX_FILE_BYTES = 128 * 1024 ** 3;
const SIZE_UNITS: Record<string, number> = { '': 1, 'KiB': 1024, 'MiB': 1024 ** 2, 'GiB': 1024 ** 3, 'TiB': 1024 ** 4 };

/** `pin --help`. @internal */
export const PIN_USAGE = `Usage: cdk-compliant-ml pin [options] [IMAGE:TAG...] [--model NAME=REFERENCE...]

Resolves image tags to digests through the registry (OCI distribution API v2) and records them in the lock file, which
ImageLock.fromFile(...).resolve('IMAGE:TAG') reads at synth time without any network access. Model weights given with --model
are pinned under "models" in the same file, which ModelArtifact.fromLock(lock, NAME) reads at synth time.

The pinned digest is always the sha256 of the manifest bytes received (GET, at most 4 MiB); a Docker-Content-Digest header that
differs from them is refused. A multi-platform index is pinned at the index digest, with its platforms (os, architecture,
variant, child digest) in the lock. A redirect from HTTPS to plain HTTP is refused. Control characters in registry answers are
printed escaped (\\u001b).

Models (--model NAME=REFERENCE, repeatable; NAME of letters, digits and . _ -):
  oci://REGISTRY/REPOSITORY:TAG  a modelcar image or OCI artifact: the digest of its manifest, verified as for images
                                 (it must have layers; an artifactType is recorded)
  https://HOST/PATH              one file: the sha256 of its bytes, streamed (at most --max-file-size; the answer must
                                 carry a Content-Length or be chunked, and a truncated body is refused)
  https://HOST/PATH/             a directory: its SHA256SUMS (\`<64 hex>  <relative path>\` per file, sorted by path) is
                                 read, every file it lists is downloaded and checked against it, and the digest is the
                                 sha256 of the SHA256SUMS text, which the lock records as "manifest"
  s3://... and gs://...          refused with the sha256sum command to run where the files are (pin holds no cloud
                                 credentials); ModelArtifact.fromUri(uri, digest) takes that digest
Model files follow the redirect rules of registries, credentials (below, by the file's host) go to that host only.

Without IMAGE:TAG and --model, every entry of the existing lock, images and models, is resolved again (a moved tag shows as a
changed digest).
An entry whose digest did not change keeps its resolvedAt, so re-pinning an unchanged tag leaves the file as it is.
Each pinned image is printed on stdout as IMAGE:TAG@DIGEST, each model as NAME REFERENCE DIGEST; progress and errors go to
stderr.

Options:
  --lock FILE                 the lock file (default: ${ImageLock.DEFAULT_FILE_NAME})
  --timeout SECONDS           time limit of each HTTP request (default: 30)
  --insecure-registry HOST    allow plain HTTP for this registry or model file host (host or host:port; repeatable);
                              registries on localhost, 127.0.0.1 and [::1] always use plain HTTP, model files
                              there may be http:// URLs
  --model NAME=REFERENCE      pin model weights (see above; repeatable)
  --max-file-size SIZE        the largest model file read, in bytes or with KiB, MiB, GiB, TiB (default: 128GiB);
                              --timeout is then the longest silence while a file streams
  -q, --quiet                 no progress on stderr
  -h, --help                  show this help

Credentials (HTTP basic, or a bearer token obtained with them; anonymous when none are found):
  ${AUTH_ENV_PREFIX}<HOST>=user:password   HOST upper-cased, other characters as _,
                                     e.g. ${AUTH_ENV_PREFIX}GHCR_IO, ${AUTH_ENV_PREFIX}LOCALHOST_5000
  $DOCKER_CONFIG/config.json (default ~/.docker/config.json), auths[HOST].auth as written by docker login
                                     (credential helpers are not run)
Docker Hub: python:3.12 means docker.io/library/python:3.12, served by registry-1.docker.io.

Exit codes:
  0  every image and model was resolved and the lock is written
  2  usage error (bad option, invalid reference, untagged or :latest reference)
  3  some images or models could not be resolved (not found, refused credentials, timeout, malformed or truncated answer,
     a digest that does not match, s3:// or gs://) or the lock file is invalid; the ones that were resolved are still
     written to the lock
`;

/**
 * The `pin` command.
 *
 * @internal
 */
export async function pinCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    'lock': { type: 'value' },
    'timeout': { type: 'value' },
    'insecure-registry': { type: 'list' },
    'model': { type: 'list' },
    'max-file-size': { type: 'value' },
    'quiet': { type: 'flag', short: 'q' },
    'help': { type: 'flag', short: 'h' },
  });
  if (args.flags.has('help')) {
    io.stdout(PIN_USAGE);
    return ExitCode.OK;
  }
  const lockFile = args.values.get('lock') ?? ImageLock.DEFAULT_FILE_NAME;
  const timeoutText = args.values.get('timeout') ?? '30';
  const timeout = Number(timeoutText);
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || !(timeout > 0) || timeout > 3600) {
    throw new UsageError(`--timeout must be a number of seconds in (0, 3600], got ${JSON.stringify(timeoutText)}`);
  }
  const maxFileBytes = parseSize(args.values.get('max-file-size'));
  const insecureRegistries = args.lists.get('insecure-registry') ?? [];
  const progress = new Progress(io, args.flags.has('quiet'), 0);

  let lock: ImageLock | undefined;
  if (fs.existsSync(lockFile)) {
    try {
      lock = ImageLock.fromFile(lockFile);
    } catch (e) {
      io.stderr(printable(`${lockFile}: error: ${(e as Error).message}`) + '\n');
      return ExitCode.INPUT;
    }
  }
  const modelArguments = args.lists.get('model') ?? [];
  let wanted: LockReference[] = [];
  let wantedModels: ModelRequest[] = modelArguments.map((m) => parseModelArgument(m, insecureRegistries));
  if (args.positionals.length > 0) {
    wanted = args.positionals.map((ref) => {
      try {
        const parsed = parseLockReference(ref);
        if (parsed.digest !== undefined) {
          throw new Error(`invalid image reference ${JSON.stringify(ref)}: it is already pinned by digest; pass IMAGE:TAG`);
        }
        return parsed;
      } catch (e) {
        throw new UsageError(printable((e as Error).message));
      }
    });
  } else if (modelArguments.length > 0) {
    wanted = [];
  } else if (lock !== undefined && (lock.entries.length > 0 || lock.models.length > 0)) {
    wanted = lock.entries.map((e) => parseLockReference(`${e.name}:${e.tag}`));
    wantedModels = lock.models.map(requestOfLockEntry);
  } else {
    throw new UsageError(`pin needs IMAGE:TAG arguments, or an existing lock file with entries to refresh (${lockFile} ${lock ? 'is empty' : 'does not exist'}), `
      + 'or --model NAME=REFERENCE');
  }
  wanted = [...new Map(wanted.map((w) => [w.key, w])).values()];
  for (const [i, model] of wantedModels.entries()) {
    const other = wantedModels.slice(0, i).find((m) => m.name === model.name && (m.kind !== model.kind || m.reference !== model.reference));
    if (other !== undefined) {
      throw new UsageError(printable(`--model ${model.name} is given twice, as ${other.reference} and as ${model.reference}`));
    }
  }
  wantedModels = [...new Map(wantedModels.map((m) => [m.name, m])).values()];

  const options: RegistryOptions = {
    timeoutMs: timeout * 1000,
    insecureRegistries,
    credentials: (registry: string) => registryCredentials(registry, io.env),
  };
  const entries = new Map<string, ImageLockEntry>((lock?.entries ?? []).map((e) => [`${e.name}:${e.tag}`, e]));
  const now = io.now().toISOString();
  let failed = 0;
  let changed = 0;
  for (const [i, w] of wanted.entries()) {
    const label = `[${i + 1}/${wanted.length}] ${w.key}`;
    try {
      const resolved = await resolveManifest(w.registry, w.repository, w.tag, options);
      const before = entries.get(w.key);
      const state = before === undefined ? 'new' : before.digest === resolved.digest ? 'unchanged' : `changed from ${before.digest}`;
      const entry: ImageLockEntry = ImageLock.fromEntries([{
        name: w.name,
        tag: w.tag,
        digest: resolved.digest,
        mediaType: resolved.mediaType,
        platforms: resolved.platforms,
        // an unchanged digest keeps when it was first resolved, also when the entry gains its media type or platforms
        resolvedAt: before?.digest === resolved.digest ? before.resolvedAt ?? now : now,
      }]).entries[0]; // platforms sorted as the lock writes them
      if (entryText(before) !== entryText(entry)) {
        entries.set(w.key, entry);
        changed++;
      }
      const platforms = entry.platforms === undefined ? '' : entry.platforms.length === 0 ? ', index without platforms'
        : `, index of ${entry.platforms.map((p) => [p.os, p.architecture, p.variant].filter((f) => f !== undefined).join('/')).join(', ')}`;
      progress.info(printable(`${label} ${resolved.digest} (${state}${platforms})`));
      io.stdout(printable(`${w.key}@${resolved.digest}`) + '\n');
    } catch (e) {
      if (!(e instanceof RegistryError) && !(e instanceof Error && /CDK_COMPLIANT_ML_REGISTRY_AUTH_/.test(e.message))) {
        throw e;
      }
      failed++;
      io.stderr(printable(`${label} error: ${(e as Error).message}`) + '\n');
    }
  }

  const models = new Map<string, ModelLockEntry>((lock?.models ?? []).map((m) => [m.name, m]));
  const fileOptions: ModelFileOptions = {
    timeoutMs: options.timeoutMs,
    maxFileBytes,
    insecureHosts: insecureRegistries,
    credentials: options.credentials,
  };
  const pinned = await pinModels(wantedModels, models, options, fileOptions, { io, progress, now, fromLock: modelArguments.length === 0, quiet: args.flags.has('quiet') });

  const updated = ImageLock.fromEntries([...entries.values()], lockFile).withModels([...models.values()]);
  const text = updated.toJsonString();
  const previous = fs.existsSync(lockFile) ? fs.readFileSync(lockFile, 'utf-8') : undefined;
  const allChanged = changed + pinned.changed;
  if (allChanged > 0 && text !== previous) {
    writeAtomically(lockFile, text);
  }
  const imagePart = wanted.length > 0 || wantedModels.length === 0 ? `${wanted.length - failed} of ${wanted.length} images resolved, ` : '';
  const keptPart = pinned.kept > 0 ? ` (${pinned.kept} kept as written, not checked)` : '';
  const modelPart = wantedModels.length > 0
    ? `${wantedModels.length - pinned.failed - pinned.kept} of ${wantedModels.length} models pinned${keptPart}, ` : '';
  const allFailed = failed + pinned.failed;
  progress.info(printable(`cdk-compliant-ml pin: ${imagePart}${modelPart}${allChanged} lock entries `
    + `${allChanged === 0 ? 'changed (lock unchanged)' : `written to ${lockFile}`}${allFailed > 0 ? `, ${allFailed} failed` : ''}`));
  return allFailed > 0 ? ExitCode.INPUT : ExitCode.OK;
}

/** How many models changed the lock, failed, or were kept as written (s3/gs entries of the lock). */
interface ModelCounts {
  readonly changed: number;
  readonly failed: number;
  readonly kept: number;
}

/**
 * Resolves the models and updates `models` (by name) in place: an unchanged digest keeps its `resolvedAt`; a failure is printed
 * and leaves the lock's entry as it was. An `s3://` or `gs://` model of the lock (written by hand) is kept as written, with a note.
 */
async function pinModels(wanted: ModelRequest[], models: Map<string, ModelLockEntry>, registry: RegistryOptions, files: ModelFileOptions,
  context: { io: CliIo; progress: Progress; now: string; fromLock: boolean; quiet: boolean }): Promise<ModelCounts> {
  const { io, progress, now } = context;
  const ticks = new Progress(io, context.quiet); // at most a line a second, on a terminal only (`progress` prints every line)
  let changed = 0;
  let failed = 0;
  let kept = 0;
  for (const [i, request] of wanted.entries()) {
    const shown = request.kind === 'oci' ? `oci://${request.reference}` : request.reference;
    const label = `[model ${i + 1}/${wanted.length}] ${request.name} ${shown}`;
    if (request.kind === 'cloud' && context.fromLock) {
      io.stderr(printable(`${label} kept as written, not checked: ${cloudModelMessage(request)}`) + '\n'); // also with --quiet
      kept++;
      continue;
    }
    try {
      const resolved = await resolveModel(request, registry, {
        ...files, progress: (received) => ticks.tick(printable(`${label} ${Math.floor(received / 1024 / 1024)} MiB`)),
      });
      const before = models.get(request.name);
      const sameDigest = before?.digest === resolved.entry.digest && before?.reference === resolved.entry.reference;
      const state = before === undefined ? 'new' : sameDigest ? 'unchanged' : `changed from ${before.reference === resolved.entry.reference
        ? before.digest : `${before.reference} ${before.digest}`}`;
      const entry: ModelLockEntry = { ...resolved.entry, resolvedAt: sameDigest ? before.resolvedAt ?? now : now };
      if (modelText(before) !== modelText(entry)) {
        models.set(request.name, entry);
        changed++;
      }
      progress.info(printable(`${label} ${entry.digest} (${state}, ${resolved.details})`));
      io.stdout(printable(`${request.name} ${shown} ${entry.digest}`) + '\n');
    } catch (e) {
      if (!(e instanceof RegistryError) && !(e instanceof Error && /CDK_COMPLIANT_ML_REGISTRY_AUTH_/.test(e.message))) {
        throw e;
      }
      failed++;
      io.stderr(printable(`${label} error: ${(e as Error).message}`) + '\n');
    }
  }
  return { changed, failed, kept };
}

/** A model entry as the lock writes it, to tell whether re-pinning changed anything. */
function modelText(entry: ModelLockEntry | undefined): string | undefined {
  return entry === undefined ? undefined : ImageLock.fromEntries([]).withModels([entry]).toJsonString();
}

/** `--max-file-size`: bytes, or a number with KiB, MiB, GiB or TiB. */
function parseSize(text: string | undefined): number {
  if (text === undefined) {
    return DEFAULT_MAX_FILE_BYTES;
  }
  const match = /^(\d+)(KiB|MiB|GiB|TiB)?$/.exec(text);
  const bytes = match ? Number(match[1]) * SIZE_UNITS[match[2] ?? ''] : NaN;
  if (!(bytes > 0) || !Number.isSafeInteger(bytes)) {
    throw new UsageError(`--max-file-size must be a positive number of bytes, optionally with KiB, MiB, GiB or TiB (e.g. 64GiB), got ${JSON.stringify(text)}`);
  }
  return bytes;
}

/** An entry as the lock writes it, to tell whether re-pinning changed anything. */
function entryText(entry: ImageLockEntry | undefined): string | undefined {
  return entry === undefined ? undefined : ImageLock.fromEntries([entry]).toJsonString();
}

function writeAtomically(file: string, text: string): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
