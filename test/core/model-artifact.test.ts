import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ArtifactSource, DatasetArtifact, ImageReference, ModelArtifact } from '../../src';
import { validateArtifact } from '../../src/core/model-artifact';

const HEX = '0123456789abcdef'.repeat(4);
const SHA = `sha256:${HEX}`;

describe('ModelArtifact factories', () => {
  test('fromUri keeps source, scheme, uri and digest; a trailing slash makes a directory', () => {
    const file = ModelArtifact.fromUri('s3://models-acme/fraud/1.4.2/model.safetensors', SHA);
    expect(file).toMatchObject({ source: ArtifactSource.URI, scheme: 's3', uri: 's3://models-acme/fraud/1.4.2/model.safetensors', digest: SHA, isDirectory: false });
    expect(ModelArtifact.fromUri('gs://models-acme/fraud/', SHA)).toMatchObject({ scheme: 'gs', isDirectory: true });
    expect(ModelArtifact.fromUri('https://models.acme.example:8443/fraud/model.onnx', SHA)).toMatchObject({ scheme: 'https', isDirectory: false });
  });

  test('fromOci takes the digest of the image reference', () => {
    const image = ImageReference.fromString(`ghcr.io/acme/fraud-modelcar:1.4.2@${SHA}`);
    const artifact = ModelArtifact.fromOci(image);
    expect(artifact).toMatchObject({ source: ArtifactSource.OCI, digest: SHA, reference: image.toString(), isDirectory: true });
    expect(artifact.imageReference?.repository).toBe('acme/fraud-modelcar');
  });

  test('fromVolumeClaim keeps the claim', () => {
    expect(ModelArtifact.fromVolumeClaim('fraud-weights', SHA)).toMatchObject({ source: ArtifactSource.VOLUME_CLAIM, claimName: 'fraud-weights', isDirectory: true });
  });

  test('DatasetArtifact has the same sources and is a different type', () => {
    const dataset = DatasetArtifact.fromUri('s3://data-acme/transactions/2026-11/', SHA);
    expect(dataset.isDirectory).toBe(true);
    expect(dataset).not.toBeInstanceOf(ModelArtifact);
  });

  test.each([
    ['short', `sha256:${HEX.slice(1)}`, /is not 64 lowercase hex characters \(it has 63\).*sha256:<64 lowercase hex>/],
    ['uppercase', `sha256:${HEX.toUpperCase()}`, /has uppercase hex/],
    ['sha512', `sha512:${HEX}${HEX}`, /algorithm "sha512" is not sha256/],
    ['md5', 'md5:0123', /algorithm "md5" is not sha256/],
    ['no algorithm', HEX, /names no algorithm/],
    ['empty', '', /has no digest/],
  ])('fails when the digest is %s', (_what, digest, message) => {
    expect(() => ModelArtifact.fromUri('s3://models-acme/m.bin', digest)).toThrow(message);
  });

  test.each([
    ['http', 'http://models.acme.example/m.bin', /scheme "http" is not s3, gs or https/],
    ['file', 'file:///models/m.bin', /scheme "file"/],
    ['hf', 'hf://acme/fraud', /scheme "hf".*hf:\/\//],
    ['a relative path', 'models/m.bin', /not an absolute URI/],
    ['user info', 'https://user:pw@models.acme.example/m.bin', /user:password@|user information/],
    ['a user name', 'https://user@models.acme.example/m.bin', /user information before "@"/],
    ['an S3 presigned URL', 'https://b.s3.amazonaws.com/m.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc', /query parameter "X-Amz-Algorithm"/],
    ['a GCS signed URL', 'https://storage.googleapis.com/b/m.bin?X-Goog-Signature=abc', /"X-Goog-Signature" is a credential/],
    ['an Azure SAS', 'https://acct.blob.core.windows.net/c/m.bin?sv=2022&sig=abc', /"sv"|"sig"/],
    ['a token parameter', 'https://models.acme.example/m.bin?token=abc', /token=|"token"/],
    ['a Hugging Face token', 'https://huggingface.co/acme/m/resolve/abc/m.bin?x=hf_abcdefghijklmnopqrstuvwxyz0123456789', /Hugging Face token/],
    ['a query on s3', 's3://models-acme/m.bin?versionId=1', /query or fragment/],
    ['a fragment', 'https://models.acme.example/m.bin#x', /query or fragment/],
    ['a bad bucket', 's3://Models_Acme/m.bin', /not a valid bucket name/],
    ['no key', 's3://models-acme/', /names no object/],
    ['a dot-dot segment', 's3://models-acme/a/../m.bin', /"\." or "\.\." segment/],
    ['a quote', 's3://models-acme/it\'s.bin', /characters outside/],
    ['white space', 's3://models-acme/a b.bin', /not an absolute URI|characters outside/],
    ['the manifest itself', 'https://models.acme.example/fraud/SHA256SUMS', /names the manifest SHA256SUMS/],
  ])('fails when the URI has %s', (_what, uri, message) => {
    expect(() => ModelArtifact.fromUri(uri, SHA)).toThrow(message);
  });

  test('fails when an OCI reference has no digest or is not an ImageReference', () => {
    const unpinned = ImageReference.unpinned('ghcr.io/acme/modelcar:1.0', [{ control: 'IMG-1', reason: 'test' }]);
    expect(() => ModelArtifact.fromOci(unpinned)).toThrow(/invalid model artifact "ghcr.io\/acme\/modelcar:1.0": it has no digest/);
    expect(() => ModelArtifact.fromOci('ghcr.io/acme/modelcar:1.0' as unknown as ImageReference)).toThrow(/it is not an ImageReference/);
    expect(() => ModelArtifact.fromOci(ImageReference.fromString(`ghcr.io/acme/m@sha512:${HEX}${HEX}`))).toThrow(/algorithm "sha512"/);
  });

  test('fails when a claim name is not DNS-1123', () => {
    expect(() => ModelArtifact.fromVolumeClaim('Fraud_Weights', SHA)).toThrow(/DNS-1123 subdomain/);
    expect(() => ModelArtifact.fromVolumeClaim('', SHA)).toThrow(/it is empty/);
  });

  test('property: every sha256 of 64 lowercase hex is accepted, any other hex length refused', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-f0-9]{1,80}$/), (hex) => {
      const make = () => ModelArtifact.fromUri('gs://models-acme/m.bin', `sha256:${hex}`);
      if (hex.length === 64) {
        expect(make().digest).toBe(`sha256:${hex}`);
      } else {
        expect(make).toThrow(/64 lowercase hex/);
      }
    }));
  });
});

describe('validateArtifact (construct-time)', () => {
  test('names the construct path and the prop; refuses a claim where the backend has none', () => {
    const chart: Chart = Testing.chart();
    const claim = ModelArtifact.fromVolumeClaim('weights', SHA);
    expect(validateArtifact(chart, 'modelArtifact', claim, 'ModelArtifact', { allowVolumeClaim: true })).toBe(claim);
    expect(() => validateArtifact(chart, 'modelArtifact', claim, 'ModelArtifact', { allowVolumeClaim: false }))
      .toThrow(/^test: invalid modelArtifact "weights": a PersistentVolumeClaim exists only on Kubernetes; use ModelArtifact.fromUri/);
    expect(() => validateArtifact(chart, 'modelArtifact', DatasetArtifact.fromVolumeClaim('weights', SHA) as unknown as ModelArtifact,
      'ModelArtifact', { allowVolumeClaim: true })).toThrow(/invalid modelArtifact .*is not a ModelArtifact/);
  });
});
