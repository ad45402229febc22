/* eslint-disable @typescript-eslint/no-explicit-any */
import { readFileSync } from 'fs';
import { basename } from 'path';
import { DIGEST_PATTERN } from './patterns';

// The two report formats, as their producers define them (read at synth time from a file; nothing is fetched):
//
// Trivy `--format json` (aquasecurity/trivy pkg/types/report.go; schema 2 since PR #782, artifact metadata since PR #1079):
//   { "SchemaVersion": 2, "CreatedAt": "<RFC 3339>", "ArtifactName": "<ref as given>", "ArtifactType": "container_image",
//     "Trivy": { "Version": "0.69.0" },                      <- only since PR #10065 (2026-01); older reports carry no version
//     "Metadata": { "ImageID": "sha256:<config digest>", "RepoTags": [...], "RepoDigests": ["name@sha256:<manifest digest>"] },
//     "Results": [ { "Target": "...", "Vulnerabilities": [ { "VulnerabilityID": "CVE-…", "Severity": "CRITICAL" }, ... ] } ] }
//   Severities: UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL. `Metadata.ImageID` is the digest of the image *config* blob, not of the
//   manifest a reference pins, so it is recorded but never matched against the workload's digest.
//
// Grype `-o json` (anchore/grype grype/presenter/models: document.go, descriptor.go, source.go; syft source.ImageMetadata):
//   { "matches": [ { "vulnerability": { "id": "CVE-…", "severity": "Critical" }, "artifact": { ... } }, ... ],
//     "source": { "type": "image", "target": { "userInput": "...", "imageID": "sha256:<config>",
//                 "manifestDigest": "sha256:<platform manifest>", "repoDigests": ["name@sha256:<manifest or index>"] } },
//     "descriptor": { "name": "grype", "version": "0.87.0", "timestamp": "<RFC 3339>" } }
//   Severities: Unknown, Negligible, Low, Medium, High, Critical. Negligible is counted as LOW.

/**
 * Vulnerability severities, from the most to the least severe, as Trivy names them. Grype's `Negligible` counts as `LOW`.
 */
export enum VulnerabilitySeverity {
  /** Critical. */
  CRITICAL = 'CRITICAL',
  /** High. */
  HIGH = 'HIGH',
  /** Medium. */
  MEDIUM = 'MEDIUM',
  /** Low (and Grype's Negligible). */
  LOW = 'LOW',
  /** The scanner's database gives no severity. The lowest rank: a threshold of UNKNOWN fails on any finding. */
  UNKNOWN = 'UNKNOWN',
}

/**
 * The vulnerability scanners whose JSON reports this library reads.
 */
export enum VulnerabilityScanner {
  /** Aqua Security Trivy (`trivy image --format json`). */
  TRIVY = 'trivy',
  /** Anchore Grype (`grype -o json`). */
  GRYPE = 'grype',
}

/**
 * Findings of one report counted by severity. A finding is one vulnerability in one package, as the scanner lists it.
 */
export interface SeverityCounts {
  /** CRITICAL findings. */
  readonly critical: number;
  /** HIGH findings. */
  readonly high: number;
  /** MEDIUM findings. */
  readonly medium: number;
  /** LOW findings (Grype's Negligible included). */
  readonly low: number;
  /** Findings without a severity. */
  readonly unknown: number;
}

/** Severity ranks, most severe first. */
const SEVERITY_ORDER: VulnerabilitySeverity[] = [
  VulnerabilitySeverity.CRITICAL, VulnerabilitySeverity.HIGH, VulnerabilitySeverity.MEDIUM, VulnerabilitySeverity.LOW, VulnerabilitySeverity.UNKNOWN,
];

const COUNT_KEY: Record<VulnerabilitySeverity, keyof SeverityCounts> = {
  [VulnerabilitySeverity.CRITICAL]: 'critical',
  [VulnerabilitySeverity.HIGH]: 'high',
  [VulnerabilitySeverity.MEDIUM]: 'medium',
  [VulnerabilitySeverity.LOW]: 'low',
  [VulnerabilitySeverity.UNKNOWN]: 'unknown',
};

