// The compliance half of the ML-BOM: the control catalogue as a CycloneDX 1.6 standard (definitions.standards) and every
// control result as a claim of the library about a workload, with its evidence, in one attestation per workload
// (declarations). Failing results (violated, unverified) are counter-claims with counter-evidence, exactly the report's
// failures(); waivers are mitigation strategies.
import { BomObject, property, PROPERTY_PREFIX, prune } from './cyclonedx-inventory';
import { BomRefs } from './cyclonedx-refs';
import { SourceLocation } from './format-input';
import { ControlCatalogue } from '../catalogue';
import { ControlDefinition, ControlFamily } from '../control';
import { ControlResult, ControlStatus, WorkloadReport } from '../report-model';
import { CONTROLS_DOC_URL, controlDocLink } from '../report-people';

/** The bom-ref of the standard, the assessor, and the prefix of requirement refs. */
const STANDARD_REF = 'standard:cdk-compliant-ml';
const ASSESSOR_REF = 'assessor:cdk-compliant-ml';
/** The AI Act, Regulation (EU) 2024/1689, by its European Legislation Identifier. */
const AI_ACT_ELI = 'http://data.europa.eu/eli/reg/2024/1689/oj';

/** The statuses the output shows met, and those enforcement fails on (`ComplianceReport.failures()`). */
const MET = new Set<string>([ControlStatus.ENFORCED, ControlStatus.EQUIVALENT, ControlStatus.RUNTIME_MANAGED]);
const FAILING = new Set<string>([ControlStatus.VIOLATED, ControlStatus.UNVERIFIED]);

/** What each status claims, as the conformance rationale and the claim's reasoning. */
const STATUS_MEANING: Record<string, string> = {
  [ControlStatus.ENFORCED]: 'enforced: the output shows it',
  [ControlStatus.EQUIVALENT]: 'equivalent: the backend\'s closest mechanism meets its intent',
  [ControlStatus.RUNTIME_MANAGED]: 'runtime-managed: the platform enforces it and offers no setting',
  [ControlStatus.EXTERNAL]: 'external: it depends on settings the output cannot show',
  [ControlStatus.WAIVED]: 'waived: deliberately relaxed by a waiver',
  [ControlStatus.NOT_APPLICABLE]: 'not-applicable: it does not apply to this kind of workload',
  [ControlStatus.UNVERIFIED]: 'unverified: the output cannot prove it either way; enforcement fails on it',
  [ControlStatus.VIOLATED]: 'violated: the output breaks it and no waiver covers it',
};

/** The families' titles (ControlFamily's documentation), the parents of the control requirements. */
const FAMILY_TITLES: Record<string, string> = {
  [ControlFamily.IMAGE]: 'Image references and their provenance',
  [ControlFamily.METADATA]: 'Labels, tags and provenance metadata',
  [ControlFamily.SECURITY]: 'Process and pod isolation',
  [ControlFamily.NETWORK]: 'Network isolation',
  [ControlFamily.RESOURCES]: 'Resource requests and limits',
  [ControlFamily.AVAILABILITY]: 'Redundancy and safe rollout of services',
  [ControlFamily.PROBES]: 'Health probes',
  [ControlFamily.JOBS]: 'Bounded, retried, evidence-preserving jobs',
  [ControlFamily.LOGGING]: 'Record keeping',
  [ControlFamily.MONITORING]: 'Operational monitoring',
  [ControlFamily.REGISTRY]: 'The image registry and supply chain',
};

/** The bom-ref of a control's requirement. @internal */
export function requirementRef(id: string): string {
  return `requirement:${id}`;
}

/**
 * Reserves the fixed bom-refs of the compliance half (standard, assessor, requirements) before any other ref is handed out.
 *
 * @internal
 */
export function reserveDeclarationRefs(refs: BomRefs, controlIds: string[]): void {
  [STANDARD_REF, ASSESSOR_REF, ...familyRequirements(controlIds).map((f) => f.ref), ...controlIds.map(requirementRef)]
    .forEach((r) => refs.take(r));
}

/** Every control ID the BOM defines: the catalogue's, then IDs of the report that the catalogue lacks. @internal */
export function definedControlIds(workloads: WorkloadReport[]): string[] {
  const ids = ControlCatalogue.ids();
  const known = new Set(ids);
  const extra = [...new Set(workloads.flatMap((w) => w.controls.map((c) => c.id)).filter((id) => !known.has(id)))].sort();
  return [...ids, ...extra];
}

/**
 * The control catalogue as a CycloneDX standard: one requirement per family (the parents) and one per control, with the
 * control's AI Act articles, severity, scope and how each backend meets it.
 *
 * @param version the package version (the catalogue ships with it)
 * @internal
 */
