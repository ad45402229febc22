import type { ReportFormatInput } from './format-input';

/**
 * Stub: replaced by the sarif renderer.
 *
 * @internal
 */
export function renderSarif(_input: ReportFormatInput): string {
  throw new Error('the sarif format is not implemented yet');
}
