/* eslint-disable @typescript-eslint/no-explicit-any */
// RES-1: requests and limits that bound every container of the pod, read as Kubernetes resource quantities
// (apimachinery resource.Quantity): a signed decimal number with an optional binary suffix (Ki, Mi, Gi, Ti, Pi, Ei), decimal
// suffix (n, u, m, k, M, G, T, P, E) or decimal exponent (e3, E-2).
import { PodView } from './manifest';
import { Finding, verdict } from '../../compliance/finding';

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

const BOUNDED_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
/** Extended resources for accelerators (`nvidia.com/gpu`, `amd.com/gpu`, `gpu.intel.com/i915`): a limit is what reserves them. */
const ACCELERATOR = /(^|[./])gpu([./]|$)/;

/**
 * RES-1. Rule: "Every init container (native sidecars included: plain init containers count toward the pod's effective
 * request too) and every regular container sets `resources.requests` and `resources.limits` for `cpu`, `memory` and
 * `ephemeral-storage`, each a Kubernetes quantity greater than zero with the request not above the limit, and a limit for
 * every GPU resource it requests (`nvidia.com/gpu`, ...): enforced. A missing value, zero (`0`, `0Mi`, `0.0`, `0m`), a
 * negative or unparsable quantity, or a request above its limit: violated, with the value. Ephemeral containers may not set
 * resources and are not judged."
 *
 * @internal
 */
export function resourcesBounded(p: PodView): Finding {
  const good: string[] = []; const bad: string[] = [];
  for (const { c, path } of p.containers.filter((container) => !container.ephemeral)) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    const problems: string[] = [];
    for (const resource of BOUNDED_RESOURCES) {
      const values = { requests: requests[resource], limits: limits[resource] };
      for (const [bound, raw] of Object.entries(values)) {
        const amount = parseQuantity(raw);
        if (raw === undefined) {
          problems.push(p.field(`${path}.resources.${bound}.${resource}`, raw));
        } else if (amount === undefined) {
          problems.push(`${p.ev(`${path}.resources.${bound}.${resource}`, raw)} (not a quantity)`);
        } else if (!(amount > 0)) {
          problems.push(`${p.ev(`${path}.resources.${bound}.${resource}`, raw)} (not above zero)`);
        }
      }
      const request = parseQuantity(values.requests); const limit = parseQuantity(values.limits);
      if (request !== undefined && limit !== undefined && request > 0 && limit > 0 && request > limit) {
        problems.push(`${p.ev(`${path}.resources.{requests,limits}.${resource}`, [values.requests, values.limits])} (request above limit)`);
      }
    }
    for (const resource of Object.keys(requests).filter((name) => ACCELERATOR.test(name))) {
      const limit = parseQuantity(limits[resource]);
      if (limit === undefined || !(limit > 0)) {
        problems.push(`${p.field(`${path}.resources.limits["${resource}"]`, limits[resource])} (requested ${JSON.stringify(requests[resource])} without a limit)`);
      }
    }
    if (problems.length > 0) {
      bad.push(...problems);
    } else {
      good.push(p.ev(`${path}.resources`, c.resources));
    }
  }
  return verdict('RES-1', good, bad);
}
