/* eslint-disable @typescript-eslint/no-explicit-any */
// RES-1: requests and limits that bound every container of the pod.
import { PodView } from './manifest';
import { parseQuantity } from './quantity';
import { Finding, verdict } from '../../compliance/finding';

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
