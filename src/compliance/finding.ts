import { articlesOf } from './catalogue';
import { ControlResult, ControlStatus } from './report-model';
import { Waiver } from '../core/waiver';

/**
 * The outcome of one check before waivers are applied.
 *
 * @internal
 */
export interface Finding {
  readonly id: string;
  readonly status: ControlStatus;
  readonly evidence: string[];
}

/**
 * Builds a finding from per-item problems: enforced with the good evidence when there are none, violated otherwise.
 *
 * @internal
 */
export function verdict(id: string, good: string[], bad: string[], unknown: string[] = []): Finding {
  if (bad.length > 0) {
    return { id, status: ControlStatus.VIOLATED, evidence: bad };
  }
  if (unknown.length > 0) {
    return { id, status: ControlStatus.UNVERIFIED, evidence: unknown };
  }
  return { id, status: ControlStatus.ENFORCED, evidence: good };
}

/**
 * A finding that the output cannot prove either way (an intrinsic, a token, an unreadable object).
 *
 * @internal
 */
export function unverified(id: string, ...evidence: string[]): Finding {
  return { id, status: ControlStatus.UNVERIFIED, evidence };
}

/**
 * Turns findings into control results: adds each control's articles and marks a non-enforced control that a waiver covers
 * as `waived`, keeping the evidence of what the output shows.
 *
 * @param waiverSource where the waivers come from (`construct fraud/scorer`, `manifest annotation at FILE:LINE`, ...)
 * @internal
 */
export function applyWaivers(findings: Finding[], waivers: Waiver[], waiverSource?: string): ControlResult[] {
  const byId = new Map(waivers.map((w) => [w.control, w] as const));
  return findings.map((f) => {
    const articles = articlesOf(f.id);
    const waiver = byId.get(f.id);
    if (waiver && f.status !== ControlStatus.ENFORCED) {
      return { id: f.id, status: ControlStatus.WAIVED, articles, evidence: f.evidence, waiver, waiverSource };
    }
    return { id: f.id, status: f.status, articles, evidence: f.evidence };
  });
}
