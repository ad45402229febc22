import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack, Stage, attachCustomSynthesis } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { templateWorkloads, throwTemplateProblem } from './checks/evaluate';
import { CfnTemplate, TemplateView } from './checks/template';
import { registerCollector } from '../compliance/collector';
import { ComplianceReport } from '../compliance/compliance-report';
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

/** The synthesized template of a stack: read from the cloud assembly directory (synthesizing the app first when needed). */
function templateOf(stack: Stack, root: IConstruct): CfnTemplate {
  const stage = Stage.of(stack)!;
  if (!(root as unknown as Record<symbol, boolean>)[SYNTH_SLOT]) {
    return stage.synth().getStackArtifact(stack.artifactId).template;
  }
  return JSON.parse(fs.readFileSync(path.join(stage.outdir, stack.templateFile), 'utf-8'));
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
  const viewOf = (s: Stack) => {
    let v = views.get(s);
    if (!v) {
      v = new TemplateView(templateOf(s, root));
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
 * whole app is written to the cloud assembly directory as `compliance-report.json` and `.md`; in `ENFORCE` mode synthesis
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
  slots[HOOK_SLOT] = true;
  attachCustomSynthesis(root, {
    onSynthesize: (session) => {
      slots[SYNTH_SLOT] = true;
      let report: ComplianceReport;
      try {
        report = ComplianceReport.of(root);
      } finally {
        slots[SYNTH_SLOT] = false;
      }
      writeReportFiles(session.outdir, report);
      const errors = modeErrors(root, report);
      if (errors.length > 0) {
        throw new Error(`cdk-compliant-ml: ${errors.length} control(s) violated without a waiver (mode enforce):\n  ${errors.join('\n  ')}`);
      }
    },
  });
}
