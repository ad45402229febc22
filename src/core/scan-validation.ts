import { IConstruct } from 'constructs';
import { propError, requireInteger } from './errors';
import { ImageReference } from './image-reference';
import { PROVENANCE_PREFIX } from './provenance-keys';
import { ImageScan, ScanReport, SeverityCounts, VulnerabilitySeverity } from './scan-report';
import { Waiver } from './waiver';
import { Finding } from '../compliance/finding';
import { ControlStatus } from '../compliance/report-model';

/** The key prefix of the first scan report's keys; the n-th further report uses `scan-<n>.` (annotations and docker labels). */
const SCAN_DOMAIN = PROVENANCE_PREFIX;
const COUNT_FIELDS: Array<keyof SeverityCounts> = ['critical', 'high', 'medium', 'low', 'unknown'];
const KEY = new RegExp(`^scan(?:-(\\d+))?\\.${SCAN_DOMAIN.replace(/[.]/g, '\\.')}/([a-z-]+)$`);
/** Severity ranks, most severe first (the enum's values are its names). */
const SEVERITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as VulnerabilitySeverity[];

/** The key of one field of the i-th report. @internal */
export function scanKey(index: number, field: string): string {
  return `${index === 0 ? 'scan' : `scan-${index}`}.${SCAN_DOMAIN}/${field}`;
}

/**
 * Validates the scan evidence of a workload against its image and returns the keys that record it (for annotations or
 * docker labels): per report `scanner`, `created`, `report`, `digest`, the five counts, `fail-on` and `allowed`.
 *
 * Throws when a report is for another digest, when the image is not pinned, or when a report has more findings at or above
 * `failOn` than `allowedFindings` and no waiver for REG-2 is in force.
 *
 * @internal
 */
export function validateImageScan(scope: IConstruct, prop: string, scan: ImageScan | undefined, image: ImageReference,
  waivers: Waiver[]): Record<string, string> {
  if (scan === undefined) {
    return {};
  }
  if (scan === null || typeof scan !== 'object' || !Array.isArray(scan.reports) || scan.reports.length === 0) {
    throw propError(scope, prop, scan, 'has no reports', 'pass { reports: [ScanReport.fromTrivyJsonFile(\'trivy.json\')] }');
  }
  const failOn = scan.failOn ?? SEVERITY_ORDER[0];
  if (!SEVERITY_ORDER.includes(failOn)) {
    throw propError(scope, `${prop}.failOn`, failOn, 'is not a VulnerabilitySeverity', 'use e.g. VulnerabilitySeverity.CRITICAL');
  }
  const allowed = requireInteger(scope, `${prop}.allowedFindings`, scan.allowedFindings ?? 0, 0, Number.MAX_SAFE_INTEGER);
  const digest = image.digest;
  if (digest === undefined) {
    throw propError(scope, prop, scan.reports.map((r) => r.source), `is evidence for a digest, but the image ${image.toString()} is not pinned by one`,
      'pin the image by the digest that was scanned (name@sha256:<64 hex>)');
  }
  const waived = waivers.some((w) => w.control === 'REG-2');
  const out: Record<string, string> = {};
  scan.reports.forEach((report, i) => {
    const where = `${prop}.reports[${i}]`;
    if (!(report instanceof ScanReport)) {
      throw propError(scope, where, report, 'is not a ScanReport', 'use ScanReport.fromTrivyJsonFile(path) or ScanReport.fromGrypeJsonFile(path)');
    }
    if (!report.isFor(digest)) {
      throw propError(scope, where, report.source, `is a ${report.scanner} report for ${report.digests.join(', ')}`
        + `${report.artifactName ? ` (${report.artifactName})` : ''}, not for the workload's image digest ${digest}`,
      `scan the image the workload runs (${report.scanner === 'trivy' ? 'trivy image --format json' : 'grype -o json'} ${image.toString()}) and pass that report`);
    }
    const over = report.countAtOrAbove(failOn);
    if (over > allowed && !waived) {
      throw propError(scope, where, report.source, `finds ${over} vulnerabilities at or above ${failOn} in ${digest} (${describeCounts(report.counts)}), `
        + `more than the ${allowed} allowed (control REG-2)`, 'patch the image (rebuild on a patched base image and scan the new digest), '
        + 'or add a waiver { control: \'REG-2\', reason: \'...\' } that names the accepted vulnerabilities');
    }
    Object.assign(out, {
      [scanKey(i, 'scanner')]: report.scannerDescription,
      [scanKey(i, 'report')]: report.source,
      [scanKey(i, 'digest')]: digest,
      [scanKey(i, 'fail-on')]: failOn,
      [scanKey(i, 'allowed')]: String(allowed),
    });
    if (report.createdAt) {
      out[scanKey(i, 'created')] = report.createdAt;
    }
    for (const f of COUNT_FIELDS) {
      out[scanKey(i, f)] = String(report.counts[f]);
    }
  });
  return out;
}

