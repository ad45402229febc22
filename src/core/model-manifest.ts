import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { compareCodeUnits } from './ordering';

/**
 * The manifest of a directory artifact (a model or dataset of several files), the one definition every part of the library uses
 * (the verifier script, `cdk-compliant-ml pin`, the tests; README "Pinning the model" describes the same):
 *
 * - one line per regular file below the directory, recursively, as `sha256sum` prints it: `<64 lowercase hex>`, two spaces,
 *   the path relative to the directory without a leading `./`, and `\n` (also after the last line);
 * - lines sorted by path in byte order (`LC_ALL=C sort`); paths are ASCII, so byte order and code-unit order agree;
 * - a path holds only `[A-Za-z0-9._+-]` and `/` between non-empty segments, none of them `.` or `..`; no white space,
 *   backslash, quote or control character (GNU `sha256sum` would escape those, and they are what path tricks are made of);
 * - a file named `SHA256SUMS` at the top of the directory is the manifest itself and never part of it; directories are not
 *   listed, and a symbolic link, device or other non-regular file makes the directory invalid;
 * - the directory's digest is `sha256:` + the sha256 of the manifest text.
 *
 * It is what `cd DIR && find . -type f ! -path ./SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do sha256sum "$f"; done`
 * prints.
 *
 * @internal
 */
export const MANIFEST_FILE_NAME = 'SHA256SUMS';

/** A path a manifest may list. @internal */
export const MANIFEST_PATH = /^[A-Za-z0-9._+-]+(\/[A-Za-z0-9._+-]+)*$/;
/** One line of a manifest. @internal */
export const MANIFEST_LINE = /^([a-f0-9]{64}) {2}([A-Za-z0-9._+/-]+)$/;

/**
 * One file of a manifest.
 *
 * @internal
 */
export interface ManifestEntry {
  /** The path relative to the directory, e.g. `tokenizer/vocab.json`. */
  readonly path: string;
  /** The file's sha256, 64 lowercase hex. */
  readonly sha256: string;
}

/**
 * Renders the manifest text of a list of files (sorted here; duplicates and invalid paths throw).
 *
 * @internal
 */
export function renderManifest(entries: readonly ManifestEntry[]): string {
  const sorted = [...entries].sort((a, b) => compareCodeUnits(a.path, b.path));
  sorted.forEach((entry, i) => {
    const problem = manifestPathProblem(entry.path);
    if (problem) {
      throw new Error(`invalid manifest path ${JSON.stringify(entry.path)}: ${problem}`);
    }
    if (!/^[a-f0-9]{64}$/.test(entry.sha256)) {
      throw new Error(`invalid sha256 ${JSON.stringify(entry.sha256)} for ${entry.path}: it must be 64 lowercase hex characters`);
    }
    if (i > 0 && sorted[i - 1].path === entry.path) {
      throw new Error(`invalid manifest: ${JSON.stringify(entry.path)} is listed twice`);
    }
  });
  return sorted.map((entry) => `${entry.sha256}  ${entry.path}\n`).join('');
}

/**
 * Parses and checks a manifest text: every line well-formed, sorted, no duplicates, ends in a newline.
 *
 * @internal
 */
export function parseManifest(text: string): ManifestEntry[] {
  if (text.length === 0 || !text.endsWith('\n')) {
    throw new Error('invalid manifest: it is empty or does not end in a newline');
  }
  const entries = text.slice(0, -1).split('\n').map((line, i) => {
    const match = MANIFEST_LINE.exec(line);
    if (!match || manifestPathProblem(match[2])) {
      throw new Error(`invalid manifest line ${i + 1} ${JSON.stringify(line)}: write \`<64 hex>  <relative path>\` (sha256sum output)`);
    }
    return { sha256: match[1], path: match[2] };
  });
  if (renderManifest(entries) !== text) {
    throw new Error('invalid manifest: the lines are not sorted by path in byte order');
  }
  return entries;
}

/**
 * The digest of a manifest text: `sha256:<64 hex>` of its bytes.
 *
 * @internal
 */
export function manifestDigest(manifest: string): string {
  return `sha256:${crypto.createHash('sha256').update(manifest, 'utf8').digest('hex')}`;
}

/**
 * The manifest of a local directory (for tests and `pin`); throws on a non-regular file or a path the format refuses.
 *
 * @internal
 */
export function manifestOfDirectory(directory: string): string {
  const entries: ManifestEntry[] = [];
  const walk = (relative: string): void => {
    for (const name of fs.readdirSync(path.join(directory, relative)).sort(compareCodeUnits)) {
      const rel = relative ? `${relative}/${name}` : name;
      const stat = fs.lstatSync(path.join(directory, rel));
      if (stat.isDirectory()) {
        walk(rel);
      } else if (!stat.isFile()) {
        throw new Error(`invalid model directory: ${JSON.stringify(rel)} is not a regular file (links and devices are refused)`);
      } else if (rel !== MANIFEST_FILE_NAME) {
        entries.push({ path: rel, sha256: crypto.createHash('sha256').update(fs.readFileSync(path.join(directory, rel))).digest('hex') });
      }
    }
  };
  walk('');
  return renderManifest(entries);
}

/**
 * Why a path cannot be listed in a manifest, or undefined when it can.
 *
 * @internal
 */
export function manifestPathProblem(p: string): string | undefined {
  if (!MANIFEST_PATH.test(p)) {
    return 'a path holds only [A-Za-z0-9._+-] and "/" between non-empty segments, without a leading "./" or "/"';
  }
  if (p.split('/').some((segment) => segment === '.' || segment === '..')) {
    return 'a path has no "." or ".." segment';
  }
  return p === MANIFEST_FILE_NAME ? `${MANIFEST_FILE_NAME} at the top is the manifest itself` : undefined;
}
