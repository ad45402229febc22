// The model control (MOD-*), transcribed as data from the project's control catalogue (CONTROLS.md, "MOD-1 Model artifact pinned
// and verified"). Control IDs are stable: never renumber or reuse one.
import { ControlDefinition, ControlFamily, ControlScope, ControlSeverity } from './control';

/** @internal */
export const MODEL_CONTROLS: ControlDefinition[] = [
  {
    id: 'MOD-1',
    family: ControlFamily.MODEL,
    title: 'Model artifact pinned by digest and verified before use',
    rationale: 'The weights decide every prediction: naming them by digest and verifying them before the main container starts makes '
      + 'every replica and re-run use the same model (Art. 15(1), 15(4)), stops swapped or poisoned weights (Art. 15(5)), and '
      + 'records which model version ran (Annex IV(2)). A mismatch, a missing or an extra file stops the workload (fail closed).',
    articles: ['Art. 15(1)', 'Art. 15(4)', 'Art. 15(5)', 'Annex IV(2)'],
    practice: 'model-registry',
    scope: ControlScope.ALL,
    severity: ControlSeverity.HIGH,
    severityRationale: 'Unverified weights can be swapped under the same URI: the image digest then pins the code but not the behaviour.',
    action: {
      kubernetes: 'declare `modelArtifact` (ModelArtifact.fromOci / fromUri / fromVolumeClaim) so that a verifying init container '
        + 'fetches and checks the weights, unless the weights are inside the digest-pinned image',
      ecs: 'declare `modelArtifact` (ModelArtifact.fromOci / fromUri) so that a verifying container the server depends on with '
        + 'condition SUCCESS fetches and checks the weights, unless the weights are inside the digest-pinned image',
    },
    kubernetes: 'An init container (restricted security context, digest-pinned image) fetches the model (`s3://`, `gs://`, '
      + '`https://`, a PersistentVolumeClaim mounted read-only, or the digest-pinned modelcar image), verifies the sha256 of the '
      + 'file or of the manifest of every file, and writes it into the model cache `emptyDir`; the server mounts it read-only and '
      + 'carries `MODEL_DIGEST`; the pod and workload carry the digest as an annotation.',
    ecs: 'A non-essential verifier container that the server `dependsOn` with `Condition: SUCCESS` writes the verified model into a '
      + 'task volume the server mounts read-only; S3 read scoped to the object or the manifest\'s prefix; `MODEL_DIGEST` and a '
      + 'docker label carry the digest.',
    externalRules: [
      { standard: 'KServe', id: 'kserve#5789' },
      { standard: 'OpenSSF', id: 'model-transparency#659' },
    ],
  },
];
