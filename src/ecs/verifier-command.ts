/* eslint-disable @typescript-eslint/no-explicit-any */
import { ImageReference } from '../core/image-reference';
import { ArtifactSource, ModelArtifact, PinnedArtifact } from '../core/model-artifact';
import { verifierScript } from '../core/model-verifier-script';

/**
 * The commands of the ECS verifier containers, written by the renderer and read back by the MOD-1 checker: one definition, so
 * that what the checker accepts is exactly what the constructs render.
 *
 * Every verifier runs the shared POSIX verifier script (core/model-verifier-script.ts) as `/bin/sh -c <script>`: for a URI it
 * fetches and verifies the file or the manifest's files; for an OCI artifact the container runs the modelcar image itself
 * (pinned by digest, so the container runtime verifies it on pull) and the script copies its `/models` into the task volume,
 * which needs `sh`, `cp`, `find`, `sort`, `sed` and `sha256sum` in the modelcar image (busybox-based modelcars have them).
 */

/** The entry point of every verifier container. */
export const VERIFIER_ENTRY_POINT = ['/bin/sh', '-c'];
/** The environment variables a verifier declares its artifact in. */
export const ARTIFACT_VARIABLES = { source: 'ARTIFACT_SOURCE', reference: 'ARTIFACT_REFERENCE', digest: 'ARTIFACT_DIGEST' };
const ROOT_LINE = /^root='([A-Za-z0-9._/-]+)'$/;
const TARGET_LINE = /^target="\$root\/"'([A-Za-z0-9][A-Za-z0-9._-]*)'$/;

/**
 * What a verifier container's command verifies, read back from the command.
 *
 * @internal
 */
export interface VerifierCommand {
  /** `oci` or `uri`. */
  readonly source: string;
  /** The OCI reference or the URI. */
  readonly reference: string;
  /** The digest the script compares against. */
  readonly digest: string;
  /** Where the verifier mounts the task volume it writes. */
  readonly root: string;
  /** The directory below the volume that receives the verified files. */
  readonly name: string;
}

/**
 * The entry point and command of a verifier: the shared script for the artifact, writing `<root>/<name>`.
 *
 * @internal
 */
export function verifierContainerCommand(artifact: PinnedArtifact, root: string, name: string):
{ entryPoint: string[]; command: string[]; environment: Record<string, string> } {
  return {
    entryPoint: [...VERIFIER_ENTRY_POINT],
    command: [verifierScript(artifact, { root, name })],
    environment: {
      [ARTIFACT_VARIABLES.source]: artifact.source,
      [ARTIFACT_VARIABLES.reference]: artifact.reference,
      [ARTIFACT_VARIABLES.digest]: artifact.digest,
    },
  };
}

/**
 * Reads a container back: the artifact it declares in its environment (`ARTIFACT_SOURCE`, `ARTIFACT_REFERENCE`,
 * `ARTIFACT_DIGEST`), and whether its `EntryPoint` and `Command` are the library's verifier script for exactly that artifact
 * (regenerated from those values, its root and its target directory: an edited script, another script, an intrinsic or extra
 * arguments do not count). Undefined when the container declares no artifact.
 *
 * @internal
 */
export function readVerifierCommand(container: Record<string, unknown>): { declared: VerifierCommand; runsScript: boolean } | undefined {
  const env = Object.fromEntries((Array.isArray(container.Environment) ? container.Environment : [])
    .map((e: any) => [e?.Name, e?.Value]));
  const [source, reference, digest] = [env[ARTIFACT_VARIABLES.source], env[ARTIFACT_VARIABLES.reference], env[ARTIFACT_VARIABLES.digest]];
  if (source === undefined && reference === undefined && digest === undefined) {
    return undefined;
  }
  const script = Array.isArray(container.Command) && container.Command.length === 1 && typeof container.Command[0] === 'string' ? container.Command[0] : '';
  const lines = script.split('\n');
  const root = lines.map((l) => ROOT_LINE.exec(l)).find(Boolean)?.[1] ?? '';
  const name = lines.map((l) => TARGET_LINE.exec(l)).find(Boolean)?.[1] ?? '';
  const declared = { source: String(source), reference: String(reference), digest: String(digest), root, name };
  const entryPoint = container.EntryPoint;
  const entryPointMatches = Array.isArray(entryPoint) && entryPoint.length === VERIFIER_ENTRY_POINT.length
    && entryPoint.every((part, i) => part === VERIFIER_ENTRY_POINT[i]);
  if (!entryPointMatches
    || typeof source !== 'string' || typeof reference !== 'string' || typeof digest !== 'string' || !root || !name) {
    return { declared, runsScript: false };
  }
  try {
    const artifact = source === ArtifactSource.OCI
      ? ModelArtifact.fromOci(ImageReference.fromString(reference))
      : source === ArtifactSource.URI ? ModelArtifact.fromUri(reference, digest) : undefined;
    return { declared, runsScript: artifact !== undefined && artifact.digest === digest && verifierScript(artifact, { root, name }) === script };
  } catch {
    return { declared, runsScript: false };
  }
}
