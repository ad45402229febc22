import { EgressRule } from './network';
import { ImageReference } from '../core/image-reference';
import { ModelArtifact } from '../core/model-artifact';

/**
 * How the files of an OCI model artifact (a modelcar image) reach the main container.
 */
export enum OciArtifactMount {
  /**
   * An init container runs the modelcar image itself (pulled by its digest, which the runtime verifies) and copies its files into
   * the model cache `emptyDir`; the image needs `sh` and `cp` (KServe modelcars have them). Works on every Kubernetes version
   * (1.29+) and passes Pod Security "restricted".
   */
  INIT_COPY = 'init-copy',
  /**
   * An `image` volume (the ImageVolume feature: alpha in 1.31, beta from 1.33, on by default from 1.35; needs a runtime that
   * supports it, e.g. containerd 2.1+ or CRI-O 1.31+) mounted read-only by the main container, with no copy. The Kubernetes 1.30
   * schema has no `image` volume, so manifests with it fail there.
   */
  IMAGE_VOLUME = 'image-volume',
}

/**
 * The model weights as a pinned, verified input (control MOD-1), shared by the Kubernetes workload constructs.
 */
export interface ModelArtifactOptions {
  /**
   * The model weights, pinned by digest and verified before the main container starts (control MOD-1): for a service the model
   * it serves, for a training job the base model it fine-tunes.
   *
   * A URI or claim model is fetched and verified by an init container (`model-verifier`) into the model cache `emptyDir`, which
   * the main container mounts read-only at `modelCachePath` (training jobs: `/models`), with `MODEL_DIGEST` in its environment.
   *
   * @default - no pinned model: MOD-1 is `external` (the weights must be inside the digest-pinned image); a service that names
   * `model.uri` then needs a MOD-1 waiver
   */
  readonly modelArtifact?: ModelArtifact;

  /**
   * Where the verifiers may download from (`s3://`, `gs://`, `https://` artifacts), added to the NetworkPolicy's egress: give the
   * narrowest peer you can (the CIDR of the bucket's regional endpoint or of a VPC endpoint, or the pods of an egress proxy), on
   * port 443.
   *
   * @default - none; required for a URI artifact while the NetworkPolicy is on (the download would be denied)
   */
  readonly artifactEgress?: EgressRule[];

  /**
   * The image that runs the verifier script for URI and claim artifacts (it needs `sh`, `sha256sum`, `sort`, `cp` and the
   * scheme's client: `aws`, `gcloud` or `curl`), pinned by digest.
   *
   * @default - per scheme: the AWS CLI image for s3://, the Google Cloud CLI image for gs://, the curl image for https:// and
   * claims, each pinned by a published digest (README "Pinning the model")
   */
  readonly artifactVerifierImage?: ImageReference;

  /**
   * How an OCI model reaches the main container.
   *
   * @default OciArtifactMount.INIT_COPY
   */
  readonly ociArtifactMount?: OciArtifactMount;

  /**
   * Where the files lie inside an OCI artifact image.
   *
   * @default '/models' (the KServe modelcar layout)
   */
  readonly ociArtifactPath?: string;
}
