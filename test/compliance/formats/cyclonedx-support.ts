/* eslint-disable @typescript-eslint/no-explicit-any */
// Shared by the ML-BOM tests: the published CycloneDX 1.6 JSON schema (test/fixtures/schemas, see SOURCES.md) compiled by ajv
// in strict mode with every format checked, the CycloneDX library's own strict validator, and walkers over bom-refs.
import * as fs from 'fs';
import * as path from 'path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ComplianceReport } from '../../../src/compliance/compliance-report';
import { renderCycloneDx } from '../../../src/compliance/formats/cyclonedx';
import { ReportFormatInput } from '../../../src/compliance/formats/format-input';
// ajv-formats-draft2019 (a devDependency; the CycloneDX library's validator needs it too) ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const addDraft2019Formats: (ajv: Ajv) => Ajv = require('ajv-formats-draft2019');

const SCHEMAS = path.join(__dirname, '..', '..', 'fixtures', 'schemas');
const readSchema = (file: string) => JSON.parse(fs.readFileSync(path.join(SCHEMAS, file), 'utf-8'));

let validator: ValidateFunction | undefined;

/**
 * bom-1.6.schema.json with the spdx and jsf schemas it references, compiled once. ajv runs strict (unknown keywords and
 * formats are errors) with two concessions the published schema needs: its `meta:enum` annotation keyword is declared, and
 * `strictRequired` is off, because the schema's `oneOf` branches list `required` properties that the parent defines.
 * Formats: ajv-formats (date-time, email, ...) and ajv-formats-draft2019 (iri-reference, idn-email).
 */
export function bomSchemaValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
    addFormats(ajv);
    addDraft2019Formats(ajv);
    ajv.addKeyword('meta:enum');
    ajv.addSchema(readSchema('spdx.schema.json'));
    ajv.addSchema(readSchema('jsf-0.82.schema.json'));
    validator = ajv.compile(readSchema('bom-1.6.schema.json'));
  }
  return validator;
}

/** The schema errors of a BOM (empty when it validates), as readable lines. */
export function schemaErrors(bom: unknown): string[] {
  const validate = bomSchemaValidator();
  return validate(bom) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The errors of @cyclonedx/cyclonedx-library's JsonStrictValidator for CycloneDX 1.6 (null when valid). */
export async function libraryErrors(text: string): Promise<unknown> {
  return new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(text);
}

/** Renders the ML-BOM of a report, as the CLI and synth do (no source locations unless given). */
export function renderBom(report: ComplianceReport, origin: 'synth' | 'check' = 'synth',
  locate: ReportFormatInput['locate'] = () => undefined): string {
  return renderCycloneDx({ report, locate, origin });
}

/** Every `bom-ref` of a BOM, in document order (duplicates kept). */
export function bomRefs(node: any): string[] {
  if (Array.isArray(node)) {
    return node.flatMap(bomRefs);
  }
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => (k === 'bom-ref' ? [String(v)] : bomRefs(v)));
  }
  return [];
}

/** Every place a BOM refers to a bom-ref: dependencies, claims, attestations, requirement parents, model card datasets. */
export function refLinks(bom: any): Array<{ at: string; ref: string }> {
  const out: Array<{ at: string; ref: string }> = [];
  const add = (at: string, refs: unknown) => (Array.isArray(refs) ? refs : refs === undefined ? [] : [refs])
    .forEach((ref) => out.push({ at, ref: String(ref) }));
  for (const d of bom.dependencies ?? []) {
    add('dependencies.ref', d.ref);
    add(`dependencies[${d.ref}].dependsOn`, d.dependsOn);
  }
  for (const c of bom.declarations?.claims ?? []) {
    add(`claims[${c['bom-ref']}].target`, c.target);
    add(`claims[${c['bom-ref']}].evidence`, c.evidence);
    add(`claims[${c['bom-ref']}].counterEvidence`, c.counterEvidence);
    add(`claims[${c['bom-ref']}].mitigationStrategies`, c.mitigationStrategies);
  }
  for (const a of bom.declarations?.attestations ?? []) {
    add('attestations.assessor', a.assessor);
    for (const m of a.map) {
      add('attestations.map.requirement', m.requirement);
      add('attestations.map.claims', m.claims);
      add('attestations.map.counterClaims', m.counterClaims);
      add('attestations.map.conformance.mitigationStrategies', m.conformance?.mitigationStrategies);
    }
  }
  for (const s of bom.definitions?.standards ?? []) {
    for (const r of s.requirements) {
      add(`requirements[${r['bom-ref']}].parent`, r.parent);
    }
  }
  for (const c of bom.components ?? []) {
    for (const d of c.modelCard?.modelParameters?.datasets ?? []) {
      add(`components[${c['bom-ref']}].modelCard.datasets`, d.ref);
    }
  }
  return out;
}

/** The refs that point at nothing, and the bom-refs that occur more than once. */
export function refProblems(bom: any): { dangling: string[]; duplicates: string[] } {
  const all = bomRefs(bom);
  const defined = new Set(all);
  return {
    dangling: refLinks(bom).filter((l) => !defined.has(l.ref)).map((l) => `${l.at} -> ${l.ref}`),
    duplicates: [...new Set(all.filter((r, i) => all.indexOf(r) !== i))],
  };
}

/** The failing claims of a BOM as `path control status`, read from the counter-claims of the attestations. */
export function failingClaims(bom: any): string[] {
  const claims = new Map<string, any>(bom.declarations.claims.map((c: any) => [c['bom-ref'], c]));
  const workloads = new Map<string, any>(bom.components.map((c: any) => [c['bom-ref'], c]));
  return bom.declarations.attestations.flatMap((a: any) => a.map.flatMap((m: any) => (m.counterClaims ?? []).map((ref: string) => {
    const workload = workloads.get(claims.get(ref).target);
    const control = m.requirement.replace(/^requirement:/, '');
    const status = workload.properties.find((p: any) => p.name === `cdk-compliant-ml:control:${control}`).value;
    return `${workload.name} ${control} ${status}`;
  })));
}

/** The report's failures in the same form. */
export function reportFailures(report: ComplianceReport): string[] {
  return report.failures().map((f) => `${f.path} ${f.control} ${f.status}`);
}
