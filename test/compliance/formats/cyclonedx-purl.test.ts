// Package URLs of the purl spec's `oci` type for image references and OCI model artifacts, and which URIs become CycloneDX
// `iri-reference` values.
import * as fc from 'fast-check';
import { digestHash, imagePurl, isLinkableUri, ociPurl, parseRenderedImage } from '../../../src/compliance/formats/cyclonedx-purl';
// ajv-formats-draft2019 (a devDependency; the CycloneDX library's validator needs it too) ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ajvIriReference: (value: string) => boolean = require('ajv-formats-draft2019/formats/iri-reference');

const HEX = 'e3b7c1a9d5f2e8b4c0a6d2f8e4b0c6a2d8f4e0b6c2a8d4f0e6b2c8a4d0f6e2b8';
const DIGEST = `sha256:${HEX}`;
const purlOf = (reference: string) => imagePurl(parseRenderedImage(reference));

/** Parses a purl by the spec's how-to-parse steps (enough for the oci type: no namespace, no subpath). */
function parsePurl(purl: string): { type: string; name: string; version: string; qualifiers: Record<string, string> } {
  const match = /^pkg:([a-z][a-z0-9.+-]*)\/([^@?#/]+)@([^?#]+)(?:\?([^#]*))?$/.exec(purl);
  if (!match) {
    throw new Error(`not an oci purl: ${purl}`);
  }
  const qualifiers = Object.fromEntries((match[4] ?? '').split('&').filter((q) => q).map((q) => {
    const eq = q.indexOf('=');
    return [q.slice(0, eq), decodeURIComponent(q.slice(eq + 1))];
  }));
  return { type: match[1], name: decodeURIComponent(match[2]), version: decodeURIComponent(match[3]), qualifiers };
}

describe('oci package URLs', () => {
  // The build tests of package-url/purl-spec tests/types/oci-test.json (commit a6201cffbd1cf619b8c0ab25d76d0c69aac438fb, MIT):
  // components in, the canonical purl out.
  test.each([
    ['debian', { arch: 'amd64', repository_url: 'docker.io/library/debian', tag: 'latest' },
      'pkg:oci/debian@sha256:244fd47e07d10?arch=amd64&repository_url=docker.io%2Flibrary%2Fdebian&tag=latest'],
    ['debian', { repository_url: 'ghcr.io/debian', tag: 'bullseye' }, 'pkg:oci/debian@sha256:244fd47e07d10?repository_url=ghcr.io%2Fdebian&tag=bullseye'],
    ['static', { repository_url: 'gcr.io/distroless/static', tag: 'latest' },
      'pkg:oci/static@sha256:244fd47e07d10?repository_url=gcr.io%2Fdistroless%2Fstatic&tag=latest'],
    ['hello-wasm', { tag: 'v1' }, 'pkg:oci/hello-wasm@sha256:244fd47e07d10?tag=v1'],
  ])('purl-spec build test: %s %j', (name, qualifiers, expected) => {
    expect(ociPurl(name, 'sha256:244fd47e07d10', qualifiers)).toBe(expected);
  });

  test.each([
    // registry with a port, nested repository path, tag
    [`localhost:5000/ml/team/fraud-train:2.0.1@${DIGEST}`, 'fraud-train', 'localhost:5000/ml/team/fraud-train', '2.0.1'],
    [`registry.acme.example:8443/a/b/c/d/scorer@${DIGEST}`, 'scorer', 'registry.acme.example:8443/a/b/c/d/scorer', undefined],
    [`123456789012.dkr.ecr.eu-central-1.amazonaws.com/credit-risk-api:2.3.0@${DIGEST}`, 'credit-risk-api',
      '123456789012.dkr.ecr.eu-central-1.amazonaws.com/credit-risk-api', '2.3.0'],
    // Docker Hub: docker.io and library/ as the runtime resolves them
    [`nginx@${DIGEST}`, 'nginx', 'docker.io/library/nginx', undefined],
    [`bitnami/redis:7.4@${DIGEST}`, 'redis', 'docker.io/bitnami/redis', '7.4'],
    [`localhost/team/x:v1@${DIGEST}`, 'x', 'localhost/team/x', 'v1'],
    // an IPv6 registry; an upper-case registry host; the name is lowercased, the repository URL kept as written
    [`[::1]:5000/models/llm@${DIGEST}`, 'llm', '[::1]:5000/models/llm', undefined],
    [`Registry.Example/Team/Model:1@${DIGEST}`, 'model', 'Registry.Example/Team/Model', '1'],
  ])('%s', (reference, name, repositoryUrl, tag) => {
    const purl = purlOf(reference)!;
    expect(parsePurl(purl)).toEqual({ type: 'oci', name, version: DIGEST, qualifiers: tag ? { repository_url: repositoryUrl, tag } : { repository_url: repositoryUrl } });
    expect(purl).toMatch(/^pkg:oci\/[a-z0-9._~-]+@sha256:[0-9a-f]{64}\?repository_url=[A-Za-z0-9.%:_~-]+(&tag=[A-Za-z0-9._-]+)?$/);
  });

  test('the canonical encoding: colons literal, slashes and brackets percent-encoded', () => {
    expect(purlOf(`localhost:5000/ml/x:1@${DIGEST}`)).toBe(`pkg:oci/x@${DIGEST}?repository_url=localhost:5000%2Fml%2Fx&tag=1`);
    expect(purlOf(`[::1]:5000/llm@${DIGEST}`)).toBe(`pkg:oci/llm@${DIGEST}?repository_url=%5B::1%5D:5000%2Fllm`);
  });

  test('sha512 digests: the version and a SHA-512 hash', () => {
    const sha512 = `sha512:${HEX}${HEX}`;
    expect(parsePurl(purlOf(`ghcr.io/acme/x@${sha512}`)!).version).toBe(sha512);
    expect(digestHash(sha512)).toEqual({ alg: 'SHA-512', content: `${HEX}${HEX}` });
    expect(digestHash(DIGEST)).toEqual({ alg: 'SHA-256', content: HEX });
  });

  test('fails when there is nothing to pin: no digest, a malformed digest, a repository that is an intrinsic', () => {
    expect(purlOf('nginx:latest')).toBeUndefined();
    expect(purlOf('ghcr.io/acme/x@sha256:abc')).toBeUndefined();
    expect(purlOf(`ghcr.io/acme/x@SHA256:${HEX}`)).toBeUndefined();
    expect(purlOf(`\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/api@${DIGEST}`)).toBeUndefined();
    expect(parseRenderedImage(`\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/api@${DIGEST}`).digest).toBe(DIGEST);
    expect(digestHash('sha256:abc')).toBeUndefined();
    expect(digestHash(undefined)).toBeUndefined();
  });

  // the OCI distribution grammar: [host[:port]/]path-component(/path-component)*[:tag]@sha256:<64 hex>
  const component = fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+){0,2}$/);
  const host = fc.oneof(fc.stringMatching(/^[a-z0-9]+(\.[a-z0-9]+){1,3}$/), fc.constant('localhost'));
  const reference = fc.record({
    registry: fc.option(fc.tuple(host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })), { nil: undefined }),
    path: fc.array(component, { minLength: 1, maxLength: 5 }),
    tag: fc.option(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/), { nil: undefined }),
    hex: fc.stringMatching(/^[0-9a-f]{64}$/),
  });

  test('property: every reference of the grammar gives a purl that parses back to its name, digest, repository and tag', () => {
    fc.assert(fc.property(reference, ({ registry, path, tag, hex }) => {
      const registryText = registry ? `${registry[0]}${registry[1] !== undefined ? `:${registry[1]}` : ''}` : undefined;
      const name = [registryText, ...path].filter((p) => p !== undefined).join('/');
      const text = `${name}${tag !== undefined ? `:${tag}` : ''}@sha256:${hex}`;
      const parsed = parsePurl(purlOf(text)!);
      // distribution's rule: the first of several components is a registry when it has '.' or ':' or is localhost
      const segments = name.split('/');
      const hasRegistry = segments.length > 1 && (/[.:]/.test(segments[0]) || segments[0] === 'localhost');
      const expectedRepository = hasRegistry ? name : segments.length === 1 ? `docker.io/library/${name}` : `docker.io/${name}`;
      expect(parsed).toEqual({
        type: 'oci',
        name: path[path.length - 1],
        version: `sha256:${hex}`,
        qualifiers: { repository_url: expectedRepository, ...(tag !== undefined ? { tag } : {}) },
      });
    }), { numRuns: 300 });
  });
});

