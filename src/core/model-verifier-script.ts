import { ArtifactSource, PinnedArtifact } from './model-artifact';
import { MANIFEST_FILE_NAME } from './model-manifest';

/**
 * The POSIX `sh` script that fetches a pinned artifact, verifies it and moves it into place; both backends run it (the Kubernetes
 * init container, the ECS non-essential container). It fails closed:
 *
 * - `set -eu`: any failing command (a 404, a refused TLS certificate, a truncated transfer, a missing tool) stops it;
 * - it fetches into `<root>/.incoming`, verifies there, and only then renames that to `<root>/<name>` (the directory the main
 *   container mounts read-only); on any failure an EXIT trap removes everything it wrote, so the target never exists;
 * - a single file: its sha256 must equal the digest, and it must be the only file fetched;
 * - a directory: the manifest (core/model-manifest.ts) of exactly the files fetched is recomputed and its sha256 must equal the
 *   digest, so a changed, missing or extra file, a link or a path outside the format each fail;
 * - https directories first fetch `<uri>SHA256SUMS`, check its sha256 against the digest and its lines against the format, and
 *   only then fetch the files it lists (then the recomputed manifest is checked as for every directory);
 * - OCI (a modelcar image the runtime pulled by digest, which verifies it) and claims are copied from a read-only mount.
 *
 * Every interpolated value is validated by the artifact's factory and single-quoted here.
 *
 * @internal
 */
export interface VerifierScriptOptions {
  /** Where the shared volume is mounted in the verifier container, e.g. `/cdk-compliant-ml/model`. */
  readonly root: string;
  /** The directory below `root` that receives the verified files (the server mounts it), e.g. `model`. */
  readonly name: string;
  /** Where the files to copy are mounted (a claim) or lie in the image (OCI), e.g. `/models`. */
  readonly sourcePath?: string;
}

const SAFE_PATH = /^\/[A-Za-z0-9._/-]*$/;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CURL = 'curl --fail --silent --show-error --location --proto =https --proto-redir =https --max-redirs 5 --retry 3 --retry-connrefused';

/**
 * The verifier script for an artifact (see `VerifierScriptOptions`).
 *
 * @internal
 */
export function verifierScript(artifact: PinnedArtifact, options: VerifierScriptOptions): string {
  if (!SAFE_PATH.test(options.root) || !SAFE_NAME.test(options.name) || (options.sourcePath !== undefined && !SAFE_PATH.test(options.sourcePath))) {
    throw new Error(`verifier paths must be absolute paths of [A-Za-z0-9._/-]: ${JSON.stringify(options)}`);
  }
  const hex = artifact.digest.slice('sha256:'.length);
  if (!/^[a-f0-9]{64}$/.test(hex)) {
    throw new Error(`verifier digest ${JSON.stringify(artifact.digest)} is not sha256:<64 lowercase hex>`);
  }
  const lines = [
    '#!/bin/sh',
    `# cdk-compliant-ml verifier (control MOD-1): ${artifact.source} ${artifact.reference} pinned by ${artifact.digest}`,
    'set -eu',
    'umask 022',
    'LC_ALL=C; export LC_ALL',
    `root=${quote(options.root)}`,
    'stage="$root/.incoming"',
    `target="$root/"${quote(options.name)}`,
    `expected=${quote(hex)}`,
    'fail() { echo "verifier: $*" >&2; exit 1; }',
    'cleanup() { status=$?; rm -rf "$stage" "$root/.manifest" "$root/.expected" "$root/.files" "$root/.sorted"; if [ "$status" -ne 0 ]; then rm -rf "$target"; fi; }',
    'trap cleanup EXIT',
    'trap \'exit 1\' HUP INT TERM',
    'rm -rf "$stage" "$target"',
    'mkdir -p "$stage"',
    ...fetchLines(artifact, options),
    ...verifyLines(artifact),
    'mv "$stage" "$target"',
    `echo "verifier: ${artifact.source} ${artifact.reference} verified as sha256:$expected into $target"`,
    '',
  ];
  return lines.join('\n');
}

/**
 * Quotes a value for POSIX sh: single quotes, with each `'` written as `'\''`.
 *
 * @internal
 */
export function quote(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}

