import { ImageReference } from './image-reference';
import { ArtifactSource, PinnedArtifact } from './model-artifact';

// The images that run the verifier script (core/model-verifier-script.ts) per source, shared by both backends. Each is pinned by
// a digest that a public repository pins, found with the code search of this project's tooling (which tag, and where):
// - s3: the official AWS CLI v2 image (Amazon Linux 2 with bash and coreutils), tag 2.37.10:
//   `docker.io/amazon/aws-cli:2.37.10@sha256:3dacc5db…` as pinned in a public mirror script of a Nextcloud deployment
//   (code index file 70137915311: `AWS_IMAGE = 'docker.io/amazon/aws-cli:2.37.10@sha256:…'`);
// - gs: Google's Cloud CLI image (Debian with bash, coreutils and curl), tag 573.0.0-stable:
//   `gcr.io/google.com/cloudsdktool/google-cloud-cli:573.0.0-stable` → `@sha256:f5fae73a…` as a public tool-pin table lists it
//   (code index file 64169395645, row `gcloud@573.0`);
// - https and claims: curl's official image (Alpine with busybox sh, sha256sum, sort, cp), tag 8.10.1:
//   `curlimages/curl:8.10.1@sha256:d9b4541e…` as medizininformatik-initiative/dataportal-es-init pins it in its Dockerfile.
// An OCI artifact needs none of them: its own digest-pinned image copies the files out (it must contain `sh` and `cp`, as
// KServe modelcars do). Every image can be replaced through the constructs' `artifactVerifierImage` prop (e.g. a mirror).

/** @internal */
export const AWS_CLI_IMAGE = 'docker.io/amazon/aws-cli:2.37.10@sha256:3dacc5db57c923c4223e949795f538ecf1f2212b2b7d5a028b47b97f91564c0d';
/** @internal */
export const GOOGLE_CLOUD_CLI_IMAGE = 'gcr.io/google.com/cloudsdktool/google-cloud-cli:573.0.0-stable@sha256:f5fae73a6f1c60b58a1150ff76771a43620891d4dd74abc527c8eca0d544b385';
/** @internal */
export const CURL_IMAGE = 'docker.io/curlimages/curl:8.10.1@sha256:d9b4541e214bcd85196d6e92e2753ac6d0ea699f0af5741f8c6cccbfcf00ef4b';

/**
 * The image that runs the verifier of an artifact: the override when given, else the default for its source and scheme; for an
 * OCI artifact its own image.
 *
 * @internal
 */
export function verifierImageOf(artifact: PinnedArtifact, override?: ImageReference): ImageReference {
  if (artifact.source === ArtifactSource.OCI) {
    return artifact.imageReference!;
  }
  if (override) {
    return override;
  }
  const scheme = artifact.source === ArtifactSource.VOLUME_CLAIM ? 'claim' : artifact.scheme;
  return ImageReference.fromString(scheme === 's3' ? AWS_CLI_IMAGE : scheme === 'gs' ? GOOGLE_CLOUD_CLI_IMAGE : CURL_IMAGE);
}
