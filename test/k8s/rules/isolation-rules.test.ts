/* eslint-disable @typescript-eslint/no-explicit-any */
import { JsonPatch } from 'cdk8s';
import { expectFailure, judge, patchedService, POD, withPod } from './support';
import { ControlStatus } from '../../../src';

const MAIN = `${POD}/containers/0/securityContext`;
const SIDECAR = `${POD}/initContainers/0/securityContext`;
const debug = (securityContext: any) => (pod: any) => {
  pod.ephemeralContainers = [{ name: 'debug', image: `busybox@sha256:${'d'.repeat(64)}`, imagePullPolicy: 'Always', securityContext }];
};

describe('SEC-2: no privilege escalation in any container', () => {
  test('compliant: our service', () => {
    expect(patchedService('SEC-2').evidence.every((line) => line.endsWith('allowPrivilegeEscalation=false'))).toBe(true);
  });
  test('fails when an escape hatch allows escalation on the main container', () => {
    expectFailure(patchedService('SEC-2', JsonPatch.replace(`${MAIN}/allowPrivilegeEscalation`, true)), ControlStatus.VIOLATED, /containers\[0\].*allowPrivilegeEscalation=true/);
  });
  test('fails when the field is removed from the sidecar (unset allows escalation)', () => {
    expectFailure(patchedService('SEC-2', JsonPatch.remove(`${SIDECAR}/allowPrivilegeEscalation`)), ControlStatus.VIOLATED, /initContainers\[0\].*allowPrivilegeEscalation=not set/);
  });
  test('fails when an ephemeral container has no securityContext', () => {
    expectFailure(judge(withPod(debug(undefined)), 'SEC-2'), ControlStatus.VIOLATED, /ephemeralContainers\[0\]\.securityContext\.allowPrivilegeEscalation=not set/);
  });
  test('fails when the value is the string "false"', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].securityContext.allowPrivilegeEscalation = 'false'; }), 'SEC-2'), ControlStatus.VIOLATED, /="false"/);
  });
  test('fails when the main container has no securityContext at all', () => {
    expectFailure(judge(withPod((pod) => { delete pod.containers[0].securityContext; }), 'SEC-2'), ControlStatus.VIOLATED, /containers\[0\]/);
  });
});

describe('SEC-3: drop ALL, add at most NET_BIND_SERVICE', () => {
  test('compliant: our service; NET_BIND_SERVICE may be added', () => {
    expect(patchedService('SEC-3').status).toBe(ControlStatus.ENFORCED);
    expect(patchedService('SEC-3', JsonPatch.add(`${MAIN}/capabilities/add`, ['NET_BIND_SERVICE'])).status).toBe(ControlStatus.ENFORCED);
  });
  test('fails when drop is lower-case "all" (the runtime is case-sensitive)', () => {
    expectFailure(patchedService('SEC-3', JsonPatch.replace(`${MAIN}/capabilities/drop`, ['all'])), ControlStatus.VIOLATED, /"drop":\["all"\]/);
  });
  test('fails when a capability other than NET_BIND_SERVICE is added', () => {
    expectFailure(patchedService('SEC-3', JsonPatch.add(`${MAIN}/capabilities/add`, ['SYS_ADMIN'])), ControlStatus.VIOLATED, /SYS_ADMIN/);
  });
  test('fails when the CAP_ prefix is used (PSS restricted refuses it)', () => {
    expectFailure(patchedService('SEC-3', JsonPatch.add(`${MAIN}/capabilities/add`, ['CAP_NET_BIND_SERVICE'])), ControlStatus.VIOLATED, /CAP_NET_BIND_SERVICE/);
  });
  test('fails when the sidecar drops only NET_RAW', () => {
    expectFailure(patchedService('SEC-3', JsonPatch.replace(`${SIDECAR}/capabilities/drop`, ['NET_RAW'])), ControlStatus.VIOLATED, /initContainers\[0\].*NET_RAW/);
  });
  test('fails when an ephemeral container keeps every default capability', () => {
    expectFailure(judge(withPod(debug({ allowPrivilegeEscalation: false })), 'SEC-3'), ControlStatus.VIOLATED, /ephemeralContainers\[0\]\.securityContext\.capabilities=not set/);
  });
});

