// Reads the JSON reports of checkov and cfn-lint that scripts/third-party-checks.sh writes, prints passed/failed/skipped per
// framework and example and cfn-lint's errors/warnings, and exits 1 when a finding is neither fixed nor acknowledged with a
// reason:
//   checkov:  every failed check fails the run; a skipped check (checkov.io/skipN annotation, Metadata.checkov.skip, a
//             `# checkov:skip=` comment) passes only with a written reason (checkov says "No comment provided" without one);
//   cfn-lint: every match (error, warning, informational) fails the run; a rule the template ignores (Metadata.cfn-lint.config.
//             ignore_checks, which cfn-lint honours silently) passes only with its reason in Metadata.cdk-compliant-ml/acknowledged.
//
//   ts-node --transpile-only scripts/third-party-checks-summary.ts --checkov A.json [--checkov B.json] --cfn-lint C.json T.template.json...
import * as fs from 'fs';
import { CFN_LINT_REASONS_METADATA_KEY, readTemplateAcknowledgements } from '../src/core/third-party-acknowledgements';

/** What checkov said about one check on one resource. */
export interface CheckovResult {
  readonly framework: string;
  readonly checkId: string;
  readonly file: string;
  readonly resource: string;
  readonly result: 'passed' | 'failed' | 'skipped';
  /** The suppression comment of a skipped check. */
  readonly reason?: string;
}

