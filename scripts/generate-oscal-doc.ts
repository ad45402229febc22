// Writes docs/oscal/component-definition.json (the control catalogue as an OSCAL component-definition) from the catalogue;
// test/compliance/formats/oscal.test.ts keeps it in sync. Run: npx ts-node --transpile-only scripts/generate-oscal-doc.ts
import * as fs from 'fs';
import * as path from 'path';
import { renderOscalComponentDefinition } from '../src/compliance/formats/oscal';

const target = path.join(__dirname, '..', 'docs', 'oscal', 'component-definition.json');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderOscalComponentDefinition());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
