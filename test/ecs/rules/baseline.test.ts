import { compliantJob, compliantService, controlsOf, handEdited } from './support';
import { ControlStatus } from '../../../src/compliance';
import { ModelArtifact } from '../../../src/core';

const NOT_ENFORCED_BY_DESIGN: Record<string, ControlStatus> = {
  'IMG-3': ControlStatus.RUNTIME_MANAGED,
  'SEC-2': ControlStatus.RUNTIME_MANAGED,
  'SEC-4': ControlStatus.RUNTIME_MANAGED,
  'AVL-2': ControlStatus.EQUIVALENT,
  'JOB-3': ControlStatus.EQUIVALENT,
  'LOG-4': ControlStatus.EXTERNAL,
  'REG-3': ControlStatus.EXTERNAL,
  'PRB-1': ControlStatus.ENFORCED,
  // no modelArtifact: the weights are in the image or fetched where the template does not show (rules/model.test.ts)
  'MOD-1': ControlStatus.EXTERNAL,
};

describe('the compliant baseline the mutations start from', () => {
  test.each(['service', 'job'] as const)('our %s: every control enforced except the ones the platform or the server owns', (kind) => {
    const controls = Object.values(kind === 'service' ? controlsOf(compliantService().service) : controlsOf(compliantJob().job));
    for (const control of controls) {
      const expected = kind === 'job' && control.id === 'PRB-1' ? ControlStatus.NOT_APPLICABLE : NOT_ENFORCED_BY_DESIGN[control.id] ?? ControlStatus.ENFORCED;
      expect([control.id, control.status]).toEqual([control.id, expected]);
    }
  });

  test('our service with a model artifact: the verifier container keeps every control as it was, and MOD-1 is enforced', () => {
    const artifact = ModelArtifact.fromUri('s3://acme-models/fraud/1.4.2/', `sha256:${'b'.repeat(64)}`);
    const controls = Object.values(controlsOf(compliantService(undefined, () => ({ modelArtifact: artifact })).service));
    for (const control of controls) {
      const expected = control.id === 'MOD-1' ? ControlStatus.ENFORCED : NOT_ENFORCED_BY_DESIGN[control.id] ?? ControlStatus.ENFORCED;
      expect([control.id, control.status]).toEqual([control.id, expected]);
    }
  });

  test('the hand-edit path (templateWorkloads, as the CLI reads templates) gives the same verdicts unedited', () => {
    const viaTemplate = Object.values(handEdited('service', () => undefined)).map((c) => [c.id, c.status]);
    const viaConstruct = Object.values(controlsOf(compliantService().service)).map((c) => [c.id, c.status]);
    expect(viaTemplate).toEqual(viaConstruct);
  });
});