/** `CRITICAL=1 HIGH=2 …` @internal */
export function describeCounts(counts: SeverityCounts): string {
  return COUNT_FIELDS.map((f) => `${f.toUpperCase()}=${counts[f]}`).join(' ');
}

/**
 * REG-2 from recorded scan keys (annotations or docker labels): `enforced` when every recorded report is for one of the
 * workload's image digests and within its threshold, `violated` otherwise (a REG-2 waiver then makes it `waived`), and
 * `undefined` when no scan is recorded. The threshold is recomputed from the counts, not taken on trust.
 *
 * @param entries the annotations or docker labels
 * @param imageDigests the digests of the workload's images
 * @param ev renders one key and value as evidence
 * @internal
 */
export function scanFinding(entries: Record<string, string>, imageDigests: string[],
  ev: (key: string, value: string) => string): Finding | undefined {
  const reports = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(entries ?? {})) {
    const m = KEY.exec(key);
    if (m && typeof value === 'string') {
      const i = m[1] === undefined ? 0 : Number(m[1]);
      reports.set(i, { ...reports.get(i), [m[2]]: value });
    }
  }
  if (reports.size === 0) {
    return undefined;
  }
  const good: string[] = [];
  const bad: string[] = [];
  for (const i of [...reports.keys()].sort((a, b) => a - b)) {
    const r = reports.get(i)!;
    const failOn = SEVERITY_ORDER.find((s) => s === r['fail-on']) ?? SEVERITY_ORDER[0];
    const allowed = /^\d+$/.test(r.allowed ?? '') ? Number(r.allowed) : 0;
    const counts = COUNT_FIELDS.map((f) => Number(r[f]));
    const readable = counts.every((n) => Number.isInteger(n) && n >= 0);
    const over = readable ? counts.slice(0, SEVERITY_ORDER.indexOf(failOn) + 1).reduce((a, b) => a + b, 0) : Number.NaN;
    const what = [scanKey(i, 'scanner'), scanKey(i, 'digest'), scanKey(i, 'critical'), scanKey(i, 'high')]
      .filter((k) => entries[k] !== undefined).map((k) => ev(k, entries[k]));
    if (!imageDigests.includes(r.digest ?? '')) {
      bad.push(`${ev(scanKey(i, 'digest'), r.digest ?? '')}: the scan is not for the workload's image (${imageDigests.join(', ') || 'no digest'})`);
    } else if (!readable) {
      bad.push(`${ev(scanKey(i, 'critical'), r.critical ?? '')}: the recorded counts are not numbers`);
    } else if (over > allowed) {
      bad.push(...what, `${over} findings at or above ${failOn}, ${allowed} allowed`);
    } else {
      good.push(...what);
    }
  }
  return bad.length > 0
    ? { id: 'REG-2', status: ControlStatus.VIOLATED, evidence: bad }
    : { id: 'REG-2', status: ControlStatus.ENFORCED, evidence: good };
}
