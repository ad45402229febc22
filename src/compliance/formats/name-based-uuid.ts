import { createHash } from 'crypto';

/** RFC 4122 Appendix C: the name space for URLs. @internal */
export const URL_NAMESPACE_UUID = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/**
 * An RFC 4122 version-5 (SHA-1, name-based) UUID: the same name in the same namespace always gives the same UUID, so the
 * documents that carry it (OSCAL, CycloneDX) are byte-identical across runs.
 *
 * @param name the stable content the UUID stands for
 * @param namespace a UUID in its usual hyphenated form
 * @internal
 */
export function nameBasedUuid(name: string, namespace: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  // RFC 4122 §4.3: the version (5) in the high nibble of octet 6, the variant (10xx) in the high bits of octet 8
  hash[6] = (hash[6] % 0x10) + 0x50;
  hash[8] = (hash[8] % 0x40) + 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