/** What a parser found in a report. */
interface ReportFields {
  readonly scanner: VulnerabilityScanner;
  readonly scannerVersion?: string;
  readonly createdAt?: string;
  readonly artifactName?: string;
  readonly digests: string[];
  readonly counts: SeverityCounts;
  readonly source: string;
}

/** Largest report read from a file: a scan of a large image is a few MB; anything far bigger is not a scan report. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/**
 * A vulnerability scan report of one container image, read from the scanner's JSON output at synth time (no network).
 *
 * Pass it to a workload in `imageScan.reports`: the workload checks that the report is for its image's digest, records
 * scanner, version, date and counts in its manifests (annotations or docker labels) for REG-2, and refuses findings above
 * the threshold unless REG-2 is waived.
 */
export class ScanReport {
  /**
   * Reads a Trivy JSON report (`trivy image --format json --output report.json <name>@sha256:<digest>`).
   *
   * @param path the report file
   */
  public static fromTrivyJsonFile(path: string): ScanReport {
    return ScanReport.fromTrivyJson(readReport(path), basename(path));
  }

  /**
   * Parses a Trivy JSON report (`SchemaVersion` 2).
   *
   * @param json the report text
   * @param source a name for the report in errors and evidence, e.g. the file name
   */
  public static fromTrivyJson(json: string, source: string = 'trivy report'): ScanReport {
    return parseTrivy(parseJson(json, source, 'Trivy'), source);
  }

  /**
   * Reads a Grype JSON report (`grype -o json --file report.json <name>@sha256:<digest>`).
   *
   * @param path the report file
   */
  public static fromGrypeJsonFile(path: string): ScanReport {
    return ScanReport.fromGrypeJson(readReport(path), basename(path));
  }

  /**
   * Parses a Grype JSON report.
   *
   * @param json the report text
   * @param source a name for the report in errors and evidence, e.g. the file name
   */
  public static fromGrypeJson(json: string, source: string = 'grype report'): ScanReport {
    return parseGrype(parseJson(json, source, 'Grype'), source);
  }

  /** The scanner that wrote the report. */
  public readonly scanner: VulnerabilityScanner;
  /** The scanner's version, when the report records it (Grype always; Trivy only since v0.69). */
  public readonly scannerVersion?: string;
  /** When the scan ran (RFC 3339), when the report records it. */
  public readonly createdAt?: string;
  /** The image reference the scanner was given, when recorded. */
  public readonly artifactName?: string;
  /** Every manifest digest the report says it is for (from repo digests, Grype's manifest digest, a digest-pinned input). */
  public readonly digests: string[];
  /** Findings by severity. */
  public readonly counts: SeverityCounts;
  /** Where the report came from (the file name), for errors and evidence. */
  public readonly source: string;

  private constructor(fields: ReportFields) {
    this.scanner = fields.scanner;
    this.scannerVersion = fields.scannerVersion;
    this.createdAt = fields.createdAt;
    this.artifactName = fields.artifactName;
    this.digests = fields.digests;
    this.counts = fields.counts;
    this.source = fields.source;
  }

  /**
   * Whether the report names the given manifest digest.
   *
   * @param digest `sha256:<64 hex>`
   */
  public isFor(digest: string): boolean {
    return this.digests.includes(digest);
  }

  /**
   * The number of findings at the given severity or more severe ones.
   *
   * @param severity the lowest severity counted
   */
  public countAtOrAbove(severity: VulnerabilitySeverity): number {
    const rank = SEVERITY_ORDER.indexOf(severity);
    return SEVERITY_ORDER.slice(0, rank + 1).reduce((n, s) => n + this.counts[COUNT_KEY[s]], 0);
  }

  /**
   * The scanner and its version, e.g. `trivy 0.69.0` (or just `trivy` when the report records no version).
   */
  public get scannerDescription(): string {
    return this.scannerVersion ? `${this.scanner} ${this.scannerVersion}` : this.scanner;
  }
}

/**
 * What a workload carries about the vulnerability scan of its image (REG-2).
 */
