import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ModelArtifactOptions, OciArtifactMount } from './artifact-props';
import { ArtifactToVerify, renderArtifacts, RenderedArtifacts } from './artifact-verifier';
import { EgressRule } from './network';
import { propError } from '../core/errors';
import { ArtifactSource, DatasetArtifact, ModelArtifact, PinnedArtifact, validateArtifact } from '../core/model-artifact';
import { ModelMetadata } from '../core/provenance';

/**
 * The artifacts of a Kubernetes workload, validated and rendered (MOD-1).
 *
 * @internal
 */
export interface WiredArtifacts extends RenderedArtifacts {
  readonly modelArtifact?: ModelArtifact;
  readonly datasetArtifacts: DatasetArtifact[];
  /** The egress rules the downloads need (the user's `artifactEgress`). */
  readonly egress: EgressRule[];
  /** The images of the verifiers. */
  readonly images: string[];
  /** The model metadata with the artifact's digest filled in (META-2 then records the verified digest). */
  readonly model?: ModelMetadata;
}

/**
 * Validates `modelArtifact` (and `datasetArtifacts`) against the construct's other props and renders their verifiers: a service
 * that names `model.uri` without `modelArtifact` needs a MOD-1 waiver; a URI artifact needs `artifactEgress` while the
 * NetworkPolicy is on; `model.digest`, when given, must equal the artifact's digest.
 *
 * @internal
 */
export function wireArtifacts(scope: IConstruct, props: ModelArtifactOptions & { datasetArtifacts?: DatasetArtifact[] }, o: {
  model?: ModelMetadata;
  /** Whether `model.uri` without an artifact needs a MOD-1 waiver (a service: the URI is where it loads its weights from). */
  uriNeedsArtifact: boolean;
  requireWaiver: (control: string, prop: string, value: unknown, why: string) => void;
  withPolicy: boolean;
  user: number;
  group: number;
  modelMountPath: string;
  modelVolumeName: string;
  modelSize: Size;
  modelSizeProp: string;
  datasetSize?: Size;
}): WiredArtifacts {
  const modelArtifact = props.modelArtifact === undefined ? undefined
    : validateArtifact(scope, 'modelArtifact', props.modelArtifact, 'ModelArtifact', { allowVolumeClaim: true });
  const datasetArtifacts = (props.datasetArtifacts ?? []).map((d, i) => validateArtifact(scope, `datasetArtifacts[${i}]`, d, 'DatasetArtifact', { allowVolumeClaim: true }));
  if (!modelArtifact && o.uriNeedsArtifact && o.model?.uri !== undefined) {
    o.requireWaiver('MOD-1', 'model.uri', o.model.uri, 'the server would load weights from this URI that nothing verifies; declare modelArtifact '
      + '(ModelArtifact.fromUri(uri, \'sha256:...\'), fromOci or fromVolumeClaim) so an init container verifies them first');
  }
  if (modelArtifact && o.model?.digest !== undefined && o.model.digest !== modelArtifact.digest) {
    throw propError(scope, 'model.digest', o.model.digest, `differs from modelArtifact's digest ${modelArtifact.digest}`, 'drop model.digest (the artifact\'s digest is recorded) or make them equal');
  }
  const all: PinnedArtifact[] = [...(modelArtifact ? [modelArtifact] : []), ...datasetArtifacts];
  const egress = props.artifactEgress ?? [];
  if (o.withPolicy && egress.length === 0 && all.some((a) => a.source === ArtifactSource.URI)) {
    const uri = all.find((a) => a.source === ArtifactSource.URI)!.uri;
    throw propError(scope, 'artifactEgress', undefined, `is required to download ${uri}: the default-deny NetworkPolicy would block the verifier`,
      'give the narrowest peer, e.g. artifactEgress: [{ peer: NetworkPeer.cidr(\'<bucket endpoint or VPC endpoint CIDR>\'), port: 443 }]');
  }
  const items: ArtifactToVerify[] = [];
  if (modelArtifact) {
    items.push({ artifact: modelArtifact, prop: 'modelArtifact', containerName: 'model-verifier', volumeName: o.modelVolumeName, mountPath: o.modelMountPath, size: o.modelSize, sizeProp: o.modelSizeProp });
  }
  datasetArtifacts.forEach((artifact, i) => items.push({
    artifact,
    prop: `datasetArtifacts[${i}]`,
    containerName: `dataset-verifier-${i}`,
    volumeName: `dataset-artifact-${i}`,
    mountPath: `/datasets/${i}`,
    size: o.datasetSize ?? Size.gibibytes(20),
    sizeProp: 'artifactCacheSize',
  }));
  const rendered = renderArtifacts(scope, items, {
    user: o.user,
    group: o.group,
    verifierImage: props.artifactVerifierImage,
    ociMount: props.ociArtifactMount ?? OciArtifactMount.INIT_COPY,
    ociPath: props.ociArtifactPath ?? '/models',
    modelArtifact,
    datasetArtifacts,
  });
  const images = rendered.initContainers.map((c) => c.image!).filter((image, i, list) => list.indexOf(image) === i);
  const model = o.model && modelArtifact ? { ...o.model, digest: o.model.digest ?? modelArtifact.digest } : o.model;
  return { ...rendered, modelArtifact, datasetArtifacts, egress: items.length > 0 ? egress : [], images, model };
}
