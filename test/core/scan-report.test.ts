import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { ControlStatus } from '../../src/compliance';
import { ImageReference, ScanReport, VulnerabilityScanner, VulnerabilitySeverity } from '../../src/core';
import { scanFinding, scanKey, validateImageScan } from '../../src/core/scan-validation';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'scans');
const fixture = (name: string) => path.join(FIXTURES, name);
const DIGEST = 'sha256:d55b94091715a89ff121d2efdac859d017094e8cadc58efb12a6d432f232fd76';
const OTHER = 'sha256:23770fe960687f3c1e33b884d5b97f81e1f776abfe33c1df0cf34d84345f9455';
const CONFIG = 'sha256:4fa1d567e8491f616e4d440035411b454e61d95e742fd008aa901514df021963';
const PLATFORM = 'sha256:6974e5640a84012ee0b7f9c014ae5a8d421296f329c8badeb735ca6c78368bdc';
const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-scorer:1.4.2@${DIGEST}`);
const trivyText = () => fs.readFileSync(fixture('trivy-clean.json'), 'utf8');
const grypeText = () => fs.readFileSync(fixture('grype-clean.json'), 'utf8');

describe('ScanReport.fromTrivyJsonFile', () => {
  test('reads scanner, version, date, digests and counts by severity', () => {
    const r = ScanReport.fromTrivyJsonFile(fixture('trivy-clean.json'));
    expect(r.scanner).toBe(VulnerabilityScanner.TRIVY);
    expect(r.scannerVersion).toBe('0.69.0');
    expect(r.scannerDescription).toBe('trivy 0.69.0');
    expect(r.createdAt).toBe('2026-11-28T09:14:07.123456789Z');
    expect(r.artifactName).toBe('ghcr.io/acme/fraud-scorer:1.4.2');
    expect(r.source).toBe('trivy-clean.json');
    expect(r.digests).toEqual([DIGEST]);
    expect(r.counts).toEqual({ critical: 0, high: 1, medium: 2, low: 1, unknown: 1 });
    expect(r.isFor(DIGEST)).toBe(true);
  });

  test('the config digest (Metadata.ImageID) is not taken for the manifest digest', () => {
    const r = ScanReport.fromTrivyJsonFile(fixture('trivy-clean.json'));
    expect(r.isFor(CONFIG)).toBe(false);
  });

  test('counts findings of every result and ranks them: countAtOrAbove', () => {
    const r = ScanReport.fromTrivyJsonFile(fixture('trivy-critical.json'));
    expect(r.counts).toEqual({ critical: 2, high: 1, medium: 2, low: 1, unknown: 1 });
    expect(r.countAtOrAbove(VulnerabilitySeverity.CRITICAL)).toBe(2);
    expect(r.countAtOrAbove(VulnerabilitySeverity.HIGH)).toBe(3);
    expect(r.countAtOrAbove(VulnerabilitySeverity.LOW)).toBe(6);
    expect(r.countAtOrAbove(VulnerabilitySeverity.UNKNOWN)).toBe(7);
  });

  test('reports of Trivy before v0.69 have no version; a digest-pinned ArtifactName also counts; null Vulnerabilities are none', () => {
    const r = ScanReport.fromTrivyJsonFile(fixture('trivy-no-version.json'));
    expect(r.scannerVersion).toBeUndefined();
    expect(r.scannerDescription).toBe('trivy');
    expect(r.digests).toEqual([DIGEST]);
    expect(r.counts.medium).toBe(1);
  });

  test('a missing file is a clear error', () => {
    expect(() => ScanReport.fromTrivyJsonFile(fixture('nope.json'))).toThrow(/cannot read the scan report ".*nope\.json"/);
  });

  test('a truncated file names the file and the parse position', () => {
    expect(() => ScanReport.fromTrivyJsonFile(fixture('malformed-truncated.json')))
      .toThrow(/malformed Trivy JSON report "malformed-truncated\.json": it is not valid JSON \(.*position \d+/);
  });

  test.each([
    ['{"Results": []}', /it has no SchemaVersion/],
    ['{"SchemaVersion": 1, "Results": []}', /SchemaVersion is 1; only schema 2/],
    ['[{"Target": "alpine", "Vulnerabilities": []}]', /the top level is an array \(the pre-2021 Trivy format/],
    ['"text"', /the top level is not an object/],
    ['{"SchemaVersion": 2, "ArtifactType": "filesystem", "ArtifactName": "."}', /ArtifactType is "filesystem"/],
    ['{"SchemaVersion": 2, "ArtifactName": "ghcr.io/acme/x:1", "Metadata": {"RepoDigests": []}}', /names no manifest digest \(Metadata\.RepoDigests is empty\)/],
    ['{"SchemaVersion": 2, "Metadata": {"RepoDigests": "x"}}', /Metadata\.RepoDigests is not an array/],
    [`{"SchemaVersion": 2, "Metadata": {"RepoDigests": ["x@${DIGEST}"]}, "Results": {}}`, /Results is not an array/],
    [`{"SchemaVersion": 2, "Metadata": {"RepoDigests": ["x@${DIGEST}"]}, "Results": [{"Vulnerabilities": [{"Severity": "SEVERE"}]}]}`,
      /Results\[0\]\.Vulnerabilities\[0\]\.Severity is "SEVERE"/],
    [`{"SchemaVersion": 2, "Metadata": {"RepoDigests": ["x@${DIGEST}"]}, "Results": [{"Vulnerabilities": [{"Severity": 3}]}]}`, /is 3, not a string/],
    [`{"SchemaVersion": 2, "CreatedAt": 5, "Metadata": {"RepoDigests": ["x@${DIGEST}"]}}`, /CreatedAt is 5, not a string/],
  ])('malformed Trivy report %s is refused', (text, message) => {
    expect(() => ScanReport.fromTrivyJson(text, 'bad.json')).toThrow(/malformed Trivy JSON report "bad\.json"/);
    expect(() => ScanReport.fromTrivyJson(text, 'bad.json')).toThrow(message);
  });

  test('a byte-order mark is tolerated', () => {
    expect(ScanReport.fromTrivyJson(`\ufeff${trivyText()}`).digests).toEqual([DIGEST]);
  });
});

describe('ScanReport.fromGrypeJsonFile', () => {
  test('reads descriptor name/version/timestamp, repo and manifest digests and maps Negligible to LOW', () => {
    const r = ScanReport.fromGrypeJsonFile(fixture('grype-clean.json'));
    expect(r.scanner).toBe(VulnerabilityScanner.GRYPE);
    expect(r.scannerDescription).toBe('grype 0.87.0');
    expect(r.createdAt).toBe('2026-11-28T09:20:41.518236Z');
    expect(r.digests).toEqual([DIGEST, PLATFORM]);
    expect(r.counts).toEqual({ critical: 0, high: 1, medium: 1, low: 1, unknown: 1 });
    expect(ScanReport.fromGrypeJsonFile(fixture('grype-critical.json')).counts.critical).toBe(1);
  });

  test.each([
    ['{"source": {"type": "image"}}', /it has no "matches" array/],
    ['{"matches": {}}', /"matches" is not an array/],
    ['{"matches": []}', /it has no "source" object/],
    ['{"matches": [], "source": {"type": "directory", "target": "/src"}}', /source\.type is "directory"/],
    ['{"matches": [], "source": {"type": "image", "target": {"repoDigests": []}}}', /names no manifest digest \(source\.target\.\{repoDigests,manifestDigest\} is empty\)/],
    [`{"matches": [], "descriptor": {"name": "syft"}, "source": {"type": "image", "target": {"manifestDigest": "${DIGEST}"}}}`, /descriptor\.name is "syft"/],
    [`{"matches": [{"vulnerability": {"severity": "Bad"}}], "source": {"type": "image", "target": {"manifestDigest": "${DIGEST}"}}}`,
      /matches\[0\]\.vulnerability\.severity is "Bad"/],
    ['{"matches": [', /it is not valid JSON/],
  ])('malformed Grype report %s is refused', (text, message) => {
    expect(() => ScanReport.fromGrypeJson(text, 'g.json')).toThrow(/malformed Grype JSON report "g\.json"/);
    expect(() => ScanReport.fromGrypeJson(text, 'g.json')).toThrow(message);
  });

  test('a Trivy report is not read as a Grype report, nor the other way round', () => {
    expect(() => ScanReport.fromGrypeJson(trivyText(), 'trivy.json')).toThrow(/it has no "matches" array \(is it a Grype JSON report\?\)/);
    expect(() => ScanReport.fromTrivyJson(grypeText(), 'grype.json')).toThrow(/it has no SchemaVersion \(is it a Trivy JSON report\?\)/);
  });
});

describe('validateImageScan', () => {
  const scope = () => new Construct(undefined as any, 'Workload');
  const trivy = () => ScanReport.fromTrivyJsonFile(fixture('trivy-clean.json'));

  test('records scanner, report, digest, date, threshold and counts per report', () => {
    const grype = ScanReport.fromGrypeJsonFile(fixture('grype-clean.json'));
    const keys = validateImageScan(scope(), 'imageScan', { reports: [trivy(), grype] }, IMAGE, []);
    expect(keys).toEqual({
      'scan.compliance.cdk-compliant-ml.io/scanner': 'trivy 0.69.0',
      'scan.compliance.cdk-compliant-ml.io/report': 'trivy-clean.json',
      'scan.compliance.cdk-compliant-ml.io/digest': DIGEST,
      'scan.compliance.cdk-compliant-ml.io/fail-on': 'CRITICAL',
      'scan.compliance.cdk-compliant-ml.io/allowed': '0',
      'scan.compliance.cdk-compliant-ml.io/created': '2026-11-28T09:14:07.123456789Z',
      'scan.compliance.cdk-compliant-ml.io/critical': '0',
      'scan.compliance.cdk-compliant-ml.io/high': '1',
      'scan.compliance.cdk-compliant-ml.io/medium': '2',
      'scan.compliance.cdk-compliant-ml.io/low': '1',
      'scan.compliance.cdk-compliant-ml.io/unknown': '1',
      'scan-1.compliance.cdk-compliant-ml.io/scanner': 'grype 0.87.0',
      'scan-1.compliance.cdk-compliant-ml.io/report': 'grype-clean.json',
      'scan-1.compliance.cdk-compliant-ml.io/digest': DIGEST,
      'scan-1.compliance.cdk-compliant-ml.io/fail-on': 'CRITICAL',
      'scan-1.compliance.cdk-compliant-ml.io/allowed': '0',
      'scan-1.compliance.cdk-compliant-ml.io/created': '2026-11-28T09:20:41.518236Z',
      'scan-1.compliance.cdk-compliant-ml.io/critical': '0',
      'scan-1.compliance.cdk-compliant-ml.io/high': '1',
      'scan-1.compliance.cdk-compliant-ml.io/medium': '1',
      'scan-1.compliance.cdk-compliant-ml.io/low': '1',
      'scan-1.compliance.cdk-compliant-ml.io/unknown': '1',
    });
    expect(validateImageScan(scope(), 'imageScan', undefined, IMAGE, [])).toEqual({});
  });

  test('a report for another digest is refused, naming both digests and the report file', () => {
    const other = ScanReport.fromTrivyJsonFile(fixture('trivy-other-digest.json'));
    expect(() => validateImageScan(scope(), 'imageScan', { reports: [other] }, IMAGE, []))
      .toThrow(`Workload: invalid imageScan.reports[0] "trivy-other-digest.json": is a trivy report for ${OTHER} `
        + `(ghcr.io/acme/fraud-scorer:1.4.1), not for the workload's image digest ${DIGEST}; `
        + `scan the image the workload runs (trivy image --format json ghcr.io/acme/fraud-scorer:1.4.2@${DIGEST}) and pass that report`);
    const grype = ScanReport.fromGrypeJsonFile(fixture('grype-other-digest.json'));
    expect(() => validateImageScan(scope(), 'imageScan', { reports: [trivy(), grype] }, IMAGE, []))
      .toThrow(/imageScan\.reports\[1\] "grype-other-digest\.json": is a grype report for sha256:23770fe9.*grype -o json/);
  });

  test('findings above the threshold fail, naming counts and the fix; a REG-2 waiver lets them through', () => {
    const critical = ScanReport.fromTrivyJsonFile(fixture('trivy-critical.json'));
    expect(() => validateImageScan(scope(), 'imageScan', { reports: [critical] }, IMAGE, []))
      .toThrow(/finds 2 vulnerabilities at or above CRITICAL in sha256:d55b.* \(CRITICAL=2 HIGH=1 MEDIUM=2 LOW=1 UNKNOWN=1\), more than the 0 allowed \(control REG-2\); patch the image .*waiver \{ control: 'REG-2'/);
    expect(() => validateImageScan(scope(), 'imageScan', { reports: [critical], allowedFindings: 2 }, IMAGE, [])).not.toThrow();
    expect(() => validateImageScan(scope(), 'imageScan', { reports: [trivy()], failOn: VulnerabilitySeverity.HIGH }, IMAGE, []))
      .toThrow(/finds 1 vulnerabilities at or above HIGH/);
    const keys = validateImageScan(scope(), 'imageScan', { reports: [critical] }, IMAGE, [{ control: 'REG-2', reason: 'CVE fix not released yet' }]);
    expect(keys['scan.compliance.cdk-compliant-ml.io/critical']).toBe('2');
  });

  test('bad props are refused', () => {
    expect(() => validateImageScan(scope(), 'imageScan', { reports: [] }, IMAGE, [])).toThrow(/invalid imageScan .*has no reports/);
    expect(() => validateImageScan(scope(), 'imageScan', { reports: [{} as any] }, IMAGE, [])).toThrow(/imageScan\.reports\[0\] .*is not a ScanReport/);
    expect(() => validateImageScan(scope(), 'imageScan', { reports: [trivy()], allowedFindings: -1 }, IMAGE, [])).toThrow(/allowedFindings/);
    expect(() => validateImageScan(scope(), 'imageScan', { reports: [trivy()], failOn: 'SEVERE' as any }, IMAGE, [])).toThrow(/failOn "SEVERE": is not a VulnerabilitySeverity/);
    const unpinned = ImageReference.unpinned('ghcr.io/acme/fraud-scorer:1.4.2', [{ control: 'IMG-1', reason: 'test' }]);
    expect(() => validateImageScan(scope(), 'imageScan', { reports: [trivy()] }, unpinned, [])).toThrow(/is not pinned by one/);
  });
});

