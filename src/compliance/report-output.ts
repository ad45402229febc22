import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { ControlCatalogue } from './catalogue';
import { COMPLIANCE_MODE_CONTEXT, ComplianceMode } from './collector';
import type { ComplianceReport } from './compliance-report';
import { ControlStatus } from './report-model';

/** The file name of the JSON report in the app's output directory. */
export const REPORT_JSON_FILE = 'compliance-report.json';
/** The file name of the Markdown report in the app's output directory. */
export const REPORT_MARKDOWN_FILE = 'compliance-report.md';
/** The prefix of every warning line the library prints. */
export const WARNING_PREFIX = '[cdk-compliant-ml] warning:';

/** Where `ComplianceReport.setMode()` stores the mode on the app root (Symbol.for, so two copies of the library agree). */
const MODE_SLOT = Symbol.for('cdk-compliant-ml.compliance-mode');
const MODES = Object.values(ComplianceMode) as string[];

/**
 * Stores the mode on the root of the app that contains `scope`; it wins over the `cdk-compliant-ml:mode` context key.
 *
 * @internal
 */
export function setComplianceMode(scope: IConstruct, mode: ComplianceMode): void {
  if (!MODES.includes(mode)) {
    throw new Error(`invalid compliance mode ${JSON.stringify(mode)}: use ComplianceMode.REPORT or ComplianceMode.ENFORCE`);
  }
  (scope.node.root as unknown as Record<symbol, ComplianceMode>)[MODE_SLOT] = mode;
}

/**
 * The mode of the app that contains `scope`: the one set with `ComplianceReport.setMode()`, else the context key
 * `cdk-compliant-ml:mode` (`report` or `enforce`), else `REPORT`. Throws on any other context value.
 *
 * @internal
 */
export function complianceModeOf(scope: IConstruct): ComplianceMode {
  const root = scope.node.root;
  const set = (root as unknown as Record<symbol, ComplianceMode | undefined>)[MODE_SLOT];
  if (set !== undefined) {
    return set;
  }
  const value: unknown = root.node.tryGetContext(COMPLIANCE_MODE_CONTEXT);
  if (value === undefined) {
    return ComplianceMode.REPORT;
  }
  if (typeof value === 'string' && MODES.includes(value)) {
    return value as ComplianceMode;
  }
  throw new Error(`invalid value ${JSON.stringify(value)} of the context key "${COMPLIANCE_MODE_CONTEXT}": `
    + `allowed values are ${MODES.map((m) => JSON.stringify(m)).join(' and ')} (e.g. -c ${COMPLIANCE_MODE_CONTEXT}=enforce)`);
}

/**
 * Writes `compliance-report.json` and `compliance-report.md` into `outdir` (created when missing).
 *
 * @internal
 */
export function writeReportFiles(outdir: string, report: ComplianceReport): void {
  fs.mkdirSync(outdir, { recursive: true });
  writeChunks(path.join(outdir, REPORT_JSON_FILE), report._jsonChunks());
  writeChunks(path.join(outdir, REPORT_MARKDOWN_FILE), report._markdownChunks());
}

/** The size of the buffer the report files are written through. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/**
 * Writes the concatenation of `chunks` to `file` (replacing it) through one buffer: each chunk is encoded straight into the
 * buffer, so the multi-megabyte report of a large app never exists as one string (nor as joined batches of strings).
 */
function writeChunks(file: string, chunks: Iterable<string>): void {
  const fd = fs.openSync(file, 'w');
  try {
    const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    let used = 0;
    for (const chunk of chunks) {
      // UTF-8 needs at most 3 bytes per UTF-16 code unit
      if (used + chunk.length * 3 > buffer.length) {
        fs.writeSync(fd, buffer, 0, used);
        used = 0;
      }
      if (chunk.length * 3 > buffer.length) {
        fs.writeSync(fd, chunk);
      } else {
        used += buffer.write(chunk, used);
      }
    }
    fs.writeSync(fd, buffer, 0, used);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * One readable line per violated control, in the report's canonical order:
 * `<path>: <control> <title> violated: <evidence>; add a waiver { control: '<ID>', reason: '...' } or fix the field`.
 *
 * @internal
 */
export function violationMessages(report: ComplianceReport): string[] {
  return report.failures().map((v) => {
    const title = ControlCatalogue.find(v.control)?.title ?? '';
    const evidence = v.evidence.length > 0 ? v.evidence.join(' | ') : '(no evidence recorded)';
    const fix = v.status === ControlStatus.UNVERIFIED
      ? 'make the field literal so that it can be checked, or add a waiver'
      : 'fix the field';
    return `${v.path}: ${v.control}${title ? ` ${title}` : ''} ${v.status}: ${evidence}; `
      + `add a waiver { control: '${v.control}', reason: '...' } or ${fix}`;
  });
}

/**
 * Applies the mode to a report: in `ENFORCE` returns one validation error per violation (the framework then fails synthesis
 * listing all of them); in `REPORT` prints one warning line per violation to stderr and returns no error.
 *
 * @internal
 */
export function modeErrors(scope: IConstruct, report: ComplianceReport): string[] {
  const messages = violationMessages(report);
  if (complianceModeOf(scope) === ComplianceMode.ENFORCE) {
    return messages;
  }
  for (const message of messages) {
    process.stderr.write(`${WARNING_PREFIX} ${message}\n`);
  }
  return [];
}
