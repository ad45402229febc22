/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiObject, JsonPatch } from 'cdk8s';
import * as fc from 'fast-check';
import { expectFailure, judge, ourService, ourServiceDocs, patchedService, POD, withPod } from './support';
import { ComplianceReport, ControlStatus } from '../../../src';

const ROOT_DEBUG = { name: 'debug', image: `busybox@sha256:${'d'.repeat(64)}`, imagePullPolicy: 'Always', securityContext: { runAsUser: 0, runAsNonRoot: false } };

describe('SEC-1: non-root with UID and GID >= 10000 for every container', () => {
  test('compliant: our service, every container judged with its own or the pod\'s IDs', () => {
    const result = patchedService('SEC-1');
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence).toHaveLength(2);
    expect(result.evidence[1]).toMatch(/containers\[0\]\.securityContext\.runAsNonRoot=true, .*runAsUser=10001, .*runAsGroup=10001/);
  });

  test('fails when the pod-level runAsUser is 0 even though every container overrides it', () => {
    expectFailure(patchedService('SEC-1', JsonPatch.replace(`${POD}/securityContext/runAsUser`, 0)),
      ControlStatus.VIOLATED, /spec\.template\.spec\.securityContext\.runAsUser=0 \(root at the pod level/);
  });

  test('fails when the pod-level runAsGroup is 0', () => {
    expectFailure(patchedService('SEC-1', JsonPatch.replace(`${POD}/securityContext/runAsGroup`, 0)), ControlStatus.VIOLATED, /securityContext\.runAsGroup=0/);
  });

  test('fails when an ephemeral container runs as root', () => {
    expectFailure(judge(withPod((pod) => { pod.ephemeralContainers = [ROOT_DEBUG]; }), 'SEC-1'),
      ControlStatus.VIOLATED, /ephemeralContainers\[0\]\.securityContext\.runAsNonRoot=false, .*ephemeralContainers\[0\]\.securityContext\.runAsUser=0/);
  });

  test('fails when the main container lowers its UID below 10000', () => {
    expectFailure(patchedService('SEC-1', JsonPatch.replace(`${POD}/containers/0/securityContext/runAsUser`, 1000)),
      ControlStatus.VIOLATED, /containers\[0\]\.securityContext\.runAsUser=1000/);
  });

  test('fails when the GID is left to the image (unset everywhere)', () => {
    expectFailure(judge(withPod((pod) => {
      delete pod.securityContext.runAsGroup;
      pod.containers.concat(pod.initContainers).forEach((c: any) => delete c.securityContext.runAsGroup);
    }), 'SEC-1'), ControlStatus.VIOLATED, /spec\.template\.spec\.securityContext\.runAsGroup=not set/);
  });

  test('fails when a container sets runAsNonRoot false over the pod\'s true', () => {
    expectFailure(patchedService('SEC-1', JsonPatch.replace(`${POD}/initContainers/0/securityContext/runAsNonRoot`, false)),
      ControlStatus.VIOLATED, /initContainers\[0\]\.securityContext\.runAsNonRoot=false/);
  });
});

describe('SEC-1 (property): the verdict follows the effective IDs of every container', () => {
  const id = fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 10000, max: 2147483647 })), { nil: undefined });
  test('enforced exactly when no pod-level ID is 0 and every container\'s own-or-pod UID and GID are >= 10000', () => {
    fc.assert(fc.property(id, id, id, id, (podUser, podGroup, containerUser, containerGroup) => {
      const deployment = withPod((pod) => {
        pod.securityContext = { runAsNonRoot: true, runAsUser: podUser, runAsGroup: podGroup };
        pod.initContainers = [];
        pod.containers[0].securityContext = { ...pod.containers[0].securityContext, runAsUser: containerUser, runAsGroup: containerGroup };
      });
      const high = (value: number | undefined) => value !== undefined && value >= 10000;
      const expected = podUser !== 0 && podGroup !== 0 && high(containerUser ?? podUser) && high(containerGroup ?? podGroup);
      expect(judge(JSON.parse(JSON.stringify(deployment)), 'SEC-1').status).toBe(expected ? ControlStatus.ENFORCED : ControlStatus.VIOLATED);
    }), { numRuns: 200 });
  });
});

