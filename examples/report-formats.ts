// The report formats every reference architecture writes beside compliance-report.json and .md when it is synthesized
// (main.ts): SARIF for code scanning and the CycloneDX ML-BOM (docs/REPORT.md, "Formats").
import { ReportFormat } from '../src';

export const EXAMPLE_REPORT_FORMATS: ReportFormat[] = [ReportFormat.SARIF, ReportFormat.CYCLONEDX];
