/* eslint-disable @typescript-eslint/no-explicit-any */
import { Duration, Testing } from 'cdk8s';
import { ControlStatus, ImageReference, k8s } from '../../src';
import { expectValidManifests } from '../support/k8s-validate';
import { podSpecOf, pssRestrictedViolations } from '../support/pss';

const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-train@sha256:${'c'.repeat(64)}`);

function synth(props: Partial<k8s.CompliantTrainingJobProps> = {}) {
  const chart = Testing.chart();
  const job = new k8s.CompliantTrainingJob(chart, 'retrain', { image: IMAGE, ...props });
  const docs = expectValidManifests(Testing.synth(chart));
  for (const d of docs) {
    expect(pssRestrictedViolations(d)).toEqual([]);
  }
  const of = (kind: string) => docs.find((d) => d.kind === kind);
  const workload = of('Job') ?? of('CronJob');
  const pod = podSpecOf(workload);
  const status = (id: string) => job.complianceEntry().controls.find((c) => c.id === id);
  return { job, docs, of, workload, pod, main: pod.containers[0], status };
}

describe('defaults', () => {
  test('JOB-1/2/3: Never restart, backoffLimit 3, 24 h deadline, 7 day TTL, podFailurePolicy', () => {
    const { workload, pod } = synth();
    expect(workload.kind).toBe('Job');
    expect(pod.restartPolicy).toBe('Never');
    expect(workload.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 86400, ttlSecondsAfterFinished: 604800 });
    expect(workload.spec.podFailurePolicy.rules).toEqual([
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onPodConditions: [], onExitCodes: { containerName: 'main', operator: 'In', values: [2, 126, 127] } },
    ]);
  });

  test('the shipper is a native sidecar: no regular long-running container shares the pod with the trainer', () => {
    const { pod } = synth();
    expect(pod.containers.map((c: any) => c.name)).toEqual(['main']);
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-shipper', 'Always']]);
  });

  test('same pod hardening as the service, checkpoint contract and run identity', () => {
    const { pod, main } = synth({ codeRevision: 'abc1234', datasets: [{ name: 'transactions', version: '2026-11' }] });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
    expect(main.env).toEqual(expect.arrayContaining([
      { name: 'CHECKPOINT_DIR', value: '/checkpoints' }, { name: 'RESUME_FROM_CHECKPOINT', value: 'true' }, { name: 'CODE_REVISION', value: 'abc1234' },
    ]));
    expect(main.resources.requests).toEqual({ 'cpu': '2', 'memory': '8192Mi', 'ephemeral-storage': '10240Mi' });
  });

  test('NetworkPolicy: ingress only from pods of the same job, egress only to DNS, the log port and those pods', () => {
    const { of } = synth();
    const np = of('NetworkPolicy').spec;
    const self = { podSelector: { matchLabels: np.podSelector.matchLabels } };
    expect(Object.keys(np.podSelector.matchLabels)).toEqual(['app.kubernetes.io/instance']);
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toEqual([{ from: [self] }]);
    expect(np.egress).toHaveLength(3);
    expect(np.egress[1]).toEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } } }], ports: [{ port: 24224, protocol: 'TCP' }] });
    expect(np.egress[2]).toEqual({ to: [self] });
  });

  test('report entry: JOB-*, SEC-*, IMG-*, RES-1 enforced; PRB-1 not applicable; nothing violated', () => {
    const { job } = synth({ model: { name: 'fraud-scorer', version: '1.5.0' } });
    const entry = job.complianceEntry();
    expect(entry.kind).toBe('CompliantTrainingJob');
    const of = (s: ControlStatus) => entry.controls.filter((c) => c.status === s).map((c) => c.id);
    expect(of(ControlStatus.VIOLATED)).toEqual([]);
    expect(of(ControlStatus.ENFORCED)).toEqual(expect.arrayContaining(['JOB-1', 'JOB-2', 'JOB-3', 'SEC-1', 'SEC-9', 'IMG-1', 'IMG-3', 'RES-1', 'NET-1', 'META-2']));
    expect(entry.controls.find((c) => c.id === 'LOG-1')!.status).toBe(ControlStatus.EXTERNAL);
    expect(of(ControlStatus.NOT_APPLICABLE)).toEqual(['PRB-1']);
    expect(entry.controls.map((c) => c.id)).not.toContain('AVL-1');
  });

  test('snapshot of the defaults', () => {
    expect(synth().docs).toMatchSnapshot();
  });
});

describe('options', () => {
  test('schedule makes a CronJob with Forbid, a starting deadline and bounded history', () => {
    const { workload, pod, status } = synth({ schedule: '0 3 * * *' });
    expect(workload.kind).toBe('CronJob');
    expect(workload.spec).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 600, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(workload.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(86400);
    expect(pod.initContainers[0].restartPolicy).toBe('Always');
    expect(status('JOB-2')!.status).toBe(ControlStatus.ENFORCED);
  });

  test('completions switch to Indexed mode for distributed runs', () => {
    const { workload } = synth({ parallelism: 4, completions: 4 });
    expect(workload.spec).toMatchObject({ parallelism: 4, completions: 4, completionMode: 'Indexed' });
  });

  test('datasets are mounted read-only from PVCs; checkpoints from a PVC', () => {
    const { pod, main } = synth({ datasetClaims: [{ claimName: 'tx-2026-11', mountPath: '/data/train' }], checkpointClaimName: 'retrain-ckpt' });
    expect(pod.volumes).toContainEqual({ name: 'dataset-0', persistentVolumeClaim: { claimName: 'tx-2026-11', readOnly: true } });
    expect(pod.volumes).toContainEqual({ name: 'checkpoints', persistentVolumeClaim: { claimName: 'retrain-ckpt' } });
    expect(main.volumeMounts).toContainEqual({ name: 'dataset-0', mountPath: '/data/train', readOnly: true });
    const csi = synth({ datasetClaims: [{ csi: { driver: 's3.csi.aws.com', volumeAttributes: { bucketName: 'acme-data' } }, mountPath: '/data' }] });
    expect(csi.pod.volumes).toContainEqual({ name: 'dataset-0', csi: { driver: 's3.csi.aws.com', volumeAttributes: { bucketName: 'acme-data' }, readOnly: true } });
  });

  test('provenance annotations: model, datasets, code revision and run id', () => {
    const { workload } = synth({ model: { name: 'm', version: '2' }, datasets: [{ name: 'tx', version: '7', uri: 's3://d/tx/' }], codeRevision: 'abcdef1', runId: 'run-42' });
    expect(workload.metadata.annotations).toMatchObject({
      'model.compliance.cdk-compliant-ml.io/version': '2',
      'dataset-0.compliance.cdk-compliant-ml.io/uri': 's3://d/tx/',
      'run.compliance.cdk-compliant-ml.io/id': 'run-42',
      'run.compliance.cdk-compliant-ml.io/code-revision': 'abcdef1',
    });
    expect(workload.metadata.labels['app.kubernetes.io/component']).toBe('training-job');
  });

  test('GPU pods get resource limits, selector and tolerations', () => {
    const { main, pod } = synth({ gpuCount: 8, nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'gpu', operator: 'Exists' }] });
    expect(main.resources.limits['nvidia.com/gpu']).toBe('8');
    expect(pod.nodeSelector).toEqual({ pool: 'gpu' });
  });
});

describe('bad input', () => {
  test.each([
    [{ backoffLimit: -1 }, 'test/retrain: invalid backoffLimit -1: must be an integer in 0..100'],
    [{ backoffLimit: 1.5 }, 'test/retrain: invalid backoffLimit 1.5'],
    [{ parallelism: 0 }, 'test/retrain: invalid parallelism 0'],
    [{ completions: 2.5 }, 'test/retrain: invalid completions 2.5'],
    [{ activeDeadline: Duration.seconds(0) }, 'test/retrain: invalid activeDeadline "0s": must be a positive whole number of seconds'],
    [{ schedule: '0 3 * *' }, 'test/retrain: invalid schedule "0 3 * *": has 4 fields; a Kubernetes schedule has five'],
    [{ schedule: 'every day' }, 'invalid schedule "every day"'],
    [{ ttlAfterFinished: Duration.hours(1) }, 'test/retrain: invalid ttlAfterFinished "3600s": is shorter than evidenceHarvestWindow (86400s)'],
    [{ nonRetryableExitCodes: [0] }, 'test/retrain: invalid nonRetryableExitCodes[0] 0'],
    [{ startingDeadline: Duration.seconds(5), schedule: '@daily' }, 'test/retrain: invalid startingDeadline "5s": must be a whole number of seconds in 10..86400s'],
    [{ datasetClaims: [{ claimName: 'x', mountPath: '/tmp' }] }, 'invalid datasetClaims[0].mountPath "/tmp"'],
    [{ networkPolicy: false }, '(control NET-1)'],
    [{ env: { CHECKPOINT_DIR: '/elsewhere' } }, 'test/retrain: invalid env.CHECKPOINT_DIR "CHECKPOINT_DIR": is set by the construct'],
    [{ datasetClaims: [{ mountPath: '/data' }] }, 'test/retrain: invalid datasetClaims[0] {"mountPath":"/data"}: needs exactly one of claimName and csi'],
    [{ datasets: [{ name: 'tx', version: 'latest' }] }, 'test/retrain: invalid datasets[0].version "latest"'],
  ])('fails for %j', (props, message) => {
    expect(() => synth(props as any)).toThrow(message);
  });
});
