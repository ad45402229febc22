// Synthesizes one cdk8s app and one aws-cdk app into the directory given as the first argument (for locale.test.ts, which
// runs this under different locales and compares the bytes). Names mix cases and the letter i, whose collation differs
// between locales (en: i = I; tr: I is the capital of the dotless ı, which sorts before i).
import * as path from 'path';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { App, Chart } from 'cdk8s';
import { ImageReference } from '../../src/core';
import * as ecs from '../../src/ecs';
import * as k8s from '../../src/k8s';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };
const ENV = { IB_MODE: 'x', ia_mode: 'y', Index: 'z', icon: 'w', B_LEVEL: 'v', a_level: 'u' };
const outdir = process.argv[2];

const app = new App({ outdir: path.join(outdir, 'k8s') });
const chart = new Chart(app, 'fraud');
for (const id of ['Ib', 'ia', 'ıc', 'scorer']) {
  new k8s.CompliantModelService(chart, id, { image: ImageReference.fromString(`ghcr.io/acme/${id.toLowerCase().replace('ı', 'i')}@${DIGEST}`), model: MODEL, env: ENV });
}
app.synth();

const cdkApp = new CdkApp({ outdir: path.join(outdir, 'ecs') });
const stack = new Stack(cdkApp, 'FraudServing', { env: { account: '123456789012', region: 'eu-central-1' } });
for (const id of ['Ib', 'ia', 'Scorer']) {
  new ecs.CompliantModelService(stack, id, {
    image: ImageReference.fromString(`123456789012.dkr.ecr.eu-central-1.amazonaws.com/fraud@${DIGEST}`), model: MODEL, environment: ENV,
  });
}
cdkApp.synth();
