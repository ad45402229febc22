import * as fs from 'fs';
import * as path from 'path';
import { describe } from './errors';
import { ImageReference } from './image-reference';
import { ModelLockEntry, modelEntryProblem, modelsJson, readModels } from './model-lock';
import { DIGEST_PATTERN } from './patterns';

/** The version of the lock file's JSON shape. */
const LOCK_VERSION = 1;
/** A digest used only to borrow `ImageReference`'s parser for references that carry a tag and no digest. */
const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`;
const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

/** A platform field of a lock entry (os, architecture, variant): what OCI image-index platforms use, no control characters. */
const PLATFORM_FIELD_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;

/**
 * One platform of a multi-platform image (an OCI image index or Docker manifest list), as its index lists it.
 */
export interface ImageLockPlatform {
  /**
   * The operating system, e.g. `linux`.
   */
  readonly os: string;

  /**
   * The CPU architecture, e.g. `amd64` or `arm64`.
   */
  readonly architecture: string;

  /**
   * The CPU variant, e.g. `v8` for `arm64`.
   *
   * @default - the index names no variant
   */
  readonly variant?: string;

  /**
   * The digest of this platform's manifest, as the index lists it.
   */
  readonly digest: string;
}

/**
 * One image of an image lock: a tag and the digest it pointed to when `cdk-compliant-ml pin` resolved it.
 */
export interface ImageLockEntry {
  /**
   * The canonical repository name with its registry, e.g. `ghcr.io/acme/scorer` or `docker.io/library/python`.
   */
  readonly name: string;

  /**
   * The tag that was resolved, e.g. `1.4.2`.
   */
  readonly tag: string;

  /**
   * The digest of the manifest (or multi-platform index) the tag pointed to, `sha256:<64 hex>` or `sha512:<128 hex>`.
   */
  readonly digest: string;

  /**
   * When the tag was first resolved to this digest, as an ISO 8601 timestamp.
   *
   * @default - not recorded
   */
  readonly resolvedAt?: string;

  /**
   * The media type of the resolved manifest, e.g. `application/vnd.oci.image.index.v1+json` for a multi-platform image.
   *
   * @default - not recorded
   */
  readonly mediaType?: string;

  /**
   * The platforms of a multi-platform image (an index or manifest list): each child manifest's os, architecture, variant and
   * digest, sorted by os, architecture, variant and digest. The entry's `digest` is the index digest, which covers them all.
   *
   * @default - not recorded (a single-platform manifest, or a lock written before platforms were recorded)
   */
  readonly platforms?: ImageLockPlatform[];
}

/**
 * The tag-to-digest pins of `images.lock.json`, written by `cdk-compliant-ml pin` and read at synth time.
 *
 * Synthesis never contacts a registry: `cdk-compliant-ml pin ghcr.io/acme/scorer:1.4.2` resolves the tag once and records the
 * digest; `ImageLock.fromFile('images.lock.json').resolve('ghcr.io/acme/scorer:1.4.2')` then returns the pinned
 * `ghcr.io/acme/scorer:1.4.2@sha256:...` reference. Committing the lock makes every synthesis run the same bytes, and
 * re-pinning shows a tag that moved as a diff.
 *
 * The file (`lockfileVersion` 1) is a JSON object `{"images": {...}, "lockfileVersion": 1}`; `images` maps `name:tag` to an entry
 * with `name`, `tag`, `digest` (the sha256 of the manifest or index bytes `pin` received and verified), and optionally
 * `mediaType`, `resolvedAt` and `platforms`. `platforms` is present for a multi-platform index only: an array of
 * `{"architecture", "digest", "os", "variant"?}`, one per child manifest that names a platform, sorted by os, architecture,
 * variant and digest. Keys are sorted at every level, indented by two spaces, with a final newline, so the same pins always
 * give the same bytes. A lock without `platforms` (written before they were recorded) still reads, and readers that ignore
 * `platforms` read a lock with them.
 *
 * Model weights pinned by `cdk-compliant-ml pin --model NAME=REFERENCE` are under `models` (present only when there is one, so a
 * lock of images alone keeps its bytes and `lockfileVersion` stays 1): the model's name maps to `source` (`oci` or `uri`),
 * `reference`, `digest` and optionally `manifest` (the `SHA256SUMS` text of a directory, whose sha256 is the digest), `mediaType`,
 * `artifactType` and `resolvedAt` (see `ModelLockEntry`). `ModelArtifact.fromLock(lock, name)` reads them at synth time.
 */
export class ImageLock {
  /** The default file name of the lock. */
  public static readonly DEFAULT_FILE_NAME: string = 'images.lock.json';

  /**
   * Reads a lock file synchronously (relative paths are resolved against the working directory).
   *
   * @param file the path of the lock file, e.g. `images.lock.json`
   */
  public static fromFile(file: string): ImageLock {
    const absolute = path.resolve(file);
    let text: string;
    try {
      text = fs.readFileSync(absolute, 'utf-8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const problem = code === 'ENOENT' ? 'it does not exist' : `it cannot be read (${(e as Error).message})`;
      throw new Error(`cannot read the image lock ${file}: ${problem}; create it with \`cdk-compliant-ml pin --lock ${file} <image>:<tag>\``);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`the image lock ${file} is not valid JSON (${(e as Error).message}); `
        + `restore it from version control or re-create it with \`cdk-compliant-ml pin --lock ${file} <image>:<tag>\``);
    }
    return ImageLock.fromJson(json, file);
  }

  /**
   * A lock from the parsed JSON of a lock file.
   *
   * @param json the parsed content of the lock file
   * @param source the name shown in error messages (default `images.lock.json`)
   */
  public static fromJson(json: any, source?: string): ImageLock {
    const where = source ?? ImageLock.DEFAULT_FILE_NAME;
    const bad = (problem: string) => new Error(`invalid image lock ${where}: ${problem}; re-create it with \`cdk-compliant-ml pin\``);
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      throw bad('it is not a JSON object');
    }
    if (json.lockfileVersion !== LOCK_VERSION) {
      throw bad(`lockfileVersion is ${describe(json.lockfileVersion)}, expected ${LOCK_VERSION}`);
    }
    const images = json.images;
    if (!images || typeof images !== 'object' || Array.isArray(images)) {
      throw bad('"images" is not an object');
    }
    const models = readModels(json.models, bad);
    const entries: ImageLockEntry[] = [];
    for (const [key, value] of Object.entries(images as Record<string, any>)) {
      if (!value || typeof value !== 'object' || typeof value.name !== 'string' || typeof value.tag !== 'string'
        || typeof value.digest !== 'string') {
        throw bad(`the entry ${describe(key)} needs the string fields name, tag and digest`);
      }
      if (!DIGEST_PATTERN.test(value.digest)) {
        throw bad(`the digest ${describe(value.digest)} of ${describe(key)} is not sha256:<64 lowercase hex> or sha512:<128 lowercase hex>`);
      }
      if (key !== `${value.name}:${value.tag}`) {
        throw bad(`the key ${describe(key)} does not match its name and tag (${value.name}:${value.tag})`);
      }
      try {
        parseLockReference(key);
      } catch (e) {
        throw bad(`the key ${describe(key)} is not a tagged image reference (${(e as Error).message})`);
      }
      entries.push({
        name: value.name,
        tag: value.tag,
        digest: value.digest,
        resolvedAt: typeof value.resolvedAt === 'string' ? value.resolvedAt : undefined,
        mediaType: typeof value.mediaType === 'string' ? value.mediaType : undefined,
        platforms: value.platforms === undefined ? undefined : readPlatforms(value.platforms, key, bad),
      });
    }
    return new ImageLock(entries, where, models);
  }

  /**
   * A lock with the given entries (a later entry for the same name and tag replaces an earlier one).
   *
   * @param entries the entries
   * @param source the name shown in error messages (default `images.lock.json`)
   */
  public static fromEntries(entries: ImageLockEntry[], source?: string): ImageLock {
    return new ImageLock(entries, source ?? ImageLock.DEFAULT_FILE_NAME, []);
  }

  /**
   * Where the lock was read from (the name shown in error messages).
   */
  public readonly source: string;

  /**
   * Every entry, sorted by name and tag.
   */
  public readonly entries: ImageLockEntry[];

  /**
   * Every pinned model, sorted by name.
   */
  public readonly models: ModelLockEntry[];

  private constructor(entries: ImageLockEntry[], source: string, models: ModelLockEntry[]) {
    const byKey = new Map<string, ImageLockEntry>();
    for (const e of entries) {
      if (!DIGEST_PATTERN.test(e.digest)) {
        throw new Error(`invalid image lock entry ${e.name}:${e.tag}: the digest ${describe(e.digest)} is not sha256:<64 lowercase hex> `
          + 'or sha512:<128 lowercase hex>');
      }
      const platforms = e.platforms === undefined ? undefined : sortPlatforms(readPlatforms(e.platforms, `${e.name}:${e.tag}`,
        (problem) => new Error(`invalid image lock entry ${e.name}:${e.tag}: ${problem}`)));
      byKey.set(`${e.name}:${e.tag}`, { ...e, platforms });
    }
    this.entries = [...byKey.keys()].sort().map((k) => byKey.get(k)!);
    this.source = source;
    const byName = new Map<string, ModelLockEntry>();
    for (const model of models) {
      const problem = modelEntryProblem(model);
      if (problem !== undefined) {
        throw new Error(`invalid image lock model ${describe(model?.name)}: it ${problem}`);
      }
      byName.set(model.name, { ...model });
    }
    this.models = [...byName.keys()].sort().map((name) => byName.get(name)!);
  }

  /**
   * The same lock with these models instead of its own (a later model of the same name replaces an earlier one).
   *
   * @param models the models, e.g. `cdk-compliant-ml pin` resolved them
   */
  public withModels(models: ModelLockEntry[]): ImageLock {
    return new ImageLock(this.entries, this.source, models);
  }

  /**
   * The model of this name, or `undefined` when the lock has none.
   *
   * @param name the model's name in the lock, e.g. `fraud-scorer`
   */
  public findModel(name: string): ModelLockEntry | undefined {
    return this.models.find((m) => m.name === name);
  }

  /**
   * The pinned reference of a tagged image: the reference as written, followed by `@<digest>` from the lock.
   *
   * `python:3.12`, `docker.io/python:3.12` and `docker.io/library/python:3.12` name the same lock entry. A reference that already
   * carries a digest is returned as it is. Throws, naming the lock file and the `pin` command to run, when the lock has no entry.
   *
   * @param reference a tagged reference, e.g. `ghcr.io/acme/scorer:1.4.2`
   */
  public resolve(reference: string): ImageReference {
    const parsed = parseLockReference(reference);
    if (parsed.digest !== undefined) {
      return ImageReference.fromString(reference);
    }
    const entry = this.findEntry(reference);
    if (entry === undefined) {
      throw new Error(`the image lock ${this.source} has no entry for ${describe(reference)} (${parsed.key}); `
        + `run \`cdk-compliant-ml pin ${reference}\`${this.source === ImageLock.DEFAULT_FILE_NAME ? '' : ` --lock ${this.source}`} `
        + 'and commit the updated lock');
    }
    return ImageReference.fromString(`${reference}@${entry.digest}`);
  }

  /**
   * The entry of a tagged reference, or `undefined` when the lock has none.
   *
   * @param reference a tagged reference, e.g. `ghcr.io/acme/scorer:1.4.2`
   */
  public findEntry(reference: string): ImageLockEntry | undefined {
    const { key } = parseLockReference(reference);
    return this.entries.find((e) => `${e.name}:${e.tag}` === key);
  }

  /**
   * The lock as the text of `images.lock.json`: keys sorted, two-space indented, ending with a newline.
   */
  public toJsonString(): string {
    const images: Record<string, unknown> = {};
    for (const e of this.entries) {
      images[`${e.name}:${e.tag}`] = sortKeys({ ...e, platforms: e.platforms?.map((p) => sortKeys({ ...p })) });
    }
    return `${JSON.stringify({ images, lockfileVersion: LOCK_VERSION, models: modelsJson(this.models) }, undefined, 2)}\n`;
  }
}