export interface ImageScan {
  /**
   * One or more scan reports of the workload's image (e.g. a Trivy and a Grype report). Each must be for the image's digest.
   */
  readonly reports: ScanReport[];

  /**
   * The lowest severity that fails synthesis: a finding at this severity or a more severe one counts against `allowedFindings`.
   *
   * @default VulnerabilitySeverity.CRITICAL
   */
  readonly failOn?: VulnerabilitySeverity;

  /**
   * How many findings at or above `failOn` each report may have. More fail synthesis unless REG-2 is waived; with the waiver
   * the counts are still recorded and REG-2 is reported as waived.
   *
   * @default 0
   */
  readonly allowedFindings?: number;
}

function readReport(path: string): string {
  let size: number;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
    size = Buffer.byteLength(text);
  } catch (e) {
    throw new Error(`cannot read the scan report ${JSON.stringify(path)}: ${(e as Error).message}; pass the path of the scanner's JSON output`);
  }
  if (size > MAX_REPORT_BYTES) {
    throw new Error(`the scan report ${JSON.stringify(path)} is ${size} bytes, more than a scan report of one image (${MAX_REPORT_BYTES})`);
  }
  return text;
}

function malformed(source: string, format: string, problem: string): Error {
  return new Error(`malformed ${format} JSON report ${JSON.stringify(source)}: ${problem}; pass the unmodified output of `
    + `${format === 'Trivy' ? '`trivy image --format json`' : '`grype -o json`'}`);
}

