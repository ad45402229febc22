import { createApp } from './app';

createApp(process.env.CDK_OUTDIR).synth();
