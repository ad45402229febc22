// MOD-1: the model weights (and a training job's datasets) pinned by digest and verified by an init container before the main
// container starts.
import { PodView } from './manifest';
import { carriesModel, WorkloadProfile } from './profile';
import { Finding } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';
import { ANNOTATION_PREFIX } from '../metadata';

const MODEL_URI = `model.${ANNOTATION_PREFIX}/uri`;

/**
 * MOD-1. Rule: "Applies to every workload; each artifact (the model, and every dataset of a training job) is judged alone. An
 * artifact is verified when an init container that is not a restartable sidecar (so it exits before any regular container starts)
 * declares it in its env (`ARTIFACT_SOURCE`, `ARTIFACT_REFERENCE`, `ARTIFACT_DIGEST` = `sha256:<64 hex>`), runs `sh -c` with
 * exactly the library's verifier script for that artifact (regenerated from those values and its mounts: a hand-edited script
 * does not count), writes an `emptyDir` volume that every other container mounts only with `readOnly: true`, and the main
 * container mounts that volume read-only; for an OCI artifact the verifier's image is the reference itself, for a claim the claim
 * is mounted read-only. The ImageVolume path counts too: an `image` volume whose reference is pinned by that digest, mounted
 * read-only by the main container. Enforced when the model is verified, the main container's `MODEL_DIGEST` equals its digest,
 * and every declared artifact is verified; the evidence names the digest and the verifying container. Violated when the workload
 * declares an artifact (the `model-artifact.compliance.cdk-compliant-ml.io/digest` or `dataset-artifact-<n>...` annotations on
 * the workload or its pod template, or a verifier env) that is not verified as above, when `MODEL_DIGEST` differs or is missing,
 * or when a model server (the profile rule of META-2) names a model URI (`model.compliance.cdk-compliant-ml.io/uri`) without a
 * verified model. A token or placeholder in a digest, reference or script: unverified. No artifact declared and no model URI:
 * external for a model server or a training job (the weights may be inside the digest-pinned image or fetched from somewhere the
 * output does not show), not-applicable for any other workload."
 *
 * First cut: the verdicts for workloads without a verifier; the verifier rule follows.
 *
 * @internal
 */
export function modelArtifactVerified(p: PodView): Finding {
  const annotations = { ...p.obj.metadata?.annotations };
  const uri = annotations[MODEL_URI];
  if (p.profile === WorkloadProfile.MODEL_SERVER && uri !== undefined) {
    return { id: 'MOD-1', status: ControlStatus.VIOLATED, evidence: [`${p.ev(`metadata.annotations["${MODEL_URI}"]`, uri)} names the model, and no init container verifies it`] };
  }
  if (carriesModel(p.profile)) {
    return {
      id: 'MOD-1',
      status: ControlStatus.EXTERNAL,
      evidence: [`${p.kind} ${p.name}: no model artifact declared and no verifying init container; the weights are inside the digest-pinned image or fetched from somewhere the output does not show`],
    };
  }
  return { id: 'MOD-1', status: ControlStatus.NOT_APPLICABLE, evidence: [`${p.kind} ${p.name}: not a model server or training workload, and it declares no model artifact`] };
}