function fetchLines(artifact: PinnedArtifact, options: VerifierScriptOptions): string[] {
  if (artifact.source !== ArtifactSource.URI) {
    const from = options.sourcePath ?? (artifact.source === ArtifactSource.OCI ? '/models' : '/cdk-compliant-ml/source');
    return [
      `[ -d ${quote(from)} ] || fail ${quote(`${from} is not a directory in this container`)}`,
      `cp -R ${quote(`${from}/.`)} "$stage/"`,
    ];
  }
  const uri = artifact.uri!;
  if (!artifact.isDirectory) {
    const file = `"$stage/"${quote(uri.slice(uri.lastIndexOf('/') + 1))}`;
    switch (artifact.scheme) {
      case 's3': return [`aws s3 cp --only-show-errors --no-progress ${quote(uri)} ${file}`];
      case 'gs': return [`gcloud storage cp --no-user-output-enabled ${quote(uri)} ${file}`];
      default: return [`${CURL} --output ${file} ${quote(uri)}`];
    }
  }
  switch (artifact.scheme) {
    case 's3': return [`aws s3 sync --only-show-errors --no-progress --exclude ${quote(MANIFEST_FILE_NAME)} ${quote(uri)} "$stage"`];
    case 'gs': return [`gcloud storage rsync --recursive --no-user-output-enabled --exclude ${quote(`^${MANIFEST_FILE_NAME}$`)} ${quote(uri)} "$stage"`];
    default: return [
      `${CURL} --output "$root/.expected" ${quote(uri + MANIFEST_FILE_NAME)}`,
      '[ "$(sha256sum "$root/.expected" | cut -c1-64)" = "$expected" ] || fail "the manifest is not sha256:$expected"',
      'while IFS= read -r line; do',
      '  hex=${line%%  *}; file=${line#*  }',
      '  case "$hex" in *[!0-9a-f]*) fail "the manifest has a malformed line: $line";; esac',
      '  [ ${#hex} -eq 64 ] || fail "the manifest has a malformed line: $line"',
      '  case "/$file/" in *[!A-Za-z0-9._+/-]*|*//*|*/./*|*/../*) fail "the manifest lists a path outside the format: $file";; esac',
      `  ${CURL} --create-dirs --output "$stage/$file" ${quote(uri)}"$file"`,
      'done < "$root/.expected"',
    ];
  }
}

/** Lists every regular file below "$stage" (relative, one a line) into "$root/.files"; fails on links, odd names and other types. */
function listLines(): string[] {
  return [
    'list() {',
    '  for entry in "$1"/* "$1"/.[!.]* "$1"/..?*; do',
    '    rel=${entry#"$stage"/}',
    '    if [ -L "$entry" ]; then fail "not a regular file: $rel"; fi',
    '    [ -e "$entry" ] || continue',
    '    case "$rel" in *[!A-Za-z0-9._+/-]*) fail "a file name is outside [A-Za-z0-9._+-/]: $rel";; esac',
    '    if [ -d "$entry" ]; then list "$entry"; elif [ -f "$entry" ]; then printf \'%s\\n\' "$rel"; else fail "not a regular file: $rel"; fi',
    '  done',
    '}',
    'list "$stage" > "$root/.files"',
  ];
}

function verifyLines(artifact: PinnedArtifact): string[] {
  if (artifact.source === ArtifactSource.OCI) {
    // the container runtime pulled the image by its digest and verified every layer; what is left is to copy it out intact
    return [...listLines(), '[ -s "$root/.files" ] || fail "the image holds no files below the model path"'];
  }
  return artifact.isDirectory ? verifyDirectoryLines() : verifyFileLines();
}

function verifyFileLines(): string[] {
  return [
    ...listLines(),
    'count=0; while IFS= read -r line; do count=$((count + 1)); file=$line; done < "$root/.files"',
    '[ "$count" -eq 1 ] || fail "expected exactly one file, found $count"',
    'actual=$(sha256sum "$stage/$file" | cut -c1-64)',
    '[ "$actual" = "$expected" ] || fail "sha256 mismatch: got $actual, want $expected"',
  ];
}

function verifyDirectoryLines(): string[] {
  return [
    `rm -f "$stage/${MANIFEST_FILE_NAME}"`,
    ...listLines(),
    ': > "$root/.manifest"',
    'LC_ALL=C sort "$root/.files" > "$root/.sorted"',
    'while IFS= read -r file; do (cd "$stage" && sha256sum "$file") >> "$root/.manifest"; done < "$root/.sorted"',
    '[ -s "$root/.manifest" ] || fail "no files"',
    'actual=$(sha256sum "$root/.manifest" | cut -c1-64)',
    '[ "$actual" = "$expected" ] || { cat "$root/.manifest" >&2; fail "manifest sha256 mismatch: got $actual, want $expected"; }',
  ];
}
