import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * The unacknowledged cdk-nag AwsSolutions findings of severity error below `scope`, as `rule @ construct path` lines; with
 * `under`, only those on resources whose construct path starts with it.
 */
export function nagErrors(scope: IConstruct, under = ''): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations
    .filter((v) => v.severity === 'error')
    .flatMap((v) => v.violatingResources.filter((r) => (r.constructPath ?? '').startsWith(under)).map((r) => `${v.ruleName} @ ${r.constructPath}`))
    .sort();
}
