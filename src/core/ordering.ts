/**
 * The one string order of the library's output: plain UTF-16 code-unit comparison, the order of `Array.prototype.sort()`
 * without a comparator. Never `localeCompare` or `Intl.Collator`: their order follows the process's locale (Node's ICU
 * reads LANG and LC_ALL), so the same app would give different bytes on a Turkish and an English machine. Not part of the
 * library's API.
 */

/**
 * Compares two strings by UTF-16 code units: negative when `a` sorts first, positive when `b` does, 0 when equal.
 *
 * @internal
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
