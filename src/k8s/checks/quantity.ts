// Kubernetes resource quantities (apimachinery resource.Quantity): a signed decimal number with an optional binary suffix
// (Ki, Mi, Gi, Ti, Pi, Ei), decimal suffix (n, u, m, k, M, G, T, P, E) or decimal exponent (e3, E-2).

const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * The numeric value of a quantity (`"500m"` → 0.5, `"2Gi"` → 2147483648, a JSON number as is), or undefined when it is not a
 * quantity the API server would parse.
 *
 * @internal
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = QUANTITY.exec(value.trim() === value ? value : '');
  if (!match) {
    return undefined;
  }
  const [, sign, digits, suffix] = match;
  let factor = 1;
  if (suffix !== undefined) {
    factor = BINARY[suffix] ?? DECIMAL[suffix] ?? 10 ** Number(suffix.slice(1));
  }
  const magnitude = Number(digits) * factor;
  return sign === '-' ? -magnitude : magnitude;
}