describe('SEC-4: seccomp RuntimeDefault or Localhost for every container', () => {
  test('compliant: our service; Localhost is allowed', () => {
    expect(patchedService('SEC-4').status).toBe(ControlStatus.ENFORCED);
    expect(patchedService('SEC-4', JsonPatch.replace(`${MAIN}/seccompProfile`, { type: 'Localhost', localhostProfile: 'profiles/scorer.json' })).status)
      .toBe(ControlStatus.ENFORCED);
  });
  test('fails when a container-level Unconfined overrides the pod-level RuntimeDefault', () => {
    expectFailure(patchedService('SEC-4', JsonPatch.replace(`${MAIN}/seccompProfile/type`, 'Unconfined')), ControlStatus.VIOLATED, /containers\[0\]\.securityContext\.seccompProfile\.type="Unconfined"/);
  });
  test('fails when the pod sets Unconfined and a container inherits it', () => {
    expectFailure(judge(withPod((pod) => {
      pod.securityContext.seccompProfile.type = 'Unconfined';
      delete pod.initContainers[0].securityContext.seccompProfile;
    }), 'SEC-4'), ControlStatus.VIOLATED, /securityContext\.seccompProfile\.type="Unconfined" \(inherited by spec\.template\.spec\.initContainers\[0\]\)/);
  });
  test('fails when no level sets a profile', () => {
    expectFailure(judge(withPod((pod) => {
      delete pod.securityContext.seccompProfile;
      delete pod.containers[0].securityContext.seccompProfile;
    }), 'SEC-4'), ControlStatus.VIOLATED, /seccompProfile\.type=not set \(inherited by spec\.template\.spec\.containers\[0\]\)/);
  });
  test('fails when an ephemeral container sets Unconfined', () => {
    expectFailure(judge(withPod(debug({ seccompProfile: { type: 'Unconfined' } })), 'SEC-4'), ControlStatus.VIOLATED, /ephemeralContainers\[0\]/);
  });
  test('fails on a misspelled type', () => {
    expectFailure(patchedService('SEC-4', JsonPatch.replace(`${SIDECAR}/seccompProfile/type`, 'runtime/default')), ControlStatus.VIOLATED, /runtime\/default/);
  });
});

describe('SEC-5: read-only root filesystem', () => {
  test('compliant: our service', () => {
    expect(patchedService('SEC-5').status).toBe(ControlStatus.ENFORCED);
  });
  test('fails when an escape hatch makes the main root filesystem writable', () => {
    expectFailure(patchedService('SEC-5', JsonPatch.replace(`${MAIN}/readOnlyRootFilesystem`, false)), ControlStatus.VIOLATED, /containers\[0\].*readOnlyRootFilesystem=false/);
  });
  test('fails when the sidecar drops the field', () => {
    expectFailure(patchedService('SEC-5', JsonPatch.remove(`${SIDECAR}/readOnlyRootFilesystem`)), ControlStatus.VIOLATED, /initContainers\[0\].*=not set/);
  });
  test('fails when an ephemeral container writes its root filesystem', () => {
    expectFailure(judge(withPod(debug({})), 'SEC-5'), ControlStatus.VIOLATED, /ephemeralContainers\[0\].*readOnlyRootFilesystem=not set/);
  });
  test('fails when the main container has no securityContext', () => {
    expectFailure(judge(withPod((pod) => { delete pod.containers[0].securityContext; }), 'SEC-5'), ControlStatus.VIOLATED, /containers\[0\]/);
  });
  test('fails when the value is the string "true"', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].securityContext.readOnlyRootFilesystem = 'true'; }), 'SEC-5'), ControlStatus.VIOLATED, /="true"/);
  });
});