/** One cfn-lint match. */
export interface CfnLintMatch {
  readonly rule: string;
  readonly level: string;
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** A cfn-lint rule that a template resource ignores, and the reason recorded beside it (if any). */
export interface CfnLintIgnore {
  readonly file: string;
  readonly resource: string;
  readonly rule: string;
  readonly reason?: string;
}

/** checkov's placeholder when a suppression carries no comment. */
const NO_COMMENT = 'No comment provided';

/** `/dist-examples/x/a.yaml` and `dist-examples/x/a.yaml` name the same file. */
function normalizeFile(file: unknown): string {
  return String(file ?? '').replace(/^\.?\//, '');
}

/**
 * The results of one checkov JSON report (`-o json`): a single framework's object, a list of them, or checkov's bare summary
 * when it found nothing to scan.
 */
export function parseCheckovReport(report: unknown): { results: CheckovResult[]; parsingErrors: string[] } {
  const runs = Array.isArray(report) ? report : [report];
  const results: CheckovResult[] = [];
  const parsingErrors: string[] = [];
  for (const run of runs as Array<Record<string, any>>) {
    if (!run || typeof run !== 'object' || !run.results) {
      continue;
    }
    const framework = String(run.check_type);
    const kinds: Array<[string, CheckovResult['result']]> = [['passed_checks', 'passed'], ['failed_checks', 'failed'], ['skipped_checks', 'skipped']];
    for (const [key, result] of kinds) {
      for (const check of (run.results[key] ?? []) as Array<Record<string, any>>) {
        const reason = result === 'skipped' ? String(check.check_result?.suppress_comment ?? '').trim() : undefined;
        results.push({
          framework,
          checkId: String(check.check_id),
          file: normalizeFile(check.file_path),
          resource: String(check.resource),
          result,
          ...(reason !== undefined ? { reason } : {}),
        });
      }
    }
    parsingErrors.push(...((run.results.parsing_errors ?? []) as unknown[]).map((f) => `${framework}: cannot parse ${normalizeFile(f)}`));
  }
  return { results, parsingErrors };
}

/** The matches of cfn-lint's `--format json` report. */
export function parseCfnLintReport(report: unknown): CfnLintMatch[] {
  return ((Array.isArray(report) ? report : []) as Array<Record<string, any>>).map((m) => ({
    rule: String(m.Rule?.Id),
    level: String(m.Level),
    file: normalizeFile(m.Filename),
    path: ((m.Location?.Path ?? []) as unknown[]).join('/'),
    message: String(m.Message),
  }));
}

/** The cfn-lint rules each resource of a template ignores, with the reasons recorded in the library's metadata. */
export function cfnLintIgnores(file: string, template: unknown): CfnLintIgnore[] {
  const resources = ((template as { Resources?: Record<string, { Metadata?: Record<string, any> }> })?.Resources) ?? {};
  const out: CfnLintIgnore[] = [];
  for (const [resource, body] of Object.entries(resources)) {
    const ignored: unknown = body?.Metadata?.['cfn-lint']?.config?.ignore_checks;
    const reasons = readTemplateAcknowledgements(body?.Metadata).acknowledged;
    for (const rule of Array.isArray(ignored) ? ignored.map(String) : []) {
      const reason = reasons.find((a) => a.rule === `cfn-lint:${rule}`)?.reason;
      out.push({ file: normalizeFile(file), resource, rule, ...(reason ? { reason } : {}) });
    }
  }
  return out;
}

/** The example a file belongs to: `dist-examples/<name>/…` and `examples/<name>/…` give `<name>`, any other file its folder. */
export function exampleOf(file: string): string {
  const match = /^(?:dist-)?examples\/([^/]+)\//.exec(file);
  return match ? match[1] : file.replace(/\/[^/]*$/, '');
}

/** The printed counts, and one line per finding that is neither fixed nor acknowledged with a reason. */
export function summarize(checkov: CheckovResult[], parsingErrors: string[], cfnLint: CfnLintMatch[], ignores: CfnLintIgnore[]):
{ lines: string[]; problems: string[] } {
  const lines: string[] = [];
  const problems = [...parsingErrors];
  const frameworks = [...new Set(checkov.map((r) => r.framework))].sort();
  for (const framework of frameworks) {
    const ofFramework = checkov.filter((r) => r.framework === framework);
    const examples = [...new Set(ofFramework.map((r) => exampleOf(r.file)))].sort();
    for (const example of [...examples, '(total)']) {
      const rows = example === '(total)' ? ofFramework : ofFramework.filter((r) => exampleOf(r.file) === example);
      const count = (result: string) => rows.filter((r) => r.result === result).length;
      lines.push(`checkov ${framework.padEnd(14)} ${example.padEnd(38)} passed ${String(count('passed')).padStart(4)}  `
        + `failed ${String(count('failed')).padStart(3)}  skipped ${String(count('skipped')).padStart(3)}`);
    }
  }
  for (const r of checkov.filter((x) => x.result === 'skipped')) {
    lines.push(`  acknowledged ${r.checkId} on ${r.resource} (${r.file}): ${r.reason}`);
    if (!r.reason || r.reason === NO_COMMENT) {
      problems.push(`checkov ${r.checkId} is skipped on ${r.resource} (${r.file}) without a reason`);
    }
  }
  for (const r of checkov.filter((x) => x.result === 'failed')) {
    problems.push(`checkov ${r.checkId} failed on ${r.resource} (${r.file})`);
  }
  const files = [...new Set([...cfnLint.map((m) => m.file), ...ignores.map((i) => i.file)])].sort();
  for (const file of [...files, '(total)']) {
    const matches = file === '(total)' ? cfnLint : cfnLint.filter((m) => m.file === file);
    const ignored = file === '(total)' ? ignores : ignores.filter((i) => i.file === file);
    const level = (l: string) => matches.filter((m) => m.level === l).length;
    lines.push(`cfn-lint ${(file === '(total)' ? file : exampleOf(file)).padEnd(52)} errors ${level('Error')}  warnings ${level('Warning')}  `
      + `informational ${level('Informational')}  ignored ${ignored.length}`);
  }
  for (const i of ignores) {
    lines.push(`  acknowledged cfn-lint ${i.rule} on ${i.resource} (${i.file}): ${i.reason ?? '(no reason)'}`);
    if (!i.reason) {
      problems.push(`cfn-lint ${i.rule} is ignored on ${i.resource} (${i.file}) without a reason in Metadata.${CFN_LINT_REASONS_METADATA_KEY}`);
    }
  }
  for (const m of cfnLint) {
    problems.push(`cfn-lint ${m.rule} (${m.level}) at ${m.path} (${m.file}): ${m.message}`);
  }
  return { lines, problems };
}

function main(argv: string[]): number {
  const checkovFiles: string[] = [];
  const cfnLintFiles: string[] = [];
  const templates: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--checkov') {
      checkovFiles.push(argv[++i]);
    } else if (argv[i] === '--cfn-lint') {
      cfnLintFiles.push(argv[++i]);
    } else {
      templates.push(argv[i]);
    }
  }
  const read = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf-8') || 'null');
  const checkov = checkovFiles.map((f) => parseCheckovReport(read(f)));
  // a report without a single result means checkov read none of the files: a broken run, not a clean one
  const empty = checkovFiles.filter((_f, i) => checkov[i].results.length === 0).map((f) => `checkov evaluated nothing (${f})`);
  const { lines, problems: findings } = summarize(
    checkov.flatMap((c) => c.results),
    checkov.flatMap((c) => c.parsingErrors),
    cfnLintFiles.flatMap((f) => parseCfnLintReport(read(f))),
    templates.flatMap((t) => cfnLintIgnores(t, read(t))),
  );
  const problems = [...empty, ...findings];
  console.log(lines.join('\n'));
  if (problems.length > 0) {
    console.error(['', `third-party-checks: ${problems.length} finding(s) neither fixed nor acknowledged with a reason:`,
      ...problems.map((p) => `  ${p}`)].join('\n'));
    return 1;
  }
  console.log('third-party-checks: every finding is fixed or acknowledged with a reason');
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
