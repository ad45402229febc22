/* eslint-disable @typescript-eslint/no-explicit-any */
import { Testing } from 'cdk8s';
import { ControlStatus, DatasetArtifact, ImageReference, k8s, ModelArtifact } from '../../src';
import { expectValidManifests, k8sProblems } from '../support/k8s-validate';
import { pssRestrictedViolations } from '../support/pss';

// MOD-1 rendering on Kubernetes: the verifier init container, the read-only model mount, MODEL_DIGEST, the annotations, the
// NetworkPolicy egress, and the construct-time errors. The checker's mutation tests are in rules/model-artifact-rules.test.ts.

const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@sha256:${'a'.repeat(64)}`);
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const DIGEST = `sha256:${'b'.repeat(64)}`;
const EGRESS = [{ peer: k8s.NetworkPeer.cidr('52.219.168.0/24'), port: 443 }];
const MODELCAR = ImageReference.fromString(`ghcr.io/acme/fraud-modelcar:1.4.2@sha256:${'c'.repeat(64)}`);

function service(props: Partial<k8s.CompliantModelServiceProps>) {
  const chart = Testing.chart();
  const svc = new k8s.CompliantModelService(chart, 'scorer', { image: IMAGE, model: MODEL, ...props });
  const docs = Testing.synth(chart);
  const deployment = docs.find((d: any) => d.kind === 'Deployment');
  const pod = deployment.spec.template.spec;
  return { svc, docs, deployment, pod, policy: docs.find((d: any) => d.kind === 'NetworkPolicy'), mod1: svc.complianceEntry().controls.find((c) => c.id === 'MOD-1')! };
}

describe('MOD-1 rendering: a URI model is verified by an init container before the server starts', () => {
  test('s3: the verifier runs after the log shipper starts and before the server, restricted, with resources and HOME on an emptyDir', () => {
    const { pod, docs, mod1, svc } = service({ modelArtifact: ModelArtifact.fromUri('s3://models-acme/fraud/1.4.2/', DIGEST), artifactEgress: EGRESS });
    expectValidManifests(docs);
    docs.forEach((d: any) => expect(pssRestrictedViolations(d)).toEqual([]));
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['log-shipper', 'model-verifier']);
    const verifier = pod.initContainers[1];
    expect(verifier.restartPolicy).toBeUndefined();
    expect(verifier.image).toMatch(/^docker\.io\/amazon\/aws-cli:2\.37\.10@sha256:[a-f0-9]{64}$/);
    expect(verifier.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(verifier.command[2]).toContain('aws s3 sync --only-show-errors --no-progress --exclude \'SHA256SUMS\' \'s3://models-acme/fraud/1.4.2/\' "$stage"');
    expect(verifier.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(Object.keys(verifier.resources.limits).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
    expect(verifier.env).toEqual(expect.arrayContaining([{ name: 'HOME', value: '/tmp' }, { name: 'ARTIFACT_DIGEST', value: DIGEST }]));
    expect(verifier.volumeMounts).toEqual([{ name: 'model-cache', mountPath: '/cdk-compliant-ml/artifact' }, { name: 'model-verifier-tmp', mountPath: '/tmp' }]);
    const main = pod.containers[0];
    expect(main.volumeMounts).toContainEqual({ name: 'model-cache', mountPath: '/models', subPath: 'verified', readOnly: true });
    expect(main.env).toContainEqual({ name: 'MODEL_DIGEST', value: DIGEST });
    expect(mod1.status).toBe(ControlStatus.ENFORCED);
    expect(mod1.evidence[0]).toMatch(/initContainers\[1\]\.env\[ARTIFACT_DIGEST\]="sha256:b{64}": init container model-verifier fetches and verifies uri s3:\/\/models-acme/);
    const entry = svc.complianceEntry();
    expect(entry.modelArtifact).toEqual({ source: 'uri', reference: 's3://models-acme/fraud/1.4.2/', digest: DIGEST, verifier: 'model-verifier' });
    expect(entry.images).toContain(verifier.image);
    expect(entry.model?.digest).toBe(DIGEST);
  });

  test('the digest reaches the annotations of the workload and of the pod template (a label cannot hold 71 characters)', () => {
    const { deployment } = service({ modelArtifact: ModelArtifact.fromUri('https://models.acme.example/fraud/model.onnx', DIGEST), artifactEgress: EGRESS });
    for (const annotations of [deployment.metadata.annotations, deployment.spec.template.metadata.annotations]) {
      expect(annotations).toMatchObject({
        'model-artifact.compliance.cdk-compliant-ml.io/digest': DIGEST,
        'model-artifact.compliance.cdk-compliant-ml.io/reference': 'https://models.acme.example/fraud/model.onnx',
        'model-artifact.compliance.cdk-compliant-ml.io/source': 'uri',
        'model.compliance.cdk-compliant-ml.io/digest': DIGEST,
      });
    }
  });

  test('the download egress is added with the peer the user gives, and nothing wider', () => {
    const { policy } = service({ modelArtifact: ModelArtifact.fromUri('gs://models-acme/fraud/', DIGEST), artifactEgress: EGRESS });
    expect(policy.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '52.219.168.0/24' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    expect(policy.spec.egress.every((rule: any) => Array.isArray(rule.to) && rule.to.length > 0)).toBe(true);
  });

  test('https and claims use the curl image; gs the Google Cloud CLI image; an override replaces them', () => {
    expect(service({ modelArtifact: ModelArtifact.fromUri('https://models.acme.example/m.onnx', DIGEST), artifactEgress: EGRESS }).pod.initContainers[1].image).toMatch(/^docker\.io\/curlimages\/curl:8\.10\.1@/);
    expect(service({ modelArtifact: ModelArtifact.fromUri('gs://models-acme/m.onnx', DIGEST), artifactEgress: EGRESS }).pod.initContainers[1].image).toMatch(/google-cloud-cli:573\.0\.0-stable@/);
    const mirror = ImageReference.fromString(`registry.acme.example/tools/verifier:1@sha256:${'e'.repeat(64)}`);
    expect(service({ modelArtifact: ModelArtifact.fromUri('s3://models-acme/m.onnx', DIGEST), artifactEgress: EGRESS, artifactVerifierImage: mirror })
      .pod.initContainers[1].image).toBe(mirror.toString());
  });

  test('a claim is mounted read-only into the verifier only; no egress is needed', () => {
    const { pod, docs, mod1 } = service({ modelArtifact: ModelArtifact.fromVolumeClaim('fraud-weights', DIGEST) });
    expectValidManifests(docs);
    docs.forEach((d: any) => expect(pssRestrictedViolations(d)).toEqual([]));
    expect(pod.volumes).toContainEqual({ name: 'model-verifier-source', persistentVolumeClaim: { claimName: 'fraud-weights', readOnly: true } });
    expect(pod.initContainers[1].volumeMounts).toContainEqual({ name: 'model-verifier-source', mountPath: '/cdk-compliant-ml/source', readOnly: true });
    expect(pod.containers[0].volumeMounts.some((m: any) => m.name === 'model-verifier-source')).toBe(false);
    expect(mod1.status).toBe(ControlStatus.ENFORCED);
  });
});

describe('MOD-1 rendering: an OCI model (modelcar)', () => {
  test('default: an init container runs the pinned modelcar and copies /models; valid and PSS restricted', () => {
    const { pod, docs, mod1, svc } = service({ modelArtifact: ModelArtifact.fromOci(MODELCAR) });
    expectValidManifests(docs);
    docs.forEach((d: any) => expect(pssRestrictedViolations(d)).toEqual([]));
    expect(pod.initContainers[1].image).toBe(MODELCAR.toString());
    expect(pod.initContainers[1].command[2]).toContain('cp -R \'/models/.\' "$stage/"');
    expect(pod.containers[0].env).toContainEqual({ name: 'MODEL_DIGEST', value: MODELCAR.digest });
    expect(mod1.status).toBe(ControlStatus.ENFORCED);
    expect(svc.complianceEntry().modelArtifact).toMatchObject({ source: 'oci', reference: MODELCAR.toString(), verifier: 'model-verifier' });
  });

  test('ImageVolume: an `image` volume mounted read-only, no copy; the 1.30 schema refuses it (Kubernetes 1.33+ with the feature)', () => {
    const { pod, docs, mod1 } = service({ modelArtifact: ModelArtifact.fromOci(MODELCAR), ociArtifactMount: k8s.OciArtifactMount.IMAGE_VOLUME });
    expect(pod.volumes).toContainEqual({ name: 'model-cache', image: { reference: MODELCAR.toString(), pullPolicy: 'Always' } });
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['log-shipper']);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'model-cache', mountPath: '/models', subPath: 'models', readOnly: true });
    expect(mod1.status).toBe(ControlStatus.ENFORCED);
    expect(k8sProblems(docs.find((d: any) => d.kind === 'Deployment')).join('\n')).toMatch(/image/);
  });
});

describe('MOD-1 rendering: construct-time errors', () => {
  test('fails when model.uri is given without modelArtifact and without a MOD-1 waiver', () => {
    expect(() => service({ model: { ...MODEL, uri: 's3://models-acme/fraud/' } }))
      .toThrow(/^test\/scorer: invalid model\.uri "s3:\/\/models-acme\/fraud\/": the server would load weights from this URI that nothing verifies.*\(control MOD-1\); keep the default, or add a waiver \{ control: 'MOD-1'/);
    const waived = service({ model: { ...MODEL, uri: 's3://models-acme/fraud/' }, waivers: [{ control: 'MOD-1', reason: 'weights checked by the serving runtime' }] });
    expect(waived.mod1.status).toBe(ControlStatus.WAIVED);
  });

  test('fails when a URI artifact has no artifactEgress while the NetworkPolicy is on', () => {
    expect(() => service({ modelArtifact: ModelArtifact.fromUri('s3://models-acme/m.bin', DIGEST) }))
      .toThrow(/invalid artifactEgress \(undefined\): is required to download s3:\/\/models-acme\/m\.bin.*NetworkPeer\.cidr/);
  });

  test('fails when model.digest differs from the artifact digest, or the artifact is of the wrong type', () => {
    expect(() => service({ model: { ...MODEL, digest: `sha256:${'f'.repeat(64)}` }, modelArtifact: ModelArtifact.fromVolumeClaim('w', DIGEST) }))
      .toThrow(/invalid model\.digest .*differs from modelArtifact's digest/);
    expect(() => service({ modelArtifact: DatasetArtifact.fromVolumeClaim('w', DIGEST) as unknown as ModelArtifact }))
      .toThrow(/invalid modelArtifact .*is not a ModelArtifact/);
  });
});

describe('MOD-1 rendering on the training job: a verified base model from S3 and verified datasets', () => {
  test('base model at /models, dataset n at /datasets/<n>, each with its own verifier, all read-only', () => {
    const chart = Testing.chart();
    const job = new k8s.CompliantTrainingJob(chart, 'retrain', {
      image: ImageReference.fromString(`ghcr.io/acme/fraud-train@sha256:${'d'.repeat(64)}`),
      model: { name: 'fraud-scorer', version: '1.5.0' },
      modelArtifact: ModelArtifact.fromUri('s3://models-acme/fraud/1.4.2/', DIGEST),
      datasetArtifacts: [DatasetArtifact.fromUri('s3://data-acme/transactions/2026-11/', `sha256:${'9'.repeat(64)}`)],
      artifactEgress: EGRESS,
    });
    const docs = Testing.synth(chart);
    expectValidManifests(docs);
    docs.forEach((d: any) => expect(pssRestrictedViolations(d)).toEqual([]));
    const pod = docs.find((d: any) => d.kind === 'Job').spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['log-shipper', 'model-verifier', 'dataset-verifier-0']);
    expect(pod.containers[0].volumeMounts).toEqual(expect.arrayContaining([
      { name: 'base-model', mountPath: '/models', subPath: 'verified', readOnly: true },
      { name: 'dataset-artifact-0', mountPath: '/datasets/0', subPath: 'verified', readOnly: true },
    ]));
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([{ name: 'MODEL_DIGEST', value: DIGEST }, { name: 'DATASET_0_DIGEST', value: `sha256:${'9'.repeat(64)}` }]));
    const entry = job.complianceEntry();
    expect(entry.controls.find((c) => c.id === 'MOD-1')!.status).toBe(ControlStatus.ENFORCED);
    expect(entry.datasetArtifacts).toEqual([{ source: 'uri', reference: 's3://data-acme/transactions/2026-11/', digest: `sha256:${'9'.repeat(64)}`, verifier: 'dataset-verifier-0' }]);
    expect(entry.modelArtifact?.verifier).toBe('model-verifier');
  });

  test('without modelArtifact the job reports MOD-1 external with the action (a job may train from scratch)', () => {
    const chart = Testing.chart();
    const job = new k8s.CompliantTrainingJob(chart, 'retrain', { image: ImageReference.fromString(`ghcr.io/acme/fraud-train@sha256:${'d'.repeat(64)}`) });
    expect(job.complianceEntry().controls.find((c) => c.id === 'MOD-1')!.status).toBe(ControlStatus.EXTERNAL);
  });
});
