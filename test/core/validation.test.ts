import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { validateDatasetMetadata, validateImageProvenance, validateModelMetadata } from '../../src/core/provenance-validation';
import { validateWaiver, validateWaiverList } from '../../src/core/waiver-validation';

const TODAY = '2026-06-15';

describe('Waiver', () => {
  test('a waiver with a known control, a reason and a future expiry is valid', () => {
    expect(() => validateWaiver(undefined, 'waivers[0]', { control: 'AVL-1', reason: 'single GPU', expires: '2026-06-15' }, TODAY)).not.toThrow();
  });

  test('fails for an unknown control, listing the catalogue', () => {
    expect(() => validateWaiver(undefined, 'w', { control: 'SEC-99', reason: 'r' }, TODAY))
      .toThrow(/invalid w.control "SEC-99": is not a control of the catalogue; use one of IMG-1, IMG-2, .*REG-3/);
  });

  test('fails for an empty reason', () => {
    expect(() => validateWaiver(undefined, 'w', { control: 'SEC-5', reason: '' }, TODAY)).toThrow(/a waiver of SEC-5 needs a reason/);
  });

  test('fails for an expired waiver, naming control and date', () => {
    expect(() => validateWaiver(undefined, 'w', { control: 'SEC-5', reason: 'legacy', expires: '2026-06-14' }, TODAY))
      .toThrow('invalid w.expires "2026-06-14": the waiver of SEC-5 expired on 2026-06-14 (today is 2026-06-15)');
  });

  test.each(['2026-13-01', '2026-02-30', '15.06.2026', '2026-6-1'])('fails for the non-ISO date %s', (expires) => {
    expect(() => validateWaiver(undefined, 'w', { control: 'SEC-5', reason: 'r', expires }, TODAY)).toThrow(/is not an ISO date/);
  });

  test('fails for two waivers of the same control and names the construct path', () => {
    const chart = Testing.chart();
    const scope = new Construct(chart, 'svc');
    const w = { control: 'SEC-5', reason: 'r' };
    expect(() => validateWaiverList(scope, 'waivers', [w, w])).toThrow(/^test\/svc: invalid waivers\[1\].control "SEC-5": is waived twice/);
  });

  test('the real clock is used when no date is given', () => {
    expect(() => validateWaiver(undefined, 'w', { control: 'SEC-5', reason: 'r', expires: '2000-01-01' })).toThrow(/expired on 2000-01-01/);
    expect(() => validateWaiver(undefined, 'w', { control: 'SEC-5', reason: 'r', expires: '2999-01-01' })).not.toThrow();
  });
});

describe('ModelMetadata', () => {
  test('accepts name, version and the optional fields', () => {
    const model = { name: 'fraud-scorer', version: '1.4.2', uri: 'models:/fraud-scorer/3', digest: `sha256:${'b'.repeat(64)}`, framework: 'sklearn' };
    expect(validateModelMetadata(undefined, 'model', model)).toBe(model);
  });

  test.each(['latest', 'LATEST', ' latest '])('fails for the version %j', (version) => {
    expect(() => validateModelMetadata(undefined, 'model', { name: 'm', version })).toThrow(/invalid model.version .*`latest` does not identify a version/);
  });

  test.each([
    [{ name: '', version: '1' }, /model.name/],
    [{ name: 'm', version: '' }, /model.version "": must not be empty/],
    [{ name: 'm', version: '1 2' }, /without white space/],
    [{ name: 'm', version: '1', uri: 'no scheme' }, /model.uri "no scheme": is not a URI/],
    [{ name: 'm', version: '1', digest: 'sha256:abc' }, /model.digest "sha256:abc": is not a digest/],
  ])('fails for %j', (model, message) => {
    expect(() => validateModelMetadata(undefined, 'model', model)).toThrow(message);
  });

  test('dataset metadata follows the same rules', () => {
    expect(() => validateDatasetMetadata(undefined, 'datasets[0]', { name: 'tx', version: 'latest' })).toThrow(/datasets\[0\].version/);
    expect(validateDatasetMetadata(undefined, 'd', { name: 'tx', version: '2026-11', uri: 's3://data/tx/' }).name).toBe('tx');
  });
});

describe('ImageProvenance', () => {
  const good = { source: 'https://github.com/acme/scorer', revision: 'a1b2c3d', created: '2026-11-02T10:00:00Z' };

  test('accepts source, revision and an RFC 3339 creation time', () => {
    expect(validateImageProvenance(undefined, 'p', good)).toBe(good);
  });

  test.each([
    [{ ...good, revision: 'HEAD' }, /p.revision "HEAD"/],
    [{ ...good, created: 'yesterday' }, /p.created "yesterday": is not an RFC 3339 timestamp/],
    [{ ...good, source: 'github.com/acme' }, /p.source/],
    [{ ...good, baseDigest: 'sha256:1' }, /p.baseDigest/],
  ])('fails for %j', (p, message) => {
    expect(() => validateImageProvenance(undefined, 'p', p)).toThrow(message);
  });
});
