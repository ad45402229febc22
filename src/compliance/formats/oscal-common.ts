// What the two OSCAL documents share: the OSCAL version, name-based UUIDs, the property namespace and the fixed time.
import { nameBasedUuid, URL_NAMESPACE_UUID } from './name-based-uuid';
import { CONTROLS_DOC_URL } from '../report-people';

/**
 * The OSCAL version both documents declare and are validated against: the newest release whose published JSON schemas
 * (`oscal_component_schema.json`, `oscal_assessment-results_schema.json` of usnistgov/OSCAL v1.2.1) are committed under
 * test/fixtures/schemas/. compliance-trestle 5.2 (based on OSCAL 1.2.1) imports and validates both documents.
 *
 * @internal
 */
export const OSCAL_VERSION = '1.2.1';

/** The namespace of every property this library defines (OSCAL requires `ns` for names outside NIST's). @internal */
export const OSCAL_PROPERTY_NS = 'https://compliance.cdk-compliant-ml.io/ns/oscal';

/** Where the control catalogue is published: the `source` of each control implementation. @internal */
export const CATALOGUE_SOURCE = CONTROLS_DOC_URL;

/** Where the committed component-definition is published (docs/oscal/component-definition.json). @internal */
export const COMPONENT_DEFINITION_URL = CONTROLS_DOC_URL.replace(/CONTROLS\.md$/, 'oscal/component-definition.json');

/** The root of every UUID this library writes: the RFC 4122 URL namespace applied to the property namespace. */
const ROOT_NAMESPACE = nameBasedUuid(OSCAL_PROPERTY_NS, URL_NAMESPACE_UUID);

/**
 * A name-based (version-5) UUID in this library's namespace: a finding keeps its UUID between two assessments of the same
 * workload and control.
 *
 * @param name the stable content the UUID stands for, e.g. `finding\nfraud/scorer\nSEC-1`
 * @param namespace a UUID (default: this library's namespace)
 * @internal
 */
export function uuidV5(name: string, namespace: string = ROOT_NAMESPACE): string {
  return nameBasedUuid(name, namespace);
}

/** An ISO 8601 date-time in UTC for seconds since 1970 (`1970-01-01T00:00:00Z` for 0). @internal */
export function oscalDateTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/** An OSCAL property of this library's namespace; values are trimmed to one line (OSCAL strings have no line breaks). @internal */
export function prop(name: string, value: string, extra: { class?: string } = {}): Record<string, string> {
  const oneLine = value.replace(/\s+/g, ' ').trim();
  return { name, ns: OSCAL_PROPERTY_NS, value: oneLine || '-', ...(extra.class ? { class: extra.class } : {}) };
}

/** The properties of the AI Act articles of a control, one per article. @internal */
export function articleProps(articles: readonly string[]): Array<Record<string, string>> {
  return articles.map((a) => prop('ai-act-article', a));
}
