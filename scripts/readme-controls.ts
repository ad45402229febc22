// Writes the compact control table of README.md (between the `controls:start` and `controls:end` markers) from the control
// catalogue; part of `npx projen docs:controls`. test/readme/readme.test.ts fails when the README is out of date.
import * as fs from 'fs';
import * as path from 'path';
import { ControlCatalogue } from '../src/compliance/catalogue';

export const README = path.join(__dirname, '..', 'README.md');
const START = /^<!-- controls:start.*-->$/m;
const END = /^<!-- controls:end -->$/m;

/** The README's control table: one row per control, in catalogue order. */
export function renderControlTable(): string {
  const rows = ControlCatalogue.controls().map((c) => `| ${c.id} | ${c.title.replace(/\|/g, '\\|')} | ${c.articles.join(', ')} | ${c.scope} |`);
  return ['| ID | requirement | AI Act | applies to |', '|---|---|---|---|', ...rows].join('\n');
}

/** `readme` with the text between the markers replaced by the rendered table. */
export function withControlTable(readme: string): string {
  const start = readme.match(START);
  const end = readme.match(END);
  if (!start || !end || start.index! > end.index!) {
    throw new Error('README.md has no <!-- controls:start --> ... <!-- controls:end --> block');
  }
  const head = readme.slice(0, start.index! + start[0].length);
  return `${head}\n${renderControlTable()}\n${readme.slice(end.index!)}`;
}

if (require.main === module) {
  fs.writeFileSync(README, withControlTable(fs.readFileSync(README, 'utf-8')));
  console.log(`wrote the control table of ${path.relative(process.cwd(), README)}`);
}
