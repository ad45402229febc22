import * as fs from 'fs';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { templateWorkloads, throwTemplateProblem } from './checks/evaluate';
import { TemplateView } from './checks/template';
import { ControlCatalogue } from '../compliance/catalogue';
import { ControlStatus } from '../compliance/report-model';

/**
 * The control checks as an aws-cdk policy validation plugin: every `AWS::ECS::TaskDefinition` of every synthesized template
 * (ours and foreign ones, with the waivers our constructs record in the template metadata) is evaluated against the
 * catalogue, and each violated control becomes a policy violation naming the resource and the offending field.
 *
 * Register it with `Validations.of(app).addPlugins(new ecs.CompliancePolicyPlugin())`; the CDK then prints the findings in
 * its validation report (`policy-validation-report.json`) and fails synthesis on them.
 */
export class CompliancePolicyPlugin implements IPolicyValidationPlugin {
  /** The plugin name shown in the validation report. */
  public readonly name = 'cdk-compliant-ml';
  /** The control IDs the plugin evaluates. */
  public readonly ruleIds?: string[] = ControlCatalogue.ids();

  /**
   * Evaluates the templates of the cloud assembly.
   *
   * @param context the templates to check
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const byRule = new Map<string, PolicyViolation & { violatingResources: PolicyViolation['violatingResources'][number][] }>();
    for (const templatePath of [...context.templatePaths].sort()) {
      const tv = new TemplateView(JSON.parse(fs.readFileSync(templatePath, 'utf-8')));
      for (const w of templateWorkloads(tv, new Set(), (id) => id, throwTemplateProblem)) {
        for (const c of w.controls.filter((x) => x.status === ControlStatus.VIOLATED)) {
          const control = ControlCatalogue.get(c.id);
          const v = byRule.get(c.id) ?? {
            ruleName: c.id,
            description: `${control.title} (${control.articles.join(', ')})`,
            fix: `change the field named in the evidence, or add a waiver { control: '${c.id}', reason: '...' } to the construct`,
            severity: 'error',
            ruleMetadata: { articles: control.articles.join(', ') },
            violatingResources: [],
          };
          v.violatingResources.push({ resourceLogicalId: w.path, templatePath, locations: c.evidence });
          byRule.set(c.id, v);
        }
      }
    }
    const violations = [...byRule.values()].sort((a, b) => ControlCatalogue.orderOf(a.ruleName) - ControlCatalogue.orderOf(b.ruleName));
    return { success: violations.length === 0, violations };
  }
}
