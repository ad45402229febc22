import { TaskView } from './task-view';
import { ControlScope } from '../../compliance/control';
import { Finding } from '../../compliance/finding';
import { ControlStatus } from '../../compliance/report-model';

/**
 * MOD-1. Rule: "Applies to every task definition; each artifact (the model, and every dataset of a training job) is judged alone.
 * An artifact is verified when a container with `Essential: false` declares it in its `Environment` (`ARTIFACT_SOURCE`,
 * `ARTIFACT_REFERENCE`, `ARTIFACT_DIGEST` = `sha256:<64 hex>`), runs `sh -c` with exactly the library's verifier script for that
 * artifact (regenerated from those values and its mount points), and writes a task volume that every other container mounts only
 * with `ReadOnly: true`; the main (essential) container `DependsOn` it with `Condition: SUCCESS` and mounts that volume
 * read-only; for an OCI artifact the verifier's `Image` is the reference itself. Enforced when the model is verified, the main
 * container's `MODEL_DIGEST` equals its digest and every declared artifact is verified; the evidence names the digest and the
 * verifying container. Violated when the task declares an artifact (the `model-artifact.compliance.cdk-compliant-ml.io/digest`
 * docker label or a verifier environment) that is not verified as above, when `MODEL_DIGEST` differs or is missing, or when a
 * model server names a model URI without a verified model. An intrinsic in a digest, reference, image or command: unverified. No
 * artifact declared and no model URI: external for a model server or a training job, not-applicable for any other task."
 *
 * MOD-1 on ECS, first cut (owned by the ECS model work of issue #19, which replaces it with the full rule of
 * src/compliance/verdict-rules.ts): no ECS construct renders a verifier yet, so no task can show a verified model; a task
 * that declares itself a model server or training job is `external` (the weights may be inside the digest-pinned image), any
 * other task `not-applicable` — the rule's verdicts for a task without artifact or model URI.
 *
 * @internal
 */
export function modelArtifactVerified(task: TaskView, scope: ControlScope): Finding {
  const declaration = task.mlDeclaration;
  if (declaration === undefined) {
    return {
      id: 'MOD-1',
      status: ControlStatus.NOT_APPLICABLE,
      evidence: [`TaskDefinition ${task.id}: not a model server or training job (no ${'`'}app.kubernetes.io/component${'`'} model-server/training-job, no model.* docker label), and it declares no model artifact`],
    };
  }
  return {
    id: 'MOD-1',
    status: ControlStatus.EXTERNAL,
    evidence: [`TaskDefinition ${task.id} declares no model artifact and no verifier container (${scope === ControlScope.JOB ? 'base model of a training job' : 'model weights'}): `
      + 'the weights are inside the digest-pinned image or fetched from somewhere the template does not show'],
  };
}
