// Writes docs/CONTROLS.md from the control catalogue; test/compliance/catalogue.test.ts keeps it in sync.
import * as fs from 'fs';
import * as path from 'path';
import { renderCatalogueMarkdown } from '../src/compliance/catalogue-doc';

const target = path.join(__dirname, '..', 'docs', 'CONTROLS.md');
fs.writeFileSync(target, renderCatalogueMarkdown());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