export function catalogueStandard(version: string, controlIds: string[]): BomObject {
  const requirements: BomObject[] = familyRequirements(controlIds).map((f) => ({
    'bom-ref': f.ref,
    'identifier': f.prefix,
    'text': f.title,
  }));
  for (const id of controlIds) {
    const control = ControlCatalogue.find(id);
    requirements.push(control ? controlRequirement(control) : {
      'bom-ref': requirementRef(id),
      'identifier': id,
      'text': `${id} (not in the catalogue of this version)`,
      'parent': familyRef(prefixOf(id)),
    });
  }
  return {
    'bom-ref': STANDARD_REF,
    'name': 'cdk-compliant-ml control catalogue for the EU AI Act',
    version,
    'description': 'The controls that cdk-compliant-ml checks on Kubernetes manifests, ECS CloudFormation templates and Dockerfiles, '
      + 'each mapped to the articles of Regulation (EU) 2024/1689 (AI Act) it supports. Requirements are grouped by control family.',
    'owner': 'cdk-compliant-ml',
    requirements,
    'externalReferences': [
      { type: 'documentation', url: CONTROLS_DOC_URL, comment: 'the control catalogue' },
      { type: 'documentation', url: AI_ACT_ELI, comment: 'Regulation (EU) 2024/1689 (Artificial Intelligence Act)' },
    ],
  };
}

function controlRequirement(control: ControlDefinition): BomObject {
  const rule = control.verdictRule;
  return {
    'bom-ref': requirementRef(control.id),
    'identifier': control.id,
    'text': control.title,
    'descriptions': [
      control.rationale,
      `EU AI Act: ${control.articles.join(', ')}.`,
      `Kubernetes: ${control.kubernetes}`,
      `Amazon ECS: ${control.ecs}`,
      ...(rule ? [`Verdict rule (Kubernetes): ${rule.kubernetes}`, `Verdict rule (ECS): ${rule.ecs}`] : []),
      ...(rule?.dockerfile ? [`Verdict rule (Dockerfile): ${rule.dockerfile}`] : []),
    ],
    'parent': familyRef(prefixOf(control.id)),
    'properties': [
      ...control.articles.map((a) => property('eu-ai-act:article', a)),
      property('severity', control.severity),
      property('scope', control.scope),
      property('practice', control.practice),
      ...control.externalRules.map((r) => property('external-rule', `${r.standard} ${r.id}`)),
    ],
    'externalReferences': [{ type: 'documentation', url: controlDocLink(control.id) }],
  };
}

function prefixOf(id: string): string {
  const dash = id.indexOf('-');
  return dash > 0 ? id.slice(0, dash) : id;
}

function familyRef(prefix: string): string {
  return `requirement:${prefix}`;
}

/** One parent requirement per ID prefix, in order of first appearance. */
function familyRequirements(controlIds: string[]): Array<{ ref: string; prefix: string; title: string }> {
  const out = new Map<string, { ref: string; prefix: string; title: string }>();
  for (const id of controlIds) {
    const prefix = prefixOf(id);
    if (!out.has(prefix)) {
      const family = ControlCatalogue.find(id)?.family;
      const title = family !== undefined ? FAMILY_TITLES[family] ?? `Controls of the ${family} family` : `Controls ${prefix}-*`;
      out.set(prefix, { ref: familyRef(prefix), prefix, title });
    }
  }
  return [...out.values()];
}

/**
 * The declarations: the library as the (self-)assessor, one claim with its evidence per control result of each workload, and
 * one attestation per workload that maps each requirement to its claim with a conformance score.
 *
 * @param workloads the report's workloads, in canonical order
 * @param workloadRefs the bom-ref of each workload (same order)
 * @param locate where an evidence line is written, when the caller can tell
 * @internal
 */