describe('SEC-6: no privileged container', () => {
  test('compliant: our service prints the value it sets', () => {
    expect(patchedService('SEC-6').evidence.every((line) => line.endsWith('privileged=false'))).toBe(true);
  });
  test('compliant: privileged unset is printed as not set, never as an invented false', () => {
    const result = patchedService('SEC-6', JsonPatch.remove(`${MAIN}/privileged`));
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence).toContainEqual(expect.stringMatching(/containers\[0\]\.securityContext\.privileged=not set$/));
  });
  test('fails when an escape hatch makes the main container privileged', () => {
    expectFailure(patchedService('SEC-6', JsonPatch.replace(`${MAIN}/privileged`, true)), ControlStatus.VIOLATED, /containers\[0\]\.securityContext\.privileged=true/);
  });
  test('fails when the sidecar is privileged', () => {
    expectFailure(patchedService('SEC-6', JsonPatch.replace(`${SIDECAR}/privileged`, true)), ControlStatus.VIOLATED, /initContainers\[0\]/);
  });
  test('fails when an ephemeral container is privileged', () => {
    expectFailure(judge(withPod(debug({ privileged: true })), 'SEC-6'), ControlStatus.VIOLATED, /ephemeralContainers\[0\]\.securityContext\.privileged=true/);
  });
  test('fails when privileged is a non-boolean value', () => {
    expectFailure(judge(withPod((pod) => { pod.containers[0].securityContext.privileged = 'yes'; }), 'SEC-6'), ControlStatus.VIOLATED, /="yes"/);
  });
});

describe('SEC-7: host namespaces, host paths, host ports and probe hosts', () => {
  test('compliant: our service shows what it sets', () => {
    const result = patchedService('SEC-7');
    expect(result.status).toBe(ControlStatus.ENFORCED);
    expect(result.evidence).toContainEqual(expect.stringMatching(/hostNetwork=not set$/));
  });
  test('fails when an escape hatch sets hostNetwork', () => {
    expectFailure(patchedService('SEC-7', JsonPatch.add(`${POD}/hostNetwork`, true)), ControlStatus.VIOLATED, /spec\.template\.spec\.hostNetwork=true/);
  });
  test.each(['hostPID', 'hostIPC'])('fails when a foreign pod sets %s', (field) => {
    expectFailure(judge(withPod((pod) => { pod[field] = true; }), 'SEC-7'), ControlStatus.VIOLATED, new RegExp(`spec\\.template\\.spec\\.${field}=true`));
  });
  test('fails when a hostPath volume is added', () => {
    expectFailure(patchedService('SEC-7', JsonPatch.add(`${POD}/volumes/-`, { name: 'host', hostPath: { path: '/var/run' } })),
      ControlStatus.VIOLATED, /volumes\[\d\]=\["hostPath"\]/);
  });
  test('fails when an nfs volume (outside the restricted list) is added', () => {
    expectFailure(judge(withPod((pod) => { pod.volumes.push({ name: 'models', nfs: { server: 'nfs', path: '/m' } }); }), 'SEC-7'), ControlStatus.VIOLATED, /\["nfs"\]/);
  });
  test('fails when a container, an init container or an ephemeral container sets a hostPort', () => {
    expectFailure(patchedService('SEC-7', JsonPatch.add(`${POD}/containers/0/ports/0/hostPort`, 8080)), ControlStatus.VIOLATED, /containers\[0\]\.ports\[0\]\.hostPort=8080/);
    expectFailure(judge(withPod((pod) => { pod.initContainers[0].ports = [{ containerPort: 2020, hostPort: 2020 }]; }), 'SEC-7'),
      ControlStatus.VIOLATED, /initContainers\[0\]\.ports\[0\]\.hostPort=2020/);
    expectFailure(judge(withPod((pod) => { pod.ephemeralContainers = [{ name: 'debug', image: 'x', ports: [{ containerPort: 1, hostPort: 9 }] }]; }), 'SEC-7'),
      ControlStatus.VIOLATED, /ephemeralContainers\[0\]\.ports\[0\]\.hostPort=9/);
  });
  test('fails when a probe or a lifecycle handler sets host', () => {
    expectFailure(patchedService('SEC-7', JsonPatch.add(`${POD}/containers/0/livenessProbe/httpGet/host`, '10.0.0.1')),
      ControlStatus.VIOLATED, /livenessProbe\.httpGet\.host="10\.0\.0\.1"/);
    expectFailure(judge(withPod((pod) => { pod.containers[0].lifecycle = { preStop: { tcpSocket: { port: 80, host: 'metadata' } } }; }), 'SEC-7'),
      ControlStatus.VIOLATED, /lifecycle\.preStop\.tcpSocket\.host="metadata"/);
  });
});
