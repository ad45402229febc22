// CycloneDX 1.6 ML-BOM of an app or a `check` run (compliance-report.cdx.json): what the workloads run (images, models,
// datasets) and how each control stands for each of them, as CycloneDX declarations against the control catalogue. The
// choices are explained in docs/REPORT.md, section "CycloneDX ML-BOM".
import { catalogueStandard, complianceDeclarations, definedControlIds, reserveDeclarationRefs } from './cyclonedx-declarations';
import { BomInventory, bomInventory, BomObject, property, prune } from './cyclonedx-inventory';
import { BomRefs, nameBasedUuidUrn } from './cyclonedx-refs';
import type { ReportFormatInput } from './format-input';
import { compareCodeUnits } from '../../core/ordering';
import { NotEvaluatedObject, WorkloadReport } from '../report-model';
import { REPORT_GENERATOR, reportGeneratorVersion } from '../report-render';

/** The CycloneDX specification version written. @internal */
export const CYCLONEDX_SPEC_VERSION = '1.6';
/** The JSON schema of that version. @internal */
export const CYCLONEDX_SCHEMA_URL = 'http://cyclonedx.org/schema/bom-1.6.schema.json';

/**
 * Options of the ML-BOM.
 *
 * @internal
 */
export interface CycloneDxOptions {
  /**
   * The name of the app (`metadata.component.name`).
   *
   * @default - the chart and stack IDs of the workloads (synth), or the input files (check)
   */
  readonly appName?: string;
}

/**
 * The report as a CycloneDX 1.6 JSON ML-BOM, ending with a newline.
 *
 * Deterministic: no timestamp, bom-refs derived from content, every list in code-unit or catalogue order, the serial number a
 * name-based (version 5) UUID of the rest of the document. The same workloads, in any order, give the same bytes.
 *
 * @internal
 */
export function renderCycloneDx(input: ReportFormatInput, options: CycloneDxOptions = {}): string {
  const canonical = input.report.toJson() as { workloads: WorkloadReport[]; notEvaluated: NotEvaluatedObject[]; summary: Record<string, number> };
  // the canonical order is by path and kind; entries equal in both are ordered by their content, never by input order
  const workloads = [...canonical.workloads].sort((a, b) => compareCodeUnits(a.path, b.path) || compareCodeUnits(a.kind, b.kind)
    || compareCodeUnits(JSON.stringify(a), JSON.stringify(b)));
  const version = reportGeneratorVersion();
  const refs = new BomRefs();
  const controlIds = definedControlIds(workloads);
  reserveDeclarationRefs(refs, controlIds);
  const toolRef = refs.take(`tool:${REPORT_GENERATOR}`);
  const appRef = refs.take('app');
  const inventory: BomInventory = bomInventory(workloads, refs);
  const declarations = complianceDeclarations(workloads, inventory.workloadRefs, refs, input.locate);

  const bom: BomObject = {
    $schema: CYCLONEDX_SCHEMA_URL,
    bomFormat: 'CycloneDX',
    specVersion: CYCLONEDX_SPEC_VERSION,
    serialNumber: '',
    version: 1,
    metadata: {
      lifecycles: [{ phase: input.origin === 'synth' ? 'build' : 'post-build' }],
      tools: {
        components: [{
          'type': 'application',
          'bom-ref': toolRef,
          'name': REPORT_GENERATOR,
          version,
          'purl': `pkg:npm/${REPORT_GENERATOR}@${encodeURIComponent(version)}`,
        }],
      },
      component: prune({
        'type': 'application',
        'bom-ref': appRef,
        'name': options.appName ?? appName(workloads, input.origin),
        'description': input.origin === 'synth' ? 'the workloads of a synthesized app' : 'the workloads of the inputs of cdk-compliant-ml check',
      }),
      properties: [
        property('origin', input.origin),
        ...Object.entries(canonical.summary).filter(([, n]) => n > 0).map(([status, n]) => property(`summary:${status}`, String(n))),
      ],
    },
    components: inventory.components,
    dependencies: [
      { ref: appRef, dependsOn: [...new Set(inventory.workloadRefs)].sort(compareCodeUnits) },
      ...inventory.dependencies,
    ],
    declarations: declarations,
    definitions: { standards: [catalogueStandard(version, controlIds)] },
    properties: canonical.notEvaluated.length > 0
      ? canonical.notEvaluated.map((o) => property('not-evaluated', `${o.path} (${o.kind}): ${o.reason}`))
      : undefined,
  };
  bom.serialNumber = nameBasedUuidUrn(JSON.stringify(prune({ ...bom, serialNumber: undefined })));
  return `${formatJson(prune(bom), '')}\n`;
}

/** The width up to which a JSON value is written on one line. */
const LINE_WIDTH = 150;

/**
 * JSON text indented by two spaces, where every object or array that fits in `LINE_WIDTH` columns is written on one line
 * (a property, a hash, a dependency, a short claim): a change of one control is a diff of a few lines, and a large app does
 * not pay for a line per field. `JSON.parse` gives back the same value.
 *
 * @internal
 */
export function formatJson(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  const inline = compactWithin(value, LINE_WIDTH - indent.length);
  if (inline !== undefined) {
    return inline;
  }
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((item) => `${inner}${formatJson(item, inner)}`)
    : Object.entries(value as object).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return entries.length === 0 ? `${open}${close}` : `${open}\n${entries.join(',\n')}\n${indent}${close}`;
}

/** `JSON.stringify(value)` when it is at most `budget` characters long, else undefined (without rendering all of a large value). */
function compactWithin(value: unknown, budget: number): string | undefined {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text.length <= budget ? text : undefined;
  }
  const entries: Array<[string | undefined, unknown]> = Array.isArray(value)
    ? value.map((item) => [undefined, item])
    : Object.entries(value).filter(([, item]) => item !== undefined);
  const parts: string[] = [];
  let used = 2 + Math.max(0, entries.length - 1);
  for (const [key, item] of entries) {
    const prefix = key === undefined ? '' : `${JSON.stringify(key)}:`;
    const text = compactWithin(item, budget - used - prefix.length);
    if (text === undefined) {
      return undefined;
    }
    used += prefix.length + text.length;
    parts.push(`${prefix}${text}`);
  }
  return used <= budget ? (Array.isArray(value) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`) : undefined;
}

/** The chart and stack IDs (synth) or the input files (check) of the workloads, or `app` when there are none. */
function appName(workloads: WorkloadReport[], origin: 'synth' | 'check'): string {
  const roots = [...new Set(workloads.map((w) => (origin === 'check' ? w.path.split('#')[0] : w.path.split('/')[0])))].sort(compareCodeUnits);
  if (roots.length === 0) {
    return 'app';
  }
  return roots.length <= 5 ? roots.join(', ') : `${roots.slice(0, 5).join(', ')} and ${roots.length - 5} more`;
}
