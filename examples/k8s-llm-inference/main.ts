import { createApp } from './app';
import { ComplianceReport } from '../../src';
import { EXAMPLE_REPORT_FORMATS } from '../report-formats';

const app = createApp(process.env.CDK8S_OUTDIR ?? 'dist');
ComplianceReport.setFormats(app, EXAMPLE_REPORT_FORMATS);
app.synth();
