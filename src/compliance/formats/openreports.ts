import type { ReportFormatInput } from './format-input';

/**
 * Stub: replaced by the openreports renderer.
 *
 * @internal
 */
export function renderOpenReports(_input: ReportFormatInput): string {
  throw new Error('the openreports format is not implemented yet');
}

/**
 * Stub: Kyverno's wgpolicyk8s.io/v1alpha2 PolicyReport flavour.
 *
 * @internal
 */
export function renderPolicyReport(_input: ReportFormatInput): string {
  throw new Error('the policyreport format is not implemented yet');
}