describe('SEC-8: dedicated ServiceAccount without a mounted API token', () => {
  test('compliant: our service sets automount false on the pod', () => {
    const result = patchedService('SEC-8');
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence[0]).toMatch(/automountServiceAccountToken=false/);
  });

  test('enforced when the pod leaves it unset and the named ServiceAccount in the output sets false', () => {
    const docs = ourServiceDocs();
    const deployment = docs.find((d) => d.kind === 'Deployment');
    delete deployment.spec.template.spec.automountServiceAccountToken;
    const result = judge(deployment, 'SEC-8', docs.filter((d) => d !== deployment));
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence).toContain(`ServiceAccount ${deployment.spec.template.spec.serviceAccountName} automountServiceAccountToken=false`);
  });

  test('fails when the pod leaves it unset and the ServiceAccount is not in the output', () => {
    expectFailure(patchedService('SEC-8', JsonPatch.remove(`${POD}/automountServiceAccountToken`), JsonPatch.replace(`${POD}/serviceAccountName`, 'elsewhere')),
      ControlStatus.VIOLATED, /automountServiceAccountToken=not set and ServiceAccount elsewhere is not in the evaluated objects/);
  });

  test('fails when the pod leaves it unset and the ServiceAccount does not set false', () => {
    const docs = ourServiceDocs();
    const deployment = docs.find((d) => d.kind === 'Deployment');
    delete deployment.spec.template.spec.automountServiceAccountToken;
    const account = docs.find((d) => d.kind === 'ServiceAccount');
    delete account.automountServiceAccountToken;
    expectFailure(judge(deployment, 'SEC-8', [account]), ControlStatus.VIOLATED, /automountServiceAccountToken=not set \(the API token is mounted\)/);
  });

  test('fails when the pod mounts the token explicitly', () => {
    expectFailure(patchedService('SEC-8', JsonPatch.replace(`${POD}/automountServiceAccountToken`, true)),
      ControlStatus.VIOLATED, /automountServiceAccountToken=true/);
  });

  test('fails when the pod uses the default ServiceAccount, or names none', () => {
    expectFailure(patchedService('SEC-8', JsonPatch.replace(`${POD}/serviceAccountName`, 'default')), ControlStatus.VIOLATED, /serviceAccountName="default"/);
    expectFailure(judge(withPod((pod) => { delete pod.serviceAccountName; }), 'SEC-8'), ControlStatus.VIOLATED, /serviceAccountName=not set/);
  });

  test('fails when a ServiceAccount of the same name lives in another namespace', () => {
    const { chart, service } = ourService();
    service.deployment.addJsonPatch(JsonPatch.remove(`${POD}/automountServiceAccountToken`));
    new ApiObject(chart, 'other-sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: service.name, namespace: 'other' } });
    const deployment = chart.toJson().find((d: any) => d.kind === 'Deployment');
    const others = chart.toJson().filter((d: any) => d.kind === 'ServiceAccount' && d.metadata.namespace === 'other');
    expectFailure(judge(deployment, 'SEC-8', others), ControlStatus.VIOLATED, /is not in the evaluated objects/);
  });

  test('the report of the whole app judges an escape hatch on our Deployment', () => {
    const { chart, service } = ourService();
    service.deployment.addJsonPatch(JsonPatch.replace(`${POD}/automountServiceAccountToken`, true));
    const entry = ComplianceReport.of(chart).workloads.find((w) => w.kind === 'CompliantModelService')!;
    expect(entry.controls.find((c) => c.id === 'SEC-8')!.status).toBe(ControlStatus.VIOLATED);
  });
});

const addEnv = (name: string, value: string) => JsonPatch.add(`${POD}/containers/0/env/-`, { name, value });

describe('SEC-9: no plaintext secret in a literal env value', () => {
  test('compliant: our service, with secretEnv as a secretKeyRef', () => {
    const { service } = ourService({ secretEnv: { HF_TOKEN: { secretName: 'hf', key: 'token' } } });
    const result = service.complianceEntry().controls.find((c) => c.id === 'SEC-9')!;
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence[0]).toMatch(/none a secret; 1 secretKeyRef reference/);
  });

  test('compliant: TOKENIZER_NAME, MAX_INPUT_TOKENS and PASS_DEVICE_SPECS are settings, not secrets', () => {
    const { service } = ourService({ env: { TOKENIZER_NAME: 'bert-base', MAX_INPUT_TOKENS: '4096', PASS_DEVICE_SPECS: 'true' } });
    expect(service.complianceEntry().controls.find((c) => c.id === 'SEC-9')!.status).toBe(ControlStatus.ENFORCED);
    expect(judge(withPod((pod) => { pod.containers[0].env.push({ name: 'MAX_INPUT_TOKENS', value: '8192' }, { name: 'TOKENIZER_NAME', value: 't5' }); }), 'SEC-9').status)
      .toBe(ControlStatus.ENFORCED);
  });

  test('the construct refuses a URL with a password, and no longer refuses tokenizer settings', () => {
    expect(() => ourService({ env: { DATABASE_URL: 'postgres://app:hunter2@db:5432/app' } }))
      .toThrow(/invalid env.DATABASE_URL "DATABASE_URL": would be stored in plaintext in the manifest \(SEC-9\): its value holds a URL with user:password@/);
    expect(() => ourService({ env: { TOKENIZER_NAME: 'bert-base' } })).not.toThrow();
  });

  test('fails when an escape hatch adds a password inside a URL value', () => {
    const result = patchedService('SEC-9', addEnv('DATABASE_URL', 'postgres://app:hunter2@db:5432/app'));
    expectFailure(result, ControlStatus.VIOLATED, /env\[\d+\]\.name="DATABASE_URL" \(its value holds a URL with user:password@\)/);
    expect(result.evidence.join('\n')).not.toMatch(/hunter2/);
  });

  test('fails when a secret-named variable has a literal value', () => {
    expectFailure(patchedService('SEC-9', addEnv('DB_PASSWORD', 'hunter2')), ControlStatus.VIOLATED, /"DB_PASSWORD" \(its name denotes a secret/);
  });

  test('fails when an AWS access key id sits in any variable', () => {
    expectFailure(patchedService('SEC-9', addEnv('UPLOAD_CONFIG', 'AKIAABCDEFGHIJKLMNOP')), ControlStatus.VIOLATED, /an AWS access key id/);
  });

  test('fails when the sidecar carries a token', () => {
    expectFailure(judge(withPod((pod) => { pod.initContainers[0].env = [{ name: 'HF_TOKEN', value: `hf_${'x'.repeat(34)}` }]; }), 'SEC-9'),
      ControlStatus.VIOLATED, /initContainers\[0\]\.env\[0\]\.name="HF_TOKEN"/);
  });

  test('fails when an ephemeral container carries a password= pair', () => {
    expectFailure(judge(withPod((pod) => {
      pod.ephemeralContainers = [{ name: 'debug', image: 'x', env: [{ name: 'PGOPTS', value: 'host=db password=hunter2' }] }];
    }), 'SEC-9'), ControlStatus.VIOLATED, /ephemeralContainers\[0\]\.env\[0\]\.name="PGOPTS" \(its value holds a password=/);
  });
});
