import { ControlCatalogue } from './catalogue';

/**
 * Renders the control catalogue as the Markdown document `docs/CONTROLS.md` (kept in sync by a test).
 *
 * @internal
 */
export function renderCatalogueMarkdown(): string {
  const controls = ControlCatalogue.controls();
  const lines = [
    '# Control catalogue',
    '',
    '<!-- Generated from src/compliance/catalogue-*.ts by `npx projen docs:controls`. Do not edit by hand. -->',
    '',
    'Every control that cdk-compliant-ml enforces or reports, with its EU AI Act basis. Control IDs are stable.',
    '',
    '| ID | requirement | severity | AI Act | applies to | practice |',
    '|---|---|---|---|---|---|',
  ];
  for (const c of controls) {
    lines.push(`| ${c.id} | ${esc(c.title)} | ${c.severity} | ${c.articles.join(', ')} | ${c.scope} | ${c.practice} |`);
  }
  for (const c of controls) {
    lines.push('', `## ${c.id}: ${esc(c.title)}`, '', c.rationale, '');
    lines.push(`- **Severity:** ${c.severity}: ${c.severityRationale}`);
    lines.push(`- **AI Act:** ${c.articles.join(', ')}`);
    lines.push(`- **Kubernetes:** ${c.kubernetes}`);
    lines.push(`- **ECS:** ${c.ecs}`);
    lines.push(`- **Action when external or unverified:** Kubernetes: ${c.action.kubernetes}; ECS: ${c.action.ecs}`);
    lines.push(`- **External rules:** ${c.externalRules.map((r) => `${r.standard} ${r.id}`).join('; ') || 'none'}`);
    const rule = c.verdictRule;
    if (rule) {
      lines.push('', '**Verdict rule.**', '');
      lines.push(`- *Kubernetes:* ${rule.kubernetes || '(not written yet)'}`);
      lines.push(`- *ECS:* ${rule.ecs || '(not written yet)'}`);
      if (rule.dockerfile !== undefined) {
        lines.push(`- *Dockerfile:* ${rule.dockerfile || '(not written yet)'}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

function esc(text: string): string {
  return text.replace(/\|/g, '\\|');
}
