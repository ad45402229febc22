import { createApp } from './app';

createApp(process.env.CDK8S_OUTDIR ?? 'dist').synth();
