// The report as OSCAL assessment-results (OSCAL_VERSION): one result per synth or check run, with
// * the workloads as inventory items of the result's local definitions (the observations' subjects);
// * one observation per control result of each workload, its relevant evidence the report's evidence lines (with the file and
//   line, when the caller can locate them);
// * one finding per violated or unverified control result (target state not-satisfied; reason fail or other), pointing at its
//   observation and at the backend's implemented requirement of the component-definition;
// * one risk per waived control result, status deviation-approved, with the waiver's reason, expiry (deadline) and approver.
// UUIDs are name-based (v5) from the workload path and the control ID; times are reportEpochSeconds(), never the clock.
import type { ReportFormatInput } from './format-input';
import { articleProps, COMPONENT_DEFINITION_URL, CATALOGUE_SOURCE, oscalDateTime, OSCAL_VERSION, prop, uuidV5 } from './oscal-common';
import { implementedRequirementUuid } from './oscal-component';
import { kubernetesObjectOf, reportEpochSeconds } from './workload-object';
import { ControlCatalogue } from '../catalogue';
import { ControlResult, ControlStatus, WorkloadReport } from '../report-model';
import { REPORT_GENERATOR, reportGeneratorVersion } from '../report-render';

export { renderOscalComponentDefinition } from './oscal-component';

/** The back-matter resource `import-ap` points at: the catalogue stands in for an assessment plan. */
const ASSESSMENT_PLAN_RESOURCE = uuidV5('assessment-plan\ncatalogue');

/**
 * The report as OSCAL assessment-results (JSON text ending with a newline).
 *
 * `import-ap` points at a back-matter resource, `#<uuid>`: the run has no OSCAL assessment plan; the plan is the catalogue
 * (docs/CONTROLS.md) as the component-definition states it (docs/oscal/component-definition.json), both linked there.
 *
 * @internal
 */
export function renderOscalAssessmentResults(input: ReportFormatInput): string {
  const canonical = input.report.toJson() as { workloads: WorkloadReport[]; summary: Record<string, number> };
  const time = oscalDateTime(reportEpochSeconds());
  const version = reportGeneratorVersion();
  const workloads = canonical.workloads;
  const runKey = `${input.origin}\n${workloads.map((w) => `${w.path}\n${w.kind}`).join('\n')}`;
  const observations: unknown[] = [];
  const findings: unknown[] = [];
  const risks: unknown[] = [];
  for (const w of workloads) {
    for (const c of w.controls) {
      const key = `${w.path}\n${w.kind}\n${c.id}`;
      const observationUuid = uuidV5(`observation\n${key}`);
      observations.push(observation(input, w, c, observationUuid, time));
      if (c.status === ControlStatus.VIOLATED || c.status === ControlStatus.UNVERIFIED) {
        findings.push(finding(w, c, key, observationUuid));
      }
      if (c.status === ControlStatus.WAIVED && c.waiver) {
        risks.push(risk(w, c, key, observationUuid));
      }
    }
  }
  const reviewed = [...new Set(workloads.flatMap((w) => w.controls.map((c) => c.id)))]
    .sort((a, b) => ControlCatalogue.orderOf(a) - ControlCatalogue.orderOf(b));
  const document = {
    'assessment-results': {
      'uuid': uuidV5(`assessment-results\n${runKey}`),
      'metadata': {
        'title': `${REPORT_GENERATOR} assessment results (${input.origin})`,
        'last-modified': time,
        'version': version,
        'oscal-version': OSCAL_VERSION,
        'props': [prop('generator', `${REPORT_GENERATOR} ${version}`), prop('origin', input.origin)],
      },
      'import-ap': {
        href: `#${ASSESSMENT_PLAN_RESOURCE}`,
        remarks: 'No OSCAL assessment plan: every applicable control of the catalogue is assessed on every workload.',
      },
      'results': [{
        'uuid': uuidV5(`result\n${runKey}`),
        'title': `${REPORT_GENERATOR} ${input.origin} of ${workloads.length} workload${workloads.length === 1 ? '' : 's'}`,
        'description': `The ${REPORT_GENERATOR} compliance report of one ${input.origin} run, read from the synthesized or given `
          + `output: ${Object.entries(canonical.summary).map(([status, n]) => `${n} ${status}`).join(', ')} control results.`,
        'start': time,
        'props': Object.entries(canonical.summary).map(([status, n]) => prop(`count-${status}`, String(n))),
        ...(workloads.length > 0 ? { 'local-definitions': { 'inventory-items': workloads.map(inventoryItem) } } : {}),
        'reviewed-controls': {
          'control-selections': [reviewed.length > 0 ? { 'include-controls': reviewed.map((id) => ({ 'control-id': id })) } : { 'include-all': {} }],
        },
        ...(observations.length > 0 ? { observations } : {}),
        ...(risks.length > 0 ? { risks } : {}),
        ...(findings.length > 0 ? { findings } : {}),
      }],
      'back-matter': {
        resources: [{
          uuid: ASSESSMENT_PLAN_RESOURCE,
          title: `The ${REPORT_GENERATOR} control catalogue`,
          description: 'The controls assessed, their EU AI Act articles and verdict rules, and their implementation per backend.',
          rlinks: [{ 'href': CATALOGUE_SOURCE, 'media-type': 'text/markdown' }, { 'href': COMPONENT_DEFINITION_URL, 'media-type': 'application/json' }],
        }],
      },
    },
  };
  return `${JSON.stringify(document, undefined, 2)}\n`;
}

