/* eslint-disable @typescript-eslint/no-explicit-any */
import * as fs from 'fs';
import * as path from 'path';
import { JsonPatch, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { expectFailure, judge, nginxDeployment, ourJob, ourService, POD } from './support';
import { ControlScope, ControlStatus, ImageReference, k8s, ModelArtifact } from '../../../src';
import { runCli, tmpdir } from '../../cli/support';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const OTHER = `sha256:${'c'.repeat(64)}`;
const EGRESS = [{ peer: k8s.NetworkPeer.cidr('52.219.168.0/24'), port: 443 }];
const VERIFIER = 1; // initContainers[0] is the log shipper
const S3 = { modelArtifact: ModelArtifact.fromUri('s3://models-acme/fraud/1.4.2/', DIGEST), artifactEgress: EGRESS };

function mod1(service: k8s.CompliantModelService) {
  return service.complianceEntry().controls.find((c) => c.id === 'MOD-1')!;
}

function patched(...patches: JsonPatch[]) {
  const { service } = ourService(S3);
  service.deployment.addJsonPatch(...patches);
  return mod1(service);
}

/** Our verified service's Deployment as a hand-edited foreign manifest. */
function verifiedDeployment(): any {
  const { chart } = ourService(S3);
  return JSON.parse(JSON.stringify(Testing.synth(chart).find((d: any) => d.kind === 'Deployment')));
}

describe('MOD-1: the model is pinned by digest and verified before the main container starts', () => {
  test('compliant: our service with a verified model; the evidence names the digest and the verifying container', () => {
    const { service } = ourService(S3);
    const result = mod1(service);
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence.join('\n')).toMatch(/sha256:b{64}.*init container model-verifier/);
  });

  test('compliant: the same Deployment as a foreign manifest (the verdict is read from the output, not the props)', () => {
    expect(judge(verifiedDeployment(), 'MOD-1').status).toBe(ControlStatus.ENFORCED);
  });

  test('fails when the verifier init container is removed', () => {
    expectFailure(patched(JsonPatch.remove(`${POD}/initContainers/${VERIFIER}`)), ControlStatus.VIOLATED, /is declared, and no init container verifies it/);
  });

  test('fails when the verifier is moved after, into the regular containers', () => {
    const deployment = verifiedDeployment();
    const pod = deployment.spec.template.spec;
    pod.containers.push(pod.initContainers.splice(VERIFIER, 1)[0]);
    expectFailure(judge(deployment, 'MOD-1'), ControlStatus.VIOLATED, /no init container verifies it/);
  });

  test('fails when the verifier becomes a native sidecar (runs beside the server, not before it)', () => {
    const deployment = verifiedDeployment();
    deployment.spec.template.spec.initContainers[VERIFIER].restartPolicy = 'Always';
    expectFailure(judge(deployment, 'MOD-1'), ControlStatus.VIOLATED, /restartPolicy="Always" \(a sidecar runs beside/);
  });

  test('fails when the server mounts the model writable', () => {
    const deployment = verifiedDeployment();
    const mount = deployment.spec.template.spec.containers[0].volumeMounts.find((m: any) => m.name === 'model-cache');
    delete mount.readOnly;
    expectFailure(judge(deployment, 'MOD-1'), ControlStatus.VIOLATED, /volumeMounts\[model-cache\]\.readOnly=not set \(the main container must mount/);
  });

  test('fails when another container mounts the verified volume writable', () => {
    const deployment = verifiedDeployment();
    deployment.spec.template.spec.initContainers[0].volumeMounts.push({ name: 'model-cache', mountPath: '/tamper' });
    deployment.spec.template.spec.initContainers.push({ name: 'tamper', image: `busybox@sha256:${'d'.repeat(64)}`, volumeMounts: [{ name: 'model-cache', mountPath: '/m' }] });
    expectFailure(judge(deployment, 'MOD-1'), ControlStatus.VIOLATED, /initContainers\[2\]\.volumeMounts\[model-cache\]\.readOnly=not set \(it could change/);
  });

  test('fails when MODEL_DIGEST on the server differs from the verified digest, or is missing', () => {
    const deployment = verifiedDeployment();
    const env = deployment.spec.template.spec.containers[0].env;
    env.find((e: any) => e.name === 'MODEL_DIGEST').value = OTHER;
    expectFailure(judge(deployment, 'MOD-1'), ControlStatus.VIOLATED, new RegExp(`env\\[MODEL_DIGEST\\]="${OTHER}" \\(the main container must carry MODEL_DIGEST=${DIGEST}\\)`));
    env.splice(env.findIndex((e: any) => e.name === 'MODEL_DIGEST'), 1);
    expectFailure(judge(deployment, 'MOD-1'), ControlStatus.VIOLATED, /env\[MODEL_DIGEST\]=not set/);
  });

  test('fails when the verifier\'s digest is changed (the declaration no longer matches a verifier)', () => {
    expectFailure(patched(JsonPatch.replace(`${POD}/initContainers/${VERIFIER}/env/0/value`, OTHER)), ControlStatus.VIOLATED, /no init container verifies it/);
  });

  test('fails when the verifier script is hand-edited (the check removed), even with every env intact', () => {
    const deployment = verifiedDeployment();
    const command = deployment.spec.template.spec.initContainers[VERIFIER].command;
    command[2] = command[2].replace('[ "$actual" = "$expected" ] ||', 'true ||');
    expectFailure(judge(deployment, 'MOD-1'), ControlStatus.VIOLATED, /command is not the library's verifier script/);
  });

  test('fails when the verified volume is swapped for a PersistentVolumeClaim', () => {
    const deployment = verifiedDeployment();
    const volumes = deployment.spec.template.spec.volumes;
    volumes[volumes.findIndex((v: any) => v.name === 'model-cache')] = { name: 'model-cache', persistentVolumeClaim: { claimName: 'pre-filled' } };
    expectFailure(judge(deployment, 'MOD-1'), ControlStatus.VIOLATED, /is not an emptyDir/);
  });

  test('unverified when the digest is a template placeholder', () => {
    const deployment = verifiedDeployment();
    deployment.metadata.annotations['model-artifact.compliance.cdk-compliant-ml.io/digest'] = '${MODEL_DIGEST}';
    expect(judge(deployment, 'MOD-1').status).toBe(ControlStatus.UNVERIFIED);
  });

  test('our service without modelArtifact: external with the action text in the catalogue', () => {
    const { service } = ourService();
    expect(mod1(service).status).toBe(ControlStatus.EXTERNAL);
  });

  test('a foreign workload that is no model server and declares nothing: not-applicable', () => {
    expect(judge(nginxDeployment(), 'MOD-1').status).toBe(ControlStatus.NOT_APPLICABLE);
  });

  test('fails when a foreign model server names its model URI and nothing verifies it', () => {
    const deployment = nginxDeployment();
    deployment.metadata.labels['app.kubernetes.io/component'] = 'model-server';
    deployment.metadata.annotations = { 'model.compliance.cdk-compliant-ml.io/uri': 's3://models-acme/fraud/' };
    expectFailure(judge(deployment, 'MOD-1'), ControlStatus.VIOLATED, /names the model, and no init container verifies it/);
  });

  test('a training job\'s base model: removing its verifier is a violation', () => {
    const { job } = ourJob({ modelArtifact: ModelArtifact.fromVolumeClaim('base-weights', DIGEST) });
    expect(job.complianceEntry().controls.find((c) => c.id === 'MOD-1')!.status).toBe(ControlStatus.ENFORCED);
    job.job!.addJsonPatch(JsonPatch.remove(`${POD}/initContainers/${VERIFIER}`));
    expectFailure(job.complianceEntry().controls.find((c) => c.id === 'MOD-1')!, ControlStatus.VIOLATED, /no init container verifies it/);
    expect(judge(Testing.synth(ourJob().chart)[0], 'MOD-1', [], ControlScope.JOB).status).not.toBe(ControlStatus.VIOLATED);
  });

  test('the report records the artifact from the output: a removed verifier leaves the artifact without a verifier', () => {
    const { service } = ourService(S3);
    service.deployment.addJsonPatch(JsonPatch.remove(`${POD}/initContainers/${VERIFIER}`));
    expect(service.complianceEntry().modelArtifact).toEqual({ source: 'uri', reference: 's3://models-acme/fraud/1.4.2/', digest: DIGEST });
  });
});

describe('MOD-1 through the CLI: hand-edited manifests', () => {
  const write = (docs: any[]) => {
    const file = path.join(tmpdir(), 'model.yaml');
    fs.writeFileSync(file, docs.map((d) => YAML.stringify(d)).join('---\n'));
    return file;
  };

  test('the verified Deployment is enforced with the artifact in the report; a writable mount makes it violated', async () => {
    const deployment = verifiedDeployment();
    const good = JSON.parse((await runCli(['check', '--no-report', '--format', 'json', write([deployment])])).stdout);
    const entry = good.workloads[0];
    expect(entry.controls.find((c: any) => c.id === 'MOD-1').status).toBe('enforced');
    expect(entry.modelArtifact).toEqual({ source: 'uri', reference: 's3://models-acme/fraud/1.4.2/', digest: DIGEST, verifier: 'model-verifier' });
    delete deployment.spec.template.spec.containers[0].volumeMounts.find((m: any) => m.name === 'model-cache').readOnly;
    const bad = JSON.parse((await runCli(['check', '--no-report', '--format', 'json', write([deployment])])).stdout);
    expect(bad.workloads[0].controls.find((c: any) => c.id === 'MOD-1').status).toBe('violated');
    expect(bad.workloads[0].modelArtifact.verifier).toBeUndefined();
  });

  test('a foreign NetworkPolicy beside it changes nothing about MOD-1 (egress is NET-1\'s concern)', async () => {
    const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'open' }, spec: { podSelector: {}, egress: [{}], policyTypes: ['Egress'] } };
    const run = await runCli(['check', '--no-report', '--format', 'json', write([verifiedDeployment(), policy])]);
    const r = JSON.parse(run.stdout);
    expect(r.workloads[0].controls.find((c: any) => c.id === 'MOD-1').status).toBe('enforced');
  });

  test('an OCI model through ImageVolume is enforced; the image volume of another reference is not', () => {
    const modelcar = ImageReference.fromString(`ghcr.io/acme/modelcar:1@sha256:${'e'.repeat(64)}`);
    const { chart } = ourService({ modelArtifact: ModelArtifact.fromOci(modelcar), ociArtifactMount: k8s.OciArtifactMount.IMAGE_VOLUME });
    const deployment = JSON.parse(JSON.stringify(Testing.synth(chart).find((d: any) => d.kind === 'Deployment')));
    expect(judge(deployment, 'MOD-1').status).toBe(ControlStatus.ENFORCED);
    deployment.spec.template.spec.volumes.find((v: any) => v.name === 'model-cache').image.reference = `ghcr.io/acme/modelcar:2@sha256:${'f'.repeat(64)}`;
    expect(judge(deployment, 'MOD-1').status).toBe(ControlStatus.VIOLATED);
  });
});
