/* eslint-disable @typescript-eslint/no-explicit-any */
// Validators for the published schemas committed under test/fixtures/schemas/ (SOURCES.md names each file's origin):
// * a CRD's openAPIV3Schema made strict for ajv (additionalProperties false on every object with properties, unless
//   x-kubernetes-preserve-unknown-fields), plus what the API server checks outside it: apiVersion (group/version), kind,
//   metadata (a DNS-1123 subdomain name, a namespace exactly for a namespaced kind, string labels and annotations);
// * the OSCAL JSON schemas (draft-07), whose token patterns use \p{L}/\p{N}: ajv compiles patterns with the `u` flag.
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const SCHEMAS = path.join(__dirname, '..', '..', 'fixtures', 'schemas');

/** A JSON schema from openAPIV3Schema: Kubernetes extensions dropped, objects closed, int32/int64 as integer ranges. */
export function strictSchema(node: any): any {
  if (Array.isArray(node)) {
    return node.map(strictSchema);
  }
  if (!node || typeof node !== 'object') {
    return node;
  }
  const out: any = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || key === 'format' || key === 'description') {
      continue;
    }
    out[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strictSchema(v)]))
      : strictSchema(value);
  }
  if (node.format === 'int32') {
    Object.assign(out, { minimum: -(2 ** 31), maximum: 2 ** 31 - 1 });
  }
  if (node.properties && node.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks Kubernetes objects against the CRDs of their kinds; returns one message per problem (empty: all valid). */
export class CrdValidator {
  private readonly byKind = new Map<string, { validate: ValidateFunction; namespaced: boolean; apiVersion: string }>();

  constructor(files: string[], version: string) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    for (const file of files) {
      const crd = parse(fs.readFileSync(path.join(SCHEMAS, file), 'utf-8'));
      const served = crd.spec.versions.find((v: any) => v.name === version);
      if (!served) {
        throw new Error(`${file} has no version ${version}`);
      }
      this.byKind.set(crd.spec.names.kind, {
        validate: ajv.compile(strictSchema(served.schema.openAPIV3Schema)),
        namespaced: crd.spec.scope === 'Namespaced',
        apiVersion: `${crd.spec.group}/${version}`,
      });
    }
  }

  public problems(objects: any[]): string[] {
    const out: string[] = [];
    objects.forEach((o, i) => {
      const at = `document ${i} (${o?.kind} ${o?.metadata?.name})`;
      const crd = this.byKind.get(o?.kind);
      if (!crd) {
        out.push(`${at}: no CRD for kind ${o?.kind}`);
        return;
      }
      if (o.apiVersion !== crd.apiVersion) {
        out.push(`${at}: apiVersion ${o.apiVersion}, the CRD serves ${crd.apiVersion}`);
      }
      if (!crd.validate(o)) {
        out.push(...(crd.validate.errors ?? []).map((e) => `${at}: ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
      }
      const metadata = o.metadata ?? {};
      const extra = Object.keys(metadata).filter((k) => !['name', 'namespace', 'labels', 'annotations'].includes(k));
      if (extra.length > 0) out.push(`${at}: unexpected metadata fields ${extra.join(', ')}`);
      if (typeof metadata.name !== 'string' || metadata.name.length > 253 || !DNS_SUBDOMAIN.test(metadata.name)) {
        out.push(`${at}: metadata.name ${JSON.stringify(metadata.name)} is no DNS-1123 subdomain`);
      }
      if (crd.namespaced !== (metadata.namespace !== undefined)) {
        out.push(`${at}: metadata.namespace ${JSON.stringify(metadata.namespace)} on a ${crd.namespaced ? 'namespaced' : 'cluster-scoped'} kind`);
      }
      if (metadata.namespace !== undefined && (metadata.namespace.length > 63 || !DNS_LABEL.test(metadata.namespace))) {
        out.push(`${at}: metadata.namespace ${JSON.stringify(metadata.namespace)} is no DNS-1123 label`);
      }
      for (const map of ['labels', 'annotations']) {
        if (metadata[map] !== undefined && Object.values(metadata[map]).some((v) => typeof v !== 'string')) {
          out.push(`${at}: metadata.${map} has a value that is not a string`);
        }
      }
    });
    return out;
  }
}

let oscal: Ajv | undefined;

/** The OSCAL schema validator for one committed schema file (oscal_component_schema.json, oscal_assessment-results_schema.json). */
export function oscalValidator(file: string): ValidateFunction {
  if (!oscal) {
    oscal = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
    addFormats(oscal);
  }
  const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS, file), 'utf-8'));
  return oscal.getSchema(schema.$id) ?? (oscal.addSchema(schema), oscal.getSchema(schema.$id)!);
}

/** The problems ajv finds (empty: valid). */
export function oscalProblems(file: string, document: unknown): string[] {
  const validate = oscalValidator(file);
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

export const OPENREPORTS_CRDS = ['openreports.io_reports.yaml', 'openreports.io_clusterreports.yaml'];
export const POLICY_REPORT_CRDS = ['wgpolicyk8s.io_policyreports.yaml', 'wgpolicyk8s.io_clusterpolicyreports.yaml'];
