import { IConstruct } from 'constructs';
import { propError } from './errors';
import { DIGEST_PATTERN as DIGEST } from './patterns';
import { DatasetMetadata, ImageProvenance, ModelMetadata } from './provenance';

/** @internal */
export const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;
/** @internal */
export const REVISION = /^[0-9a-f]{7,64}$/;
/** @internal */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,252}$/;

/**
 * Validates model metadata and throws a prop error naming the field.
 *
 * @internal
 */
export function validateModelMetadata(scope: IConstruct | undefined, prop: string, model: ModelMetadata): ModelMetadata {
  if (model === null || typeof model !== 'object') {
    throw propError(scope, prop, model, 'is not model metadata', 'pass { name, version }');
  }
  validateIdentity(scope, prop, model.name, model.version);
  validateOptional(scope, `${prop}.uri`, model.uri, URI, 'a URI with a scheme', 'e.g. models:/fraud-scorer/3 or s3://bucket/key');
  validateOptional(scope, `${prop}.digest`, model.digest, DIGEST, 'a digest', 'write it as sha256:<64 lowercase hex>');
  return model;
}

/**
 * Validates dataset metadata and throws a prop error naming the field.
 *
 * @internal
 */
export function validateDatasetMetadata(scope: IConstruct | undefined, prop: string, dataset: DatasetMetadata): DatasetMetadata {
  if (dataset === null || typeof dataset !== 'object') {
    throw propError(scope, prop, dataset, 'is not dataset metadata', 'pass { name, version }');
  }
  validateIdentity(scope, prop, dataset.name, dataset.version);
  validateOptional(scope, `${prop}.uri`, dataset.uri, URI, 'a URI with a scheme', 'e.g. s3://bucket/prefix/');
  validateOptional(scope, `${prop}.digest`, dataset.digest, DIGEST, 'a digest', 'write it as sha256:<64 lowercase hex>');
  return dataset;
}

/**
 * Validates OCI image provenance (IMG-4): source URL, hex revision, RFC 3339 creation time, base digest.
 *
 * @internal
 */
export function validateImageProvenance(scope: IConstruct | undefined, prop: string, p: ImageProvenance): ImageProvenance {
  validateOptional(scope, `${prop}.source`, p.source, URI, 'a URL', 'e.g. https://github.com/acme/fraud-scorer');
  if (p.source === undefined) {
    throw propError(scope, `${prop}.source`, p.source, 'is required', 'give the URL of the source the image was built from');
  }
  validateOptional(scope, `${prop}.revision`, p.revision, REVISION, 'a 7 to 64 character lowercase hex commit', 'e.g. the output of git rev-parse HEAD');
  if (p.revision === undefined) {
    throw propError(scope, `${prop}.revision`, p.revision, 'is required', 'give the commit the image was built from');
  }
  validateOptional(scope, `${prop}.created`, p.created, RFC3339, 'an RFC 3339 timestamp', 'e.g. 2026-11-02T10:00:00Z, taken from the build');
  validateOptional(scope, `${prop}.baseDigest`, p.baseDigest, DIGEST, 'a digest', 'write it as sha256:<64 lowercase hex>');
  return p;
}

function validateIdentity(scope: IConstruct | undefined, prop: string, name: string, version: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw propError(scope, `${prop}.name`, name, 'must be 1-253 characters of letters, digits, ".", "_", "-" or "/"',
      'use the name the artifact has in its registry');
  }
  if (typeof version !== 'string' || version.trim().length === 0) {
    throw propError(scope, `${prop}.version`, version, 'must not be empty', 'use the exact version from the registry');
  }
  if (version.trim().toLowerCase() === 'latest') {
    throw propError(scope, `${prop}.version`, version, '`latest` does not identify a version',
      'use the exact version from the registry, e.g. 1.4.2');
  }
  if (/\s/.test(version) || version.length > 128) {
    throw propError(scope, `${prop}.version`, version, 'must be at most 128 characters without white space', 'use the exact version from the registry');
  }
}

function validateOptional(scope: IConstruct | undefined, prop: string, value: string | undefined, re: RegExp, what: string, fix: string): void {
  if (value !== undefined && (typeof value !== 'string' || !re.test(value))) {
    throw propError(scope, prop, value, `is not ${what}`, fix);
  }
}