/**
 * A tagged image reference split the way the lock and the registry client need it.
 *
 * @internal
 */
export interface LockReference {
  /** The registry as written, or `docker.io` when the reference names none. */
  readonly registry: string;
  /** The repository path; `library/` is prefixed for a one-component Docker Hub name. */
  readonly repository: string;
  /** The canonical `registry/repository`. */
  readonly name: string;
  /** The tag. */
  readonly tag: string;
  /** The digest, when the reference carries one. */
  readonly digest?: string;
  /** The lock key: `name:tag`. */
  readonly key: string;
}

/**
 * Parses a tagged image reference (validated with `ImageReference`'s grammar) into its canonical lock name.
 *
 * @internal
 */
export function parseLockReference(reference: string): LockReference {
  if (typeof reference !== 'string' || reference.trim() === '') {
    throw new Error(`invalid image reference ${describe(reference)}: it is empty; write it as [registry/]repository:tag`);
  }
  const pinned = reference.includes('@');
  let ref: ImageReference;
  try {
    ref = ImageReference.fromString(pinned ? reference : `${reference}@${PLACEHOLDER_DIGEST}`);
  } catch (e) {
    throw new Error((e as Error).message.split(`@${PLACEHOLDER_DIGEST}`).join(''));
  }
  if (ref.tag === undefined) {
    if (pinned) {
      return { ...canonical(ref.registry, ref.repository, ''), digest: ref.digest };
    }
    throw new Error(`invalid image reference ${describe(reference)}: it has no tag, so there is nothing to pin; `
      + 'name a version tag, e.g. ghcr.io/acme/scorer:1.4.2 (`latest` is refused, see IMG-2)');
  }
  return { ...canonical(ref.registry, ref.repository, ref.tag), digest: pinned ? ref.digest : undefined };
}