describe('scanFinding (the checker side)', () => {
  const ev = (k: string, v: string) => `x ${k}=${JSON.stringify(v)}`;
  const keys = () => validateImageScan(new Construct(undefined as any, 'W'), 'imageScan',
    { reports: [ScanReport.fromTrivyJsonFile(fixture('trivy-clean.json'))] }, IMAGE, []);

  test('enforced with the scanner, digest and counts as evidence; undefined without scan keys', () => {
    const f = scanFinding(keys(), [DIGEST], ev)!;
    expect(f.status).toBe(ControlStatus.ENFORCED);
    expect(f.evidence).toContain(`x ${scanKey(0, 'critical')}="0"`);
    expect(f.evidence).toContain(`x ${scanKey(0, 'scanner')}="trivy 0.69.0"`);
    expect(scanFinding({ other: 'x' }, [DIGEST], ev)).toBeUndefined();
  });

  test('violated when the counts exceed the recorded threshold, the digest differs or the counts are not numbers', () => {
    expect(scanFinding({ ...keys(), [scanKey(0, 'critical')]: '1' }, [DIGEST], ev)!.status).toBe(ControlStatus.VIOLATED);
    expect(scanFinding(keys(), [OTHER], ev)!.evidence[0]).toMatch(/the scan is not for the workload's image/);
    expect(scanFinding({ ...keys(), [scanKey(0, 'high')]: 'many' }, [DIGEST], ev)!.status).toBe(ControlStatus.VIOLATED);
  });
});
