import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack, Stage, StageSynthesisOptions, attachCustomSynthesis } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { templateWorkloads, throwTemplateProblem } from './checks/evaluate';
import { CfnTemplate, TemplateView } from './checks/template';
import { registerCollector } from '../compliance/collector';
import { ComplianceReport } from '../compliance/compliance-report';
import { synthLocator } from '../compliance/formats/synth-locator';
import { reportFormatsOf } from '../compliance/report-format';
import { Backend, WorkloadReport } from '../compliance/report-model';
import { complianceModeOf, modeErrors, writeReportFiles } from '../compliance/report-output';

/**
 * Marks the ECS constructs of this library (set by `EcsWorkloadBase`); a `Symbol.for` brand so that two copies of the
 * library in one app still recognise each other.
 *
 * @internal
 */
export const ECS_WORKLOAD_BRAND = Symbol.for('cdk-compliant-ml.ecs.workload');

/** What a branded construct offers the collector. */
interface ReportingEcsWorkload extends IConstruct {
  _reportEntry(template: TemplateView): WorkloadReport;
  _claimedLogicalIds(): string[];
}

function isReportingEcsWorkload(c: IConstruct): c is ReportingEcsWorkload {
  return (c as unknown as Record<symbol, unknown>)[ECS_WORKLOAD_BRAND] === true;
}

const SYNTH_SLOT = Symbol.for('cdk-compliant-ml.ecs.in-synthesis');
const HOOK_SLOT = Symbol.for('cdk-compliant-ml.ecs.report-hook');
/** Set while the app is synthesized for a report outside its own synth(): the hook then neither writes files nor fails. */
const REPORT_SYNTH_SLOT = Symbol.for('cdk-compliant-ml.ecs.report-synthesis');
/** Set once a report synthesized the app: the app's next synth() is forced, so that later changes are not lost. */
const STALE_SLOT = Symbol.for('cdk-compliant-ml.ecs.assembly-stale');
const FRESH_SYNTH_SLOT = Symbol.for('cdk-compliant-ml.ecs.fresh-synth');

type Slots = Record<symbol, boolean | undefined>;

/**
 * Makes the app's own `synth()` synthesize again (`force: true`) after a report synthesized it: aws-cdk caches the assembly
 * of the first synthesis and would return it, without any change made since (an `addPropertyOverride` after
 * `ComplianceReport.of(app)`, say), from every later `synth()`.
 */
function ensureFreshSynth(root: Stage): void {
  const slots = root as unknown as Slots;
  if (slots[FRESH_SYNTH_SLOT]) {
    return;
  }
  slots[FRESH_SYNTH_SLOT] = true;
  const synth = root.synth.bind(root);
  root.synth = (options: StageSynthesisOptions = {}) => {
    const stale = slots[STALE_SLOT] === true;
    slots[STALE_SLOT] = false;
    return synth(stale ? { ...options, force: true } : options);
  };
}

/**
 * The templates of the app's stacks for a report. Inside the app's own synthesis: read from the assembly directory. Outside
 * it (`ComplianceReport.of(app)`, `complianceEntry()`): the app is synthesized afresh (`force`, so every change made so far
 * is in), with the report hook idle (no files written, no enforcement: only the app's own synthesis fails), and its next
 * `synth()` is forced again, so a change made after the report is not lost.
 *
 * @internal
 */
export function reportTemplates(root: IConstruct): (stack: Stack) => CfnTemplate {
  const slots = root as unknown as Slots;
  if (slots[SYNTH_SLOT]) {
    return (stack) => JSON.parse(fs.readFileSync(path.join(Stage.of(stack)!.outdir, stack.templateFile), 'utf-8'));
  }
  if (!Stage.isStage(root)) {
    return (stack) => Stage.of(stack)!.synth().getStackArtifact(stack.artifactId).template;
  }
  ensureFreshSynth(root);
  slots[REPORT_SYNTH_SLOT] = true;
  let assembly: CloudAssembly;
  try {
    assembly = root.synth({ force: true });
  } finally {
    slots[REPORT_SYNTH_SLOT] = false;
  }
  slots[STALE_SLOT] = true;
  // a nested stage's assembly was synthesized with the root's (and is not wrapped): its synth() returns it from the cache
  return (stack) => {
    const stage = Stage.of(stack)!;
    return (stage === root ? assembly : stage.synth()).getStackArtifact(stack.artifactId).template;
  };
}