function inventoryItemUuid(w: WorkloadReport): string {
  return uuidV5(`inventory-item\n${w.path}\n${w.kind}`);
}

function inventoryItem(w: WorkloadReport): Record<string, unknown> {
  const object = kubernetesObjectOf(w);
  return {
    uuid: inventoryItemUuid(w),
    description: `${w.kind} ${w.path} (${w.backend})`,
    props: [
      prop('workload', w.path),
      prop('workload-kind', w.kind),
      prop('backend', w.backend),
      ...(object ? [prop('kubernetes-object', `${object.apiVersion ? `${object.apiVersion} ` : ''}${object.kind} `
        + `${object.namespace ? `${object.namespace}/` : ''}${object.name}`)] : []),
      ...w.images.map((image) => prop('image', image)),
      ...(w.model ? [prop('model', `${w.model.name} ${w.model.version}`)] : []),
    ],
  };
}

function observation(input: ReportFormatInput, w: WorkloadReport, c: ControlResult, uuid: string, time: string): Record<string, unknown> {
  const evidence = c.evidence.map((line) => {
    const at = input.locate(w, line);
    return { ...(at ? { href: `${at.file}#L${at.line}` } : {}), description: line };
  });
  return {
    uuid: uuid,
    title: `${c.id} on ${w.path}: ${c.status}`,
    description: `${c.id} (${ControlCatalogue.find(c.id)?.title ?? c.id}) is ${c.status} on ${w.kind} ${w.path}.`,
    props: [prop('control-id', c.id), prop('status', c.status), ...articleProps(c.articles)],
    methods: ['EXAMINE'],
    subjects: [{ 'subject-uuid': inventoryItemUuid(w), 'type': 'inventory-item', 'title': w.path }],
    ...(evidence.length > 0 ? { 'relevant-evidence': evidence } : {}),
    collected: time,
  };
}

function finding(w: WorkloadReport, c: ControlResult, key: string, observationUuid: string): Record<string, unknown> {
  const violated = c.status === ControlStatus.VIOLATED;
  const definition = ControlCatalogue.find(c.id);
  return {
    'uuid': uuidV5(`finding\n${key}`),
    'title': `${c.id} ${c.status} on ${w.path}`,
    'description': violated
      ? `${w.kind} ${w.path} violates ${c.id}: ${c.evidence.join('; ')}`
      : `The output cannot prove ${c.id} on ${w.kind} ${w.path} either way; enforcement fails on it: ${c.evidence.join('; ')}`,
    'props': [
      prop('status', c.status),
      ...(definition ? [prop('severity', definition.severity)] : []),
      ...articleProps(c.articles),
    ],
    'target': {
      'type': 'objective-id',
      'target-id': c.id,
      'status': { state: 'not-satisfied', reason: violated ? 'fail' : 'other' },
    },
    'implementation-statement-uuid': implementedRequirementUuid(w.backend, c.id),
    'related-observations': [{ 'observation-uuid': observationUuid }],
  };
}

function risk(w: WorkloadReport, c: ControlResult, key: string, observationUuid: string): Record<string, unknown> {
  const waiver = c.waiver!;
  return {
    'uuid': uuidV5(`risk\n${key}`),
    'title': `${c.id} waived on ${w.path}`,
    'description': `${c.id} (${ControlCatalogue.find(c.id)?.title ?? c.id}) is waived on ${w.kind} ${w.path}: ${waiver.reason}`,
    'statement': waiver.reason,
    'props': [
      ...(waiver.approvedBy ? [prop('approved-by', waiver.approvedBy)] : []),
      ...(waiver.expires ? [prop('expires', waiver.expires)] : []),
      ...(c.waiverSource ? [prop('waiver-source', c.waiverSource)] : []),
      ...articleProps(c.articles),
    ],
    'status': 'deviation-approved',
    // the waiver's last valid day, to its end (UTC)
    ...(waiver.expires ? { deadline: `${waiver.expires}T23:59:59Z` } : {}),
    'related-observations': [{ 'observation-uuid': observationUuid }],
  };
}