function canonical(registry: string | undefined, repository: string, tag: string) {
  const reg = registry === undefined || DOCKER_HUB_ALIASES.includes(registry) ? DOCKER_HUB : registry;
  const repo = reg === DOCKER_HUB && !repository.includes('/') ? `library/${repository}` : repository;
  const name = `${reg}/${repo}`;
  return { registry: reg, repository: repo, name, tag, key: `${name}:${tag}` };
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) {
    if (o[k] !== undefined) {
      out[k] = o[k];
    }
  }
  return out;
}

/**
 * What is wrong with a platform of an index or a lock entry (`{os, architecture, variant?, digest}`: names of letters, digits and
 * `. _ + -`, at most 64, and a registered digest), or undefined when nothing is.
 *
 * @internal
 */
export function platformProblem(platform: any): string | undefined {
  if (!platform || typeof platform !== 'object' || Array.isArray(platform)) {
    return 'is not an object';
  }
  for (const field of ['os', 'architecture', 'variant']) {
    const text = platform[field];
    if ((field !== 'variant' || text !== undefined) && (typeof text !== 'string' || !PLATFORM_FIELD_PATTERN.test(text))) {
      return `has the ${field} ${describe(text)}, expected letters, digits and . _ + - (at most 64)`;
    }
  }
  if (typeof platform.digest !== 'string' || !DIGEST_PATTERN.test(platform.digest)) {
    return `has the digest ${describe(platform.digest)}, expected sha256:<64 lowercase hex> or sha512:<128 lowercase hex>`;
  }
  return undefined;
}

/** Validates the `platforms` of an entry. */
function readPlatforms(value: unknown, key: string, bad: (problem: string) => Error): ImageLockPlatform[] {
  if (!Array.isArray(value)) {
    throw bad(`the platforms of ${describe(key)} are not an array`);
  }
  return value.map((platform: any, i) => {
    const problem = platformProblem(platform);
    if (problem !== undefined) {
      throw bad(`platforms[${i}] of ${describe(key)} ${problem}`);
    }
    return { os: platform.os, architecture: platform.architecture, variant: platform.variant, digest: platform.digest };
  });
}

/** Platforms in a fixed order (os, architecture, variant, digest; code-unit comparison, no locale). */
function sortPlatforms(platforms: ImageLockPlatform[]): ImageLockPlatform[] {
  const sortKey = (p: ImageLockPlatform) => [p.os, p.architecture, p.variant ?? '', p.digest].join('\u0000');
  return [...platforms].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}
