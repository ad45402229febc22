// Hand-built report entries for the ML-BOM tests: what #19 (ModelArtifact) will fill from the output, written out here so the
// BOM's handling of modelArtifact and datasetArtifacts is tested before anything populates them.
import { ControlCatalogue } from '../../../src/compliance/catalogue';
import { ControlScope } from '../../../src/compliance/control';
import { Backend, ControlResult, ControlStatus, WorkloadReport } from '../../../src/compliance/report-model';

/** A digest of one repeated hex character. */
export const digest = (hex: string): string => `sha256:${hex.repeat(64 / hex.length)}`;

export const SCORER_IMAGE = `ghcr.io/acme/fraud-scorer:1.4.2@${digest('3b')}`;
export const SHIPPER_IMAGE = `cr.fluentbit.io/fluent/fluent-bit:3.2.10@${digest('d6')}`;
export const TRAINER_IMAGE = `localhost:5000/ml/team/fraud-train@${digest('7d')}`;
export const ECS_IMAGE = `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/credit-risk-api:2.3.0@${digest('0c')}`;
export const UNPINNED_IMAGE = 'nginx:latest';

/** One result per control of a scope, all enforced unless `statuses` says otherwise (not-applicable ones get no evidence). */
export function controls(scope: ControlScope, statuses: Record<string, ControlStatus> = {}): ControlResult[] {
  return ControlCatalogue.forScope(scope).map((c) => {
    const status = statuses[c.id] ?? ControlStatus.ENFORCED;
    return {
      id: c.id,
      status,
      articles: c.articles,
      evidence: status === ControlStatus.NOT_APPLICABLE ? [] : [`Deployment x-1234 spec.field[${c.id}]=${JSON.stringify(status)}`],
      ...(status === ControlStatus.WAIVED
        ? { waiver: { control: c.id, reason: `accepted for ${c.id}`, approvedBy: 'ciso@acme.example', expires: '2027-06-30' }, waiverSource: 'construct fraud/scorer' }
        : {}),
    };
  });
}

/** A model service with a pinned OCI model artifact whose digest differs from the one its metadata declares. */
export const SERVICE: WorkloadReport = {
  path: 'fraud/scorer',
  kind: 'CompliantModelService',
  backend: Backend.KUBERNETES,
  images: [SCORER_IMAGE, SHIPPER_IMAGE],
  model: { name: 'fraud-scorer', version: '1.4.2', uri: 'models:/fraud-scorer/7', digest: digest('11'), framework: 'sklearn', registry: 'mlflow.acme.internal' },
  modelArtifact: { source: 'oci', reference: `registry.acme.example:8443/models/fraud/scorer:1.4.2@${digest('aa')}`, digest: digest('aa'), verifier: 'model-verifier' },
  controls: controls(ControlScope.SERVICE, {
    'NET-1': ControlStatus.VIOLATED,
    'PRB-1': ControlStatus.UNVERIFIED,
    'SEC-5': ControlStatus.WAIVED,
    'LOG-2': ControlStatus.EXTERNAL,
    'AVL-2': ControlStatus.EQUIVALENT,
  }),
};

/** A training job: input weights from a URI, one dataset recorded and pinned, one pinned only (a volume claim). */
export const TRAINING_JOB: WorkloadReport = {
  path: 'fraud/retrain',
  kind: 'CompliantTrainingJob',
  backend: Backend.KUBERNETES,
  images: [TRAINER_IMAGE, SHIPPER_IMAGE],
  model: { name: 'fraud-scorer', version: '1.5.0', trainingRunId: 'run-42' },
  modelArtifact: { source: 'uri', reference: 'https://models.acme.example/base/fraud-base-v3.safetensors', digest: digest('bb') },
  datasets: [
    { name: 'transactions', version: '2026-11', uri: 's3://acme-data/transactions/2026-11/', digest: digest('cc') },
    { name: 'chargebacks', version: '2026-10', uri: 'models:/not-a-linkable-scheme' },
  ],
  datasetArtifacts: [
    { source: 'uri', reference: 's3://acme-data/transactions/2026-11/', digest: digest('cc'), verifier: 'dataset-verifier' },
    { source: 'volume-claim', reference: 'labels-2026-11', digest: digest('dd') },
  ],
  controls: controls(ControlScope.JOB, { 'PRB-1': ControlStatus.NOT_APPLICABLE, 'JOB-3': ControlStatus.VIOLATED }),
};

/** A foreign ECS service: an image with intrinsic parts, no model. */
export const ECS_SERVICE: WorkloadReport = {
  path: 'CreditRiskApi/Service',
  kind: 'Service',
  backend: Backend.ECS,
  images: [ECS_IMAGE],
  controls: controls(ControlScope.SERVICE, { 'SEC-1': ControlStatus.UNVERIFIED }),
  acknowledgedRules: [{ rule: 'AwsSolutions-ECS2', reason: 'the environment holds no secret', path: 'CreditRiskApi/Service/TaskDef' }],
};

/** A foreign Deployment of a `check` input: an unpinned image, no model. */
export const FOREIGN: WorkloadReport = {
  path: 'manifests/legacy.yaml#Deployment/legacy-web',
  kind: 'Deployment',
  backend: Backend.KUBERNETES,
  images: [UNPINNED_IMAGE],
  controls: controls(ControlScope.SERVICE, { 'IMG-1': ControlStatus.VIOLATED, 'IMG-2': ControlStatus.VIOLATED }),
};

export const ALL = [SERVICE, TRAINING_JOB, ECS_SERVICE, FOREIGN];