/** Construct paths of the resources of a stack by logical ID (the L2 wrapper's path for `Resource` children). */
function pathsByLogicalId(stack: Stack): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of stack.node.findAll()) {
    if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) {
      const owner = c.node.id === 'Resource' && c.node.scope ? c.node.scope : c;
      out.set(stack.resolve(c.logicalId), owner.node.path);
    }
  }
  return out;
}

/**
 * The report entries of every ECS workload below `root`: each construct of this library, and every foreign
 * `AWS::ECS::TaskDefinition` (with the `AWS::ECS::Service` that runs it, if any) in the synthesized templates.
 *
 * Each stack's template is read and indexed once per collection.
 *
 * @internal
 */
export function collectEcsWorkloads(root: IConstruct): WorkloadReport[] {
  const stacks = root.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  if (stacks.length === 0) {
    return [];
  }
  const views = new Map<Stack, TemplateView>();
  const templateOf = reportTemplates(root);
  const viewOf = (s: Stack) => {
    let v = views.get(s);
    if (!v) {
      v = new TemplateView(templateOf(s));
      views.set(s, v);
    }
    return v;
  };
  const entries: WorkloadReport[] = [];
  const claimed = new Map<Stack, Set<string>>();
  for (const c of root.node.findAll()) {
    if (isReportingEcsWorkload(c)) {
      const stack = Stack.of(c);
      entries.push(c._reportEntry(viewOf(stack)));
      const set = claimed.get(stack) ?? new Set<string>();
      c._claimedLogicalIds().forEach((id) => set.add(id));
      claimed.set(stack, set);
    }
  }
  for (const stack of stacks) {
    const tv = viewOf(stack);
    const skip = claimed.get(stack) ?? new Set<string>();
    if (tv.idsOfType('AWS::ECS::TaskDefinition').every((id) => skip.has(id))) {
      continue;
    }
    const paths = pathsByLogicalId(stack);
    entries.push(...templateWorkloads(tv, skip, (id) => paths.get(id) ?? `${stack.node.path}/${id}`, throwTemplateProblem));
  }
  return entries;
}

registerCollector({ backend: Backend.ECS, collect: (root) => ({ workloads: collectEcsWorkloads(root), notEvaluated: [] }) });

/**
 * Installs the report hook once per aws-cdk app (the root of `scope`): after every stack is synthesized, the report of the
 * whole app is written to the cloud assembly directory as `compliance-report.json` and `.md`, with the files of the enabled
 * formats (`ComplianceReport.setFormats`, located in the stack templates just written); in `ENFORCE` mode synthesis
 * then fails listing every violated control, in `REPORT` mode each violation is printed as a warning.
 *
 * @internal
 */
export function installEcsReportHook(scope: IConstruct): void {
  const root = scope.node.root;
  const slots = root as unknown as Record<symbol, boolean>;
  if (!Stage.isStage(root) || slots[HOOK_SLOT]) {
    return;
  }
  complianceModeOf(root);
  reportFormatsOf(root);
  slots[HOOK_SLOT] = true;
  attachCustomSynthesis(root, {
    onSynthesize: (session) => {
      if (slots[REPORT_SYNTH_SLOT]) {
        return; // a report's own synthesis (ComplianceReport.of): it computes the report itself
      }
      slots[SYNTH_SLOT] = true;
      let report: ComplianceReport;
      try {
        report = ComplianceReport.of(root);
      } finally {
        slots[SYNTH_SLOT] = false;
      }
      writeReportFiles(session.outdir, report, reportFormatsOf(root));
      // the stack templates are in the assembly directory already (the root synthesizes after its stacks)
      let locator: ReturnType<typeof synthLocator> | undefined;
      ComplianceReport._writeFormatFiles(session.outdir, (w, e) => (locator ??= synthLocator(session.outdir)).locate(w, e));
      const errors = modeErrors(root, report);
      if (errors.length > 0) {
        throw new Error(`cdk-compliant-ml: ${errors.length} control(s) violated without a waiver (mode enforce):\n  ${errors.join('\n  ')}`);
      }
    },
  });
}
