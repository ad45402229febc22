// bom-refs of the ML-BOM: readable, deterministic (derived from content, never from input order or a counter over input
// order) and unique within the document.
import { createHash } from 'crypto';
import { nameBasedUuid, URL_NAMESPACE_UUID } from './name-based-uuid';
import { compareCodeUnits } from '../../core/ordering';

/**
 * Hands out bom-refs and keeps them unique within one BOM.
 *
 * @internal
 */
export class BomRefs {
  private readonly used = new Set<string>();

  /**
   * A ref for each distinct content: `base` when no other content shares the base, else `base~<8 hex of sha256(key)>`. The
   * result depends only on the set of `{base, key}` pairs, never on their order. Every ref is then reserved (`take`).
   *
   * @param items readable base and a key that identifies the content (its canonical JSON)
   * @returns the ref of each key
   */
  public forContents(items: ReadonlyArray<{ readonly base: string; readonly key: string }>): Map<string, string> {
    const keysByBase = new Map<string, Set<string>>();
    for (const { base, key } of items) {
      const keys = keysByBase.get(base) ?? new Set<string>();
      keys.add(key);
      keysByBase.set(base, keys);
    }
    const out = new Map<string, string>();
    for (const base of [...keysByBase.keys()].sort(compareCodeUnits)) {
      const keys = [...keysByBase.get(base)!].sort(compareCodeUnits);
      for (const key of keys) {
        if (!out.has(key)) {
          out.set(key, this.take(keys.length === 1 ? base : `${base}~${shortHash(key)}`));
        }
      }
    }
    return out;
  }

  /**
   * Reserves a ref: the ref itself, or (when taken already, which only contrived paths can cause) the ref with `~2`, `~3`, ...
   * Callers take refs in a deterministic order, so the result is deterministic too.
   */
  public take(ref: string): string {
    let candidate = ref;
    for (let n = 2; this.used.has(candidate); n++) {
      candidate = `${ref}~${n}`;
    }
    this.used.add(candidate);
    return candidate;
  }
}

/** The first 8 hex characters of the SHA-256 of a text. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * A name-based UUID (RFC 4122 §4.3, version 5: SHA-1) of a text in the URL namespace (`6ba7b811-9dad-11d1-80b4-00c04fd430c8`),
 * as a `urn:uuid:`: the same text always gives the same serial number.
 *
 * @internal
 */
export function nameBasedUuidUrn(name: string): string {
  return `urn:uuid:${nameBasedUuid(name, URL_NAMESPACE_UUID)}`;
}