function parseJson(json: string, source: string, format: string): any {
  if (typeof json !== 'string') {
    throw malformed(source, format, 'the report is not text');
  }
  let doc: any;
  try {
    doc = JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);
  } catch (e) {
    // Node's message names the position, e.g. "Unexpected token } in JSON at position 12"
    throw malformed(source, format, `it is not valid JSON (${(e as Error).message})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw malformed(source, format, Array.isArray(doc)
      ? 'the top level is an array (the pre-2021 Trivy format without SchemaVersion is not supported)'
      : 'the top level is not an object');
  }
  return doc;
}

function digestOf(ref: unknown): string | undefined {
  if (typeof ref !== 'string') {
    return undefined;
  }
  const at = ref.lastIndexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : ref;
  return DIGEST_PATTERN.test(digest) ? digest : undefined;
}

function optionalString(doc: any, key: string, source: string, format: string, path: string): string | undefined {
  const value = doc?.[key];
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw malformed(source, format, `${path} is ${JSON.stringify(value)}, not a string`);
  }
  return value;
}

function emptyCounts(): Record<keyof SeverityCounts, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
}

function parseTrivy(doc: any, source: string): ScanReport {
  const F = 'Trivy';
  if (doc.SchemaVersion !== 2) {
    throw malformed(source, F, doc.SchemaVersion === undefined
      ? 'it has no SchemaVersion (is it a Trivy JSON report?)'
      : `SchemaVersion is ${JSON.stringify(doc.SchemaVersion)}; only schema 2 is known`);
  }
  if (doc.ArtifactType !== undefined && doc.ArtifactType !== 'container_image') {
    throw malformed(source, F, `ArtifactType is ${JSON.stringify(doc.ArtifactType)}; only container image scans (container_image) are evidence for an image`);
  }
  const metadata = doc.Metadata ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw malformed(source, F, 'Metadata is not an object');
  }
  const repoDigests = metadata.RepoDigests ?? [];
  if (!Array.isArray(repoDigests)) {
    throw malformed(source, F, 'Metadata.RepoDigests is not an array');
  }
  const artifactName = optionalString(doc, 'ArtifactName', source, F, 'ArtifactName');
  const digests = unique([...repoDigests.map(digestOf), digestOf(artifactName)]);
  const results = doc.Results ?? [];
  if (!Array.isArray(results)) {
    throw malformed(source, F, 'Results is not an array');
  }
  const counts = emptyCounts();
  results.forEach((r: any, i: number) => {
    const vulns = r?.Vulnerabilities ?? [];
    if (!Array.isArray(vulns)) {
      throw malformed(source, F, `Results[${i}].Vulnerabilities is not an array`);
    }
    vulns.forEach((v: any, j: number) => count(counts, v?.Severity, source, F, `Results[${i}].Vulnerabilities[${j}].Severity`));
  });
  const trivy = doc.Trivy;
  return newReport({
    scanner: VulnerabilityScanner.TRIVY,
    scannerVersion: trivy && typeof trivy === 'object' ? optionalString(trivy, 'Version', source, F, 'Trivy.Version') : undefined,
    createdAt: optionalString(doc, 'CreatedAt', source, F, 'CreatedAt'),
    artifactName,
    digests,
    counts,
    source,
  }, F, 'Metadata.RepoDigests');
}

function parseGrype(doc: any, source: string): ScanReport {
  const F = 'Grype';
  if (!Array.isArray(doc.matches)) {
    throw malformed(source, F, doc.matches === undefined ? 'it has no "matches" array (is it a Grype JSON report?)' : '"matches" is not an array');
  }
  const descriptor = doc.descriptor ?? {};
  if (descriptor.name !== undefined && descriptor.name !== 'grype') {
    throw malformed(source, F, `descriptor.name is ${JSON.stringify(descriptor.name)}, not "grype"`);
  }
  const src = doc.source;
  if (!src || typeof src !== 'object') {
    throw malformed(source, F, 'it has no "source" object, so nothing says which image was scanned');
  }
  if (src.type !== 'image') {
    throw malformed(source, F, `source.type is ${JSON.stringify(src.type)}; only image scans ("image") are evidence for an image`);
  }
  const target = src.target ?? {};
  if (typeof target !== 'object' || Array.isArray(target)) {
    throw malformed(source, F, 'source.target is not an object');
  }
  const repoDigests = target.repoDigests ?? [];
  if (!Array.isArray(repoDigests)) {
    throw malformed(source, F, 'source.target.repoDigests is not an array');
  }
  const userInput = optionalString(target, 'userInput', source, F, 'source.target.userInput');
  const digests = unique([...repoDigests.map(digestOf), digestOf(target.manifestDigest), digestOf(userInput)]);
  const counts = emptyCounts();
  doc.matches.forEach((m: any, i: number) => count(counts, m?.vulnerability?.severity, source, F, `matches[${i}].vulnerability.severity`));
  return newReport({
    scanner: VulnerabilityScanner.GRYPE,
    scannerVersion: optionalString(descriptor, 'version', source, F, 'descriptor.version'),
    createdAt: optionalString(descriptor, 'timestamp', source, F, 'descriptor.timestamp'),
    artifactName: userInput,
    digests,
    counts,
    source,
  }, F, 'source.target.{repoDigests,manifestDigest}');
}

function count(counts: Record<keyof SeverityCounts, number>, severity: unknown, source: string, format: string, path: string): void {
  if (severity === undefined || severity === null || severity === '') {
    counts.unknown++;
    return;
  }
  if (typeof severity !== 'string') {
    throw malformed(source, format, `${path} is ${JSON.stringify(severity)}, not a string`);
  }
  const s = severity.toUpperCase();
  switch (s) {
    case 'CRITICAL': counts.critical++; break;
    case 'HIGH': counts.high++; break;
    case 'MEDIUM': counts.medium++; break;
    case 'LOW':
    case 'NEGLIGIBLE': counts.low++; break;
    case 'UNKNOWN': counts.unknown++; break;
    default:
      throw malformed(source, format, `${path} is ${JSON.stringify(severity)}, not one of Critical, High, Medium, Low, Negligible, Unknown`);
  }
}

function unique(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

function newReport(fields: ReportFields, format: string, where: string): ScanReport {
  if (fields.digests.length === 0) {
    throw malformed(fields.source, format, `it names no manifest digest (${where} is empty), so it cannot be tied to a pinned image; `
      + 'scan the image from its registry by digest (name@sha256:<64 hex>)');
  }
  // the private constructor, reachable from the parsers of this module only
  return new (ScanReport as unknown as new (f: ReportFields) => ScanReport)(fields);
}