describe('URIs written as CycloneDX iri-reference', () => {
  test.each(['s3://acme-data/transactions/2026-11/', 'gs://bucket/prefix/', 'https://models.acme.example/a.safetensors', 'file:///data/x'])(
    '%s is linked', (uri) => {
      expect(isLinkableUri(uri)).toBe(true);
      expect(ajvIriReference(uri)).toBe(true);
    });

  test.each(['models:/fraud-scorer/7', 'runs:/abc/model', 'hf://org/model', 'oci://ghcr.io/a', 's3://bucket/with space', 'https://x/%zz',
    'relative/path', '', 'https://x/<y>'])('fails when %j is not a registered-scheme URI: it becomes a property', (uri) => {
    expect(isLinkableUri(uri)).toBe(false);
  });

  test('property: whatever is linked, ajv-formats-draft2019 accepts as iri-reference', () => {
    const scheme = fc.constantFrom('s3', 'gs', 'https', 'http', 'file', 'models', 'hf', 'oci', 'S3');
    const rest = fc.string({ unit: fc.constantFrom('a', 'Z', '0', '/', '.', '-', '_', '~', ':', '?', '#', '[', ']', '@', '%', '20', ' ', '<', 'é', '\u00a0', '!', '&', '='), maxLength: 30 });
    fc.assert(fc.property(scheme, fc.constantFrom('://', ':/', ':'), rest, (s, sep, r) => {
      const uri = `${s}${sep}${r}`;
      if (isLinkableUri(uri)) {
        expect(ajvIriReference(uri)).toBe(true);
      }
    }), { numRuns: 2000 });
  });
});
