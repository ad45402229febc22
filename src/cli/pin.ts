import * as fs from 'fs';
import * as path from 'path';
import { ExitCode, parseArgs, UsageError } from './args';
import { AUTH_ENV_PREFIX, registryCredentials } from './docker-auth';
import { CliIo, Progress } from './io';
import { RegistryError, resolveManifest } from './registry';
import { printable } from './registry-manifest';
import { ImageLock, ImageLockEntry, LockReference, parseLockReference } from '../core/image-lock';

/** `pin --help`. @internal */
export const PIN_USAGE = `Usage: cdk-compliant-ml pin [options] [IMAGE:TAG...]

Resolves image tags to digests through the registry (OCI distribution API v2) and records them in the lock file, which
ImageLock.fromFile(...).resolve('IMAGE:TAG') reads at synth time without any network access.

The pinned digest is always the sha256 of the manifest bytes received (GET, at most 4 MiB); a Docker-Content-Digest header that
differs from them is refused. A multi-platform index is pinned at the index digest, with its platforms (os, architecture,
variant, child digest) in the lock. A redirect from HTTPS to plain HTTP is refused. Control characters in registry answers are
printed escaped (\\u001b).

Without IMAGE:TAG, every entry of the existing lock is resolved again (a moved tag shows as a changed digest).
An entry whose digest did not change keeps its resolvedAt, so re-pinning an unchanged tag leaves the file as it is.
Each pinned reference is printed on stdout as IMAGE:TAG@DIGEST; progress and errors go to stderr.

Options:
  --lock FILE                 the lock file (default: ${ImageLock.DEFAULT_FILE_NAME})
  --timeout SECONDS           time limit of each HTTP request (default: 30)
  --insecure-registry HOST    allow plain HTTP for this registry (host or host:port; repeatable);
                              localhost, 127.0.0.1 and [::1] always use plain HTTP
  -q, --quiet                 no progress on stderr
  -h, --help                  show this help

Credentials (HTTP basic, or a bearer token obtained with them; anonymous when none are found):
  ${AUTH_ENV_PREFIX}<HOST>=user:password   HOST upper-cased, other characters as _,
                                     e.g. ${AUTH_ENV_PREFIX}GHCR_IO, ${AUTH_ENV_PREFIX}LOCALHOST_5000
  $DOCKER_CONFIG/config.json (default ~/.docker/config.json), auths[HOST].auth as written by docker login
                                     (credential helpers are not run)
Docker Hub: python:3.12 means docker.io/library/python:3.12, served by registry-1.docker.io.

Exit codes:
  0  every image was resolved and the lock is written
  2  usage error (bad option, invalid reference, untagged or :latest reference)
  3  some images could not be resolved (not found, refused credentials, timeout, malformed answer) or the lock file is
     invalid; the images that were resolved are still written to the lock
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
  let wanted: LockReference[];
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
  } else if (lock !== undefined && lock.entries.length > 0) {
    wanted = lock.entries.map((e) => parseLockReference(`${e.name}:${e.tag}`));
  } else {
    throw new UsageError(`pin needs IMAGE:TAG arguments, or an existing lock file with entries to refresh (${lockFile} ${lock ? 'is empty' : 'does not exist'})`);
  }
  wanted = [...new Map(wanted.map((w) => [w.key, w])).values()];

  const options = {
    timeoutMs: timeout * 1000,
    insecureRegistries: args.lists.get('insecure-registry') ?? [],
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

  const updated = ImageLock.fromEntries([...entries.values()], lockFile);
  const text = updated.toJsonString();
  const previous = fs.existsSync(lockFile) ? fs.readFileSync(lockFile, 'utf-8') : undefined;
  if (changed > 0 && text !== previous) {
    writeAtomically(lockFile, text);
  }
  progress.info(printable(`cdk-compliant-ml pin: ${wanted.length - failed} of ${wanted.length} images resolved, ${changed} lock entries `
    + `${changed === 0 ? 'changed (lock unchanged)' : `written to ${lockFile}`}${failed > 0 ? `, ${failed} failed` : ''}`));
  return failed > 0 ? ExitCode.INPUT : ExitCode.OK;
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
