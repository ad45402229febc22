import { Aspects, CfnResource, IAspect, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { compareCodeUnits } from '../core/ordering';
import { CFN_LINT_REASONS_METADATA_KEY, requireThirdPartyAcknowledgement } from '../core/third-party-acknowledgements';

/**
 * A rule acknowledged for cdk-nag (`Validations.of(...).acknowledge`), with its reason; it also lands in the report.
 *
 * @internal
 */
export interface Acknowledged {
  readonly rule: string;
  readonly reason: string;
  readonly path: string;
}

/** One entry of cdk-nag's template metadata `cdk_nag.rules_to_suppress` (its v2 format, still read from templates). */
interface TemplateSuppression {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: string[];
}

/**
 * Copies an acknowledgement into the `cdk_nag` metadata of every CloudFormation resource below the scope at synthesis, so
 * that tools reading only the template (cdk-nag on a template, auditors) see the same reasons as the construct tree.
 */
class TemplateSuppressionAspect implements IAspect {
  constructor(private readonly entry: TemplateSuppression) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) {
      return;
    }
    const existing = (node.getMetadata('cdk_nag') as { rules_to_suppress?: TemplateSuppression[] } | undefined)?.rules_to_suppress ?? [];
    const same = (e: TemplateSuppression) => e.id === this.entry.id && e.reason === this.entry.reason;
    const merged = existing.filter((e) => !same(e));
    const previous = existing.find(same);
    const appliesTo = [...new Set([...(previous?.applies_to ?? []), ...(this.entry.applies_to ?? [])])].sort();
    merged.push({ id: this.entry.id, reason: this.entry.reason, ...(appliesTo.length > 0 ? { applies_to: appliesTo } : {}) });
    node.addMetadata('cdk_nag', { rules_to_suppress: merged.sort((a, b) => compareCodeUnits(a.id, b.id)) });
  }
}

/**
 * Acknowledges a cdk-nag rule on a construct with its reason: in the construct tree (`Validations.of(scope).acknowledge`,
 * what cdk-nag 3 reads), in the template metadata of the resources below it (`cdk_nag.rules_to_suppress`, what cdk-nag reads
 * from a template), and in the list that the compliance report shows.
 *
 * @internal
 */
export function acknowledge(list: Acknowledged[], scope: IConstruct, rule: string, reason: string): void {
  if (rule.split('::').length > 2) {
    // aws-cdk-lib's acknowledge() refuses IDs with more than one `::` (e.g. an IAM5 finding on `arn:<AWS::Partition>:s3:::b/*`);
    // record it in the same metadata entry that acknowledge() writes and cdk-nag reads
    const key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
    const previous = scope.node.metadata.filter((m) => m.type === key).pop()?.data as Record<string, string> | undefined;
    scope.node.addMetadata(key, { ...previous, [rule]: reason });
  } else {
    Validations.of(scope).acknowledge({ id: rule, reason });
  }
  const finding = /^([^[]+)\[(.+)\]$/.exec(rule);
  Aspects.of(scope).add(new TemplateSuppressionAspect(finding
    ? { id: finding[1], reason, applies_to: [finding[2]] }
    : { id: rule, reason }));
  list.push({ rule, reason, path: scope.node.path });
}

/** The CloudFormation resource an acknowledgement is written on: the construct itself, or its default child. */
function cfnResourceOf(scope: IConstruct): CfnResource {
  const resource = CfnResource.isCfnResource(scope) ? scope : scope.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) {
    throw new Error(`${scope.node.path} has no CloudFormation resource to write an acknowledgement on`);
  }
  return resource;
}

/**
 * Acknowledges a checkov check on the resource of a construct with its reason: in the resource's template metadata
 * `checkov.skip` (`[{id, comment}]`, what checkov reads). The compliance report reads it back from the template (as
 * `checkov:<check id>`), so an escape hatch that drops the metadata drops the report's line too.
 *
 * @internal
 */
export function acknowledgeCheckov(scope: IConstruct, checkId: string, reason: string): void {
  requireThirdPartyAcknowledgement('checkov', checkId, reason);
  const resource = cfnResourceOf(scope);
  const existing = (resource.getMetadata('checkov') as { skip?: Array<{ id: string; comment: string }> } | undefined)?.skip ?? [];
  const skip = [...existing.filter((s) => s.id !== checkId), { id: checkId, comment: reason }].sort((a, b) => compareCodeUnits(a.id, b.id));
  resource.addMetadata('checkov', { skip });
}

/**
 * Acknowledges a cfn-lint rule on the resource of a construct with its reason: the rule in the resource's template metadata
 * `cfn-lint.config.ignore_checks` (what cfn-lint reads; it has no field for a reason), the reason beside it in
 * `cdk-compliant-ml/acknowledged`. The compliance report reads both back from the template (as `cfn-lint:<rule>`).
 *
 * @internal
 */
export function acknowledgeCfnLint(scope: IConstruct, rule: string, reason: string): void {
  requireThirdPartyAcknowledgement('cfn-lint', rule, reason);
  const resource = cfnResourceOf(scope);
  const ignored = (resource.getMetadata('cfn-lint') as { config?: { ignore_checks?: string[] } } | undefined)?.config?.ignore_checks ?? [];
  resource.addMetadata('cfn-lint', { config: { ignore_checks: [...new Set([...ignored, rule])].sort() } });
  const reasons = (resource.getMetadata(CFN_LINT_REASONS_METADATA_KEY) as Array<{ tool: string; rule: string; reason: string }> | undefined) ?? [];
  resource.addMetadata(CFN_LINT_REASONS_METADATA_KEY, [...reasons.filter((r) => !(r.tool === 'cfn-lint' && r.rule === rule)),
    { tool: 'cfn-lint', rule, reason }].sort((a, b) => compareCodeUnits(a.rule, b.rule)));
}
