/* eslint-disable @typescript-eslint/no-explicit-any */
import { JsonPatch } from 'cdk8s';
import { expectFailure, judge, ourService, patchedService, POD, withPod } from './support';
import { ControlStatus } from '../../../src';

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
