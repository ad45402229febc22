import { Aspects, CfnResource, IAspect, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { compareCodeUnits } from '../core/ordering';

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
