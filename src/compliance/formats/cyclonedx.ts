import type { ReportFormatInput } from './format-input';

/**
 * Stub: replaced by the cyclonedx renderer.
 *
 * @internal
 */
export function renderCycloneDx(_input: ReportFormatInput): string {
  throw new Error('the cyclonedx format is not implemented yet');
}