export function complianceDeclarations(workloads: WorkloadReport[], workloadRefs: string[], refs: BomRefs,
  locate: (workload: WorkloadReport, evidence: string) => SourceLocation | undefined): BomObject {
  const claims: BomObject[] = [];
  const evidence: BomObject[] = [];
  const attestations: BomObject[] = [];
  workloads.forEach((w, i) => {
    const target = workloadRefs[i];
    const key = target.slice('workload:'.length);
    const map: BomObject[] = [];
    for (const c of w.controls) {
      const claimRef = refs.take(`claim:${key}#${c.id}`);
      const evidenceRef = refs.take(`evidence:${key}#${c.id}`);
      evidence.push(resultEvidence(evidenceRef, w, c, locate));
      const waiverRef = c.status === ControlStatus.WAIVED && c.waiver ? refs.take(`waiver:${key}#${c.id}`) : undefined;
      if (waiverRef) {
        evidence.push(waiverEvidence(waiverRef, c));
      }
      const failing = FAILING.has(c.status);
      claims.push(prune({
        'bom-ref': claimRef,
        target,
        'predicate': predicate(w, c),
        'mitigationStrategies': waiverRef ? [waiverRef] : undefined,
        'reasoning': reasoning(c),
        'evidence': failing ? undefined : [evidenceRef],
        'counterEvidence': failing ? [evidenceRef] : undefined,
      }));
      map.push(prune({
        requirement: requirementRef(c.id),
        claims: failing ? undefined : [claimRef],
        counterClaims: failing ? [claimRef] : undefined,
        conformance: prune({
          score: MET.has(c.status) ? 1 : FAILING.has(c.status) || c.status === ControlStatus.WAIVED ? 0 : undefined,
          rationale: STATUS_MEANING[c.status] ?? c.status,
          mitigationStrategies: waiverRef ? [waiverRef] : undefined,
        }),
      }));
    }
    attestations.push({ summary: attestationSummary(w), assessor: ASSESSOR_REF, map });
  });
  return {
    assessors: [{ 'bom-ref': ASSESSOR_REF, 'thirdParty': false, 'organization': { name: 'cdk-compliant-ml' } }],
    attestations,
    claims,
    evidence,
  };
}

/** The verdict as a sentence; the control's text is its requirement's (linked by the attestation). */
function predicate(w: WorkloadReport, c: ControlResult): string {
  const control = c.id;
  switch (c.status) {
    case ControlStatus.VIOLATED: return `${w.path} does not meet ${control}`;
    case ControlStatus.UNVERIFIED: return `${w.path} cannot be shown to meet ${control}`;
    case ControlStatus.WAIVED: return `${control} is waived for ${w.path}`;
    case ControlStatus.NOT_APPLICABLE: return `${control} does not apply to ${w.path}`;
    case ControlStatus.EXTERNAL: return `${w.path} meets ${control} only if settings outside the output do`;
    default: return `${w.path} meets ${control}`;
  }
}

function reasoning(c: ControlResult): string {
  const meaning = STATUS_MEANING[c.status] ?? c.status;
  const waiver = c.status === ControlStatus.WAIVED && c.waiver ? `; waiver reason: ${c.waiver.reason}` : '';
  return `${meaning}${waiver}`;
}

function resultEvidence(ref: string, w: WorkloadReport, c: ControlResult,
  locate: (workload: WorkloadReport, evidence: string) => SourceLocation | undefined): BomObject {
  return prune({
    'bom-ref': ref,
    'propertyName': `${PROPERTY_PREFIX}:control:${c.id}`,
    'description': `${c.id} ${c.status}: what the output of ${w.path} shows`,
    'data': c.evidence.length > 0 ? c.evidence.map((line, n) => {
      const at = locate(w, line);
      return {
        name: at ? `${at.file}:${at.line}${at.column !== undefined ? `:${at.column}` : ''}` : `evidence ${n + 1}`,
        contents: { attachment: { content: line } }, // contentType defaults to text/plain
      };
    }) : undefined,
  });
}

function waiverEvidence(ref: string, c: ControlResult): BomObject {
  const waiver = c.waiver!;
  const parts = [`waiver of ${c.id}: ${waiver.reason}`];
  if (waiver.approvedBy !== undefined) {
    parts.push(`approved by ${waiver.approvedBy}`);
  }
  if (waiver.expires !== undefined) {
    parts.push(`valid through ${waiver.expires}`);
  }
  if (c.waiverSource !== undefined) {
    parts.push(`written in ${c.waiverSource}`);
  }
  return prune({
    'bom-ref': ref,
    'description': parts.join('; '),
    // the last valid day of the waiver, to its end in UTC (waivers are compared with the UTC date)
    'expires': waiver.expires !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(waiver.expires) ? `${waiver.expires}T23:59:59Z` : undefined,
    'author': waiver.approvedBy !== undefined ? { name: waiver.approvedBy } : undefined,
  });
}

function attestationSummary(w: WorkloadReport): string {
  const counts = new Map<string, number>();
  w.controls.forEach((c) => counts.set(c.status, (counts.get(c.status) ?? 0) + 1));
  const text = Object.values(ControlStatus).filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(', ');
  return `${w.kind} ${w.path} (${w.backend}): ${w.controls.length} control result${w.controls.length === 1 ? '' : 's'}${text ? ` (${text})` : ''}`;
}
