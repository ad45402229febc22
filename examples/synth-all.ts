// Synthesizes every reference architecture into dist-examples/<name>/ and prints where the outputs are.
// Each example folder has an app.ts exporting `createApp(outdir)`; nothing here touches the network or a cloud account.
import * as fs from 'fs';
import * as path from 'path';

interface ExampleModule {
  createApp(outdir: string): { synth(): unknown };
}

const root = path.join(__dirname, '..', 'dist-examples');
const names = fs.readdirSync(__dirname)
  .filter((n) => fs.existsSync(path.join(__dirname, n, 'app.ts')))
  .sort();
fs.rmSync(root, { recursive: true, force: true });
for (const name of names) {
  const outdir = path.join(root, name);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(__dirname, name, 'app')) as ExampleModule;
  mod.createApp(outdir).synth();
  const files = fs.readdirSync(outdir).filter((f) => !f.startsWith('.')).sort();
  console.log(`${name}: ${path.relative(process.cwd(), outdir)}/ (${files.join(', ')})`);
}
console.log(`synthesized ${names.length} example app(s) into ${path.relative(process.cwd(), root)}/`);
