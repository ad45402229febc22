/**
 * A digest as OCI image-spec descriptor.md registers it: sha256 with 64, sha512 with 128 lowercase hex characters.
 *
 * @internal
 */
export const DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/**
 * The text after the last `@` of an image reference as rendered in a manifest or template (token parts flattened), or
 * undefined when there is none. Unlike `ImageReference.fromString`, it never throws: checkers read any output.
 *
 * @internal
 */
export function renderedDigest(image: string): string | undefined {
  const at = image.lastIndexOf('@');
  return at >= 0 ? image.slice(at + 1) : undefined;
}

/**
 * True when a rendered image reference ends in `@<registered digest>` (IMG-1).
 *
 * @internal
 */
export function isPinnedReference(image: string): boolean {
  const digest = renderedDigest(image);
  return digest !== undefined && DIGEST_PATTERN.test(digest);
}

/**
 * True when a rendered image reference has an acceptable tag (IMG-2): not `latest`, and no tag only when a digest pins it.
 * A tag exists only when the last `:` of the name comes after its last `/`, so a registry port is not mistaken for one.
 *
 * @internal
 */
export function hasAcceptableTag(image: string): boolean {
  const name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
  return tag !== 'latest' && (tag !== undefined || isPinnedReference(image));
}

/**
 * A media type (RFC 6838 restricted names), as OCI descriptors carry them in `mediaType` and `artifactType`.
 *
 * @internal
 */
export const MEDIA_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
