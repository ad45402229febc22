import type { ReportFormatInput } from './format-input';

/**
 * Stub: replaced by the oscal renderer.
 *
 * @internal
 */
export function renderOscalAssessmentResults(_input: ReportFormatInput): string {
  throw new Error('the oscal format is not implemented yet');
}

/**
 * Stub: the control catalogue as an OSCAL component-definition.
 *
 * @internal
 */
export function renderOscalComponentDefinition(): string {
  throw new Error('the OSCAL component-definition is not implemented yet');
}
