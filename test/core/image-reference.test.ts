import * as fc from 'fast-check';
import { ImageReference } from '../../src';

const HEX64 = 'a'.repeat(8) + '0123456789abcdef'.repeat(3) + 'f'.repeat(8);
const SHA = `sha256:${HEX64}`;

// ---- generators for the OCI distribution reference grammar ----
const alnum = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const separator = fc.constantFrom('.', '_', '__', '-', '--');
const component = (seps: fc.Arbitrary<string>) =>
  fc.tuple(alnum, fc.array(fc.tuple(seps, alnum), { maxLength: 2 })).map(([a, rest]) => a + rest.map(([s, b]) => s + b).join(''));
const domainComponent = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,4}[a-zA-Z0-9])?$/);
const port = fc.integer({ min: 1, max: 65535 }).map(String);
const registry = fc.oneof(
  fc.tuple(domainComponent, fc.array(domainComponent, { minLength: 1, maxLength: 3 })).map(([a, rest]) => [a, ...rest].join('.')),
  fc.constant('localhost'),
  fc.tuple(fc.oneof(domainComponent, fc.constant('localhost')), port).map(([h, p]) => `${h}:${p}`),
  fc.tuple(fc.constantFrom('[::1]', '[fe80::1]'), port).map(([h, p]) => `${h}:${p}`),
);
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/).filter((t) => t !== 'latest');
const digest = fc.oneof(
  fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`),
  fc.stringMatching(/^[a-f0-9]{128}$/).map((h) => `sha512:${h}`),
);
// Without a registry the first component must not look like one (no '.', not `localhost`), as in distribution's splitDomain.
const repositoryWithoutRegistry = fc.tuple(
  component(fc.constantFrom('_', '__', '-')).filter((c) => c !== 'localhost'),
  fc.array(component(separator), { maxLength: 2 }),
).map(([first, rest]) => [first, ...rest].join('/'));
const repositoryAfterRegistry = fc.array(component(separator), { minLength: 1, maxLength: 3 }).map((c) => c.join('/'));

const validReference = fc.oneof(
  fc.record({ registry: fc.constant(undefined), repository: repositoryWithoutRegistry, tag: fc.option(tag, { nil: undefined }), digest }),
  fc.record({ registry, repository: repositoryAfterRegistry, tag: fc.option(tag, { nil: undefined }), digest }),
).map((p) => ({ ...p, text: `${p.registry ? `${p.registry}/` : ''}${p.repository}${p.tag ? `:${p.tag}` : ''}@${p.digest}` }));

describe('ImageReference.fromString', () => {
  test('every reference of the grammar parses into its parts and round-trips', () => {
    fc.assert(fc.property(validReference, (p) => {
      const ref = ImageReference.fromString(p.text);
      expect(ref.registry).toBe(p.registry);
      expect(ref.repository).toBe(p.repository);
      expect(ref.tag).toBe(p.tag);
      expect(ref.digest).toBe(p.digest);
      expect(ref.toString()).toBe(p.text);
      expect(ref.isPinned).toBe(true);
    }), { numRuns: 300 });
  });

  test('fails when the digest has uppercase hex', () => {
    fc.assert(fc.property(validReference, fc.nat(), (p, n) => {
      const hexStart = p.text.lastIndexOf(':') + 1;
      const hex = p.text.slice(hexStart);
      const i = n % hex.length;
      const mutated = p.text.slice(0, hexStart) + hex.slice(0, i) + 'A' + hex.slice(i + 1);
      expect(() => ImageReference.fromString(mutated)).toThrow(/is not sha256:<64 lowercase hex> or sha512:<128 lowercase hex>/);
    }), { numRuns: 100 });
  });

  test('fails when the digest is truncated', () => {
    fc.assert(fc.property(validReference, fc.integer({ min: 1, max: 40 }), (p, cut) => {
      expect(() => ImageReference.fromString(p.text.slice(0, p.text.length - cut))).toThrow(/invalid image reference .*digest/);
    }), { numRuns: 100 });
  });

  test('fails when the digest is missing, naming the fix', () => {
    fc.assert(fc.property(validReference, (p) => {
      const unpinned = p.text.slice(0, p.text.lastIndexOf('@'));
      expect(() => ImageReference.fromString(unpinned)).toThrow(/it has no digest.*pin it by digest as name\[:tag\]@sha256:<64 lowercase hex>/);
    }), { numRuns: 100 });
  });

  test('fails when the repository has a bad character', () => {
    fc.assert(fc.property(validReference, fc.constantFrom('A', '!', '$', '%', ' ', '#'), (p, bad) => {
      const at = p.text.lastIndexOf('@');
      const head = p.text.slice(0, at);
      const slash = head.lastIndexOf('/');
      const mutated = `${head.slice(0, slash + 1)}${bad}${head.slice(slash + 1)}${p.text.slice(at)}`;
      expect(() => ImageReference.fromString(mutated)).toThrow(/invalid image reference/);
    }), { numRuns: 100 });
  });

  test.each([
    ['localhost:5000/x@' + SHA, 'localhost:5000', 'x', undefined],
    ['docker.io/library/python:3.12-slim@' + SHA, 'docker.io', 'library/python', '3.12-slim'],
    ['python:3.12-slim@' + SHA, undefined, 'python', '3.12-slim'],
    ['localhost/x:1@' + SHA, 'localhost', 'x', '1'],
    ['Registry/x@' + SHA, 'Registry', 'x', undefined],
    ['[::1]:5000/team/model:v1@' + SHA, '[::1]:5000', 'team/model', 'v1'],
    ['123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud@' + SHA, '123456789012.dkr.ecr.eu-central-1.amazonaws.com', 'fraud', undefined],
    ['ghcr.io/acme/fraud-scorer:1.4.2@' + SHA, 'ghcr.io', 'acme/fraud-scorer', '1.4.2'],
    ['a__b/c---d.e@' + SHA, undefined, 'a__b/c---d.e', undefined],
  ])('parses %s', (text, reg, repo, t) => {
    const ref = ImageReference.fromString(text);
    expect([ref.registry, ref.repository, ref.tag, ref.digest]).toEqual([reg, repo, t, SHA]);
    expect(ref.toString()).toBe(text);
  });

  test('accepts sha512 digests of 128 hex and refuses 64-hex sha512', () => {
    const sha512 = `sha512:${HEX64}${HEX64}`;
    expect(ImageReference.fromString(`x@${sha512}`).digest).toBe(sha512);
    expect(() => ImageReference.fromString(`x@sha512:${HEX64}`)).toThrow(/sha512:<128 lowercase hex>/);
  });

  test.each([
    ['python:3.12', /it has no digest/],
    ['python:latest@' + SHA, /the tag `latest`/],
    ['python@md5:' + 'a'.repeat(32), /is not sha256/],
    ['python@sha256:' + HEX64 + 'a', /is not sha256/],
    ['localhost:abc/x@' + SHA, /the registry "localhost:abc" is not a host name/],
    ['-bad.io/x@' + SHA, /the registry "-bad.io"/],
    ['x:' + 'a'.repeat(129) + '@' + SHA, /the tag .* does not match/],
    ['x:.tag@' + SHA, /the tag ".tag" does not match/],
    ['/x@' + SHA, /path component ""/],
    ['x//y@' + SHA, /path component ""/],
    ['x_@' + SHA, /path component "x_"/],
    ['@' + SHA, /no repository name/],
    ['', /it is empty/],
    ['a/' + 'b'.repeat(260) + '@' + SHA, /characters long/],
  ])('fails for %s', (text, message) => {
    expect(() => ImageReference.fromString(text)).toThrow(message);
  });

  test('fails for `latest` with the fix in the message', () => {
    expect(() => ImageReference.fromString('ghcr.io/acme/x:latest@' + SHA))
      .toThrow('invalid image reference "ghcr.io/acme/x:latest@' + SHA + '": the tag `latest` says nothing about what runs');
  });
});

describe('token name parts', () => {
  test('an unresolved token in the name is accepted when the digest is literal', () => {
    const uri = '${Token[AWS.AccountId.5]}.dkr.ecr.${Token[AWS.Region.9]}.${Token[AWS.URLSuffix.3]}/${Token[TOKEN.120]}';
    const ref = ImageReference.fromString(`${uri}@${SHA}`);
    expect(ref.digest).toBe(SHA);
    expect(ref.registry).toBe('${Token[AWS.AccountId.5]}.dkr.ecr.${Token[AWS.Region.9]}.${Token[AWS.URLSuffix.3]}');
    expect(ref.repository).toBe('${Token[TOKEN.120]}');
    expect(ref.toString()).toBe(`${uri}@${SHA}`);
  });

  test('fails when the digest is a token', () => {
    expect(() => ImageReference.fromString('repo@${Token[TOKEN.7]}')).toThrow(/its digest is an unresolved token/);
  });

  test('fromNameAndDigest joins a token name and a literal digest', () => {
    const ref = ImageReference.fromNameAndDigest('${Token[TOKEN.1]}', SHA);
    expect(ref.toString()).toBe('${Token[TOKEN.1]}@' + SHA);
    expect(() => ImageReference.fromNameAndDigest('repo', 'sha256:abc')).toThrow(/"sha256:abc" is not sha256/);
  });
});

describe('ImageReference.unpinned', () => {
  test('a tag-only reference needs an IMG-1 waiver and carries it', () => {
    const waiver = { control: 'IMG-1', reason: 'vendor image is re-signed nightly; digest pinned in the GitOps overlay' };
    const ref = ImageReference.unpinned('vendor/server:2.1', [waiver]);
    expect(ref.isPinned).toBe(false);
    expect(ref.tag).toBe('2.1');
    expect(ref.waivers).toEqual([waiver]);
  });

  test('fails without the waivers it needs', () => {
    expect(() => ImageReference.unpinned('vendor/server:2.1', [])).toThrow(/breaks IMG-1 and no waiver covers IMG-1/);
    expect(() => ImageReference.unpinned('vendor/server', [{ control: 'IMG-1', reason: 'r' }])).toThrow(/no waiver covers IMG-2/);
  });

  test('fails for a waiver with an empty reason', () => {
    expect(() => ImageReference.unpinned('vendor/server:1', [{ control: 'IMG-1', reason: ' ' }])).toThrow(/needs a reason/);
  });
});
