import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { ControlCatalogue } from './catalogue';
import { COMPLIANCE_MODE_CONTEXT, ComplianceMode } from './collector';
import type { ComplianceReport } from './compliance-report';
import { ControlSeverity } from './control';
import type { ReportFormatInput } from './formats/format-input';
import { REPORT_FORMAT_REGISTRY } from './formats/registry';
import { ReportFormat } from './report-format';
import { ControlStatus, NotEvaluatedObject, WorkloadReport } from './report-model';
import { SEVERITY_ORDER, bySeverity, severityRank, waiverHint } from './report-people';

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
 * Several apps of one process may synthesize into one directory (a cdk8s app and an aws-cdk app writing to `dist`): the
 * files then hold the workloads of all of them, merged, instead of the last app's alone. Each app's own entries are
 * replaced when it synthesizes again. Two apps with a workload of the same path cannot be merged into one report: that is
 * an error that names the path and the directory. A report without an app (`check`, `fromWorkloads`) replaces the files.
 *
 * @internal
 */
export function writeReportFiles(outdir: string, report: ComplianceReport, formats: ReportFormat[] = []): void {
  fs.mkdirSync(outdir, { recursive: true });
  const written = mergeWithOtherApps(outdir, report, formats);
  writeChunks(path.join(outdir, REPORT_JSON_FILE), written._jsonChunks());
  writeChunks(path.join(outdir, REPORT_MARKDOWN_FILE), written._markdownChunks());
}

/**
 * Writes the files of the enabled formats into `outdir` after a synthesis wrote `compliance-report.json` there (and the
 * manifests or templates that `input.locate` reads), and removes the files of every other format, so that no file of a
 * format that is no longer enabled is left behind, stale. The report is read back from `compliance-report.json`, so it holds
 * the workloads of every app that wrote into the directory; the formats written are those that any of these apps enabled
 * (in this process). Returns the files written, in registry order.
 *
 * @param input how the formats locate evidence (the report itself is read from the directory)
 * @internal
 */
export function writeFormatFiles(
  outdir: string,
  input: Omit<ReportFormatInput, 'report'>,
  reportOf: (json: { workloads: WorkloadReport[]; notEvaluated: NotEvaluatedObject[] }) => ComplianceReport,
): string[] {
  const file = path.join(outdir, REPORT_JSON_FILE);
  if (!fs.existsSync(file)) {
    return [];
  }
  const enabled = new Set<ReportFormat>();
  for (const written of writersOf(outdir).byApp.values()) {
    written.formats.forEach((f) => enabled.add(f));
  }
  const out: string[] = [];
  let report: ComplianceReport | undefined;
  for (const entry of REPORT_FORMAT_REGISTRY) {
    const target = path.join(outdir, entry.fileName);
    if (!enabled.has(entry.format)) {
      fs.rmSync(target, { force: true });
      continue;
    }
    report ??= reportOf(JSON.parse(fs.readFileSync(file, 'utf-8')));
    fs.writeFileSync(target, entry.render({ ...input, report }));
    out.push(target);
  }
  return out;
}

/**
 * Per output directory (real path): the workload and not-evaluated paths each app (by id) wrote there in this process, and the
 * formats it enabled.
 */
interface OutdirWriters {
  readonly byApp: Map<number, { readonly paths: Set<string>; readonly formats: ReportFormat[] }>;
}
const WRITERS_SLOT = Symbol.for('cdk-compliant-ml.report-writers');
const APP_IDS = new WeakMap<object, number>();

function writersOf(outdir: string): OutdirWriters {
  const global = globalThis as unknown as Record<symbol, Map<string, OutdirWriters> | undefined>;
  const all = global[WRITERS_SLOT] ?? (global[WRITERS_SLOT] = new Map());
  const key = fs.realpathSync(outdir);
  let writers = all.get(key);
  if (!writers) {
    writers = { byApp: new Map() };
    all.set(key, writers);
  }
  return writers;
}

let lastAppId = 0;

function appId(app: object): number {
  let id = APP_IDS.get(app);
  if (id === undefined) {
    id = ++lastAppId;
    APP_IDS.set(app, id);
  }
  return id;
}

/**
 * The report to write: `report`, plus the entries that other apps of this process wrote into the same directory (read back
 * from the JSON file, so no app's report is held in memory). Throws when two apps have a workload of the same path.
 */
function mergeWithOtherApps(outdir: string, report: ComplianceReport, formats: ReportFormat[]): ComplianceReport {
  const app = report._app;
  if (app === undefined) {
    return report;
  }
  const writers = writersOf(outdir);
  const id = appId(app);
  const own = new Set([...report.workloads.map((w) => w.path), ...report.notEvaluated.map((n) => n.path)]);
  const others = new Map<string, number>();
  for (const [otherId, written] of writers.byApp) {
    if (otherId !== id) {
      written.paths.forEach((p) => others.set(p, otherId));
    }
  }
  writers.byApp.set(id, { paths: own, formats: [...formats] });
  const file = path.join(outdir, REPORT_JSON_FILE);
  if (others.size === 0 || !fs.existsSync(file)) {
    return report;
  }
  const clash = [...own].find((p) => others.has(p));
  if (clash !== undefined) {
    writers.byApp.delete(id);
    throw new Error(`two apps write their compliance report into ${outdir} and both have a workload ${JSON.stringify(clash)}: `
      + 'one report cannot hold both; give each app its own output directory (new App({ outdir }))');
  }
  const previous = JSON.parse(fs.readFileSync(file, 'utf-8')) as { workloads?: WorkloadReport[]; notEvaluated?: NotEvaluatedObject[] };
  const workloads = (previous.workloads ?? []).filter((w) => others.has(w.path));
  const notEvaluated = (previous.notEvaluated ?? []).filter((n) => others.has(n.path));
  return report._withOthers(workloads, notEvaluated);
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
 * One readable line per failing (violated or unverified) control, most severe first (then workload, then catalogue order):
 * `<path>: <control> <title> [<severity>] <status>: <evidence>; fix the field or <waiver hint>`, the waiver hint written in
 * the syntax of the workload's input (see `waiverHint`), left out where no waiver can be given.
 *
 * @param minimumSeverity only controls of at least this severity
 * @internal
 */
export function violationMessages(report: ComplianceReport, minimumSeverity?: ControlSeverity): string[] {
  const workloads = new Map((report.toJson() as { workloads: WorkloadReport[] }).workloads.map((w) => [w.path, w]));
  const inApp = report._app !== undefined;
  const limit = minimumSeverity === undefined ? SEVERITY_ORDER.length : SEVERITY_ORDER.indexOf(minimumSeverity);
  return report.failures()
    .filter((v) => severityRank(v.control) <= limit)
    .map((v) => ({ ...v, id: v.control }))
    .sort(bySeverity)
    .map((v) => {
      const control = ControlCatalogue.find(v.control);
      const evidence = v.evidence.length > 0 ? v.evidence.join(' | ') : '(no evidence recorded)';
      const fix = v.status === ControlStatus.UNVERIFIED ? 'make the field literal so that it can be checked' : 'fix the field';
      const workload = workloads.get(v.path);
      const hint = workload ? waiverHint(workload, v.control, inApp) : undefined;
      return `${v.path}: ${v.control}${control ? ` ${control.title} [${control.severity}]` : ''} ${v.status}: ${evidence}; `
        + `${fix}${hint ? ` or ${hint}` : ''}`;
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
