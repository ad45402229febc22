import * as fs from 'fs';
import * as path from 'path';
import { ControlCatalogue, ControlFamily, ControlScope } from '../../src';
import { renderCatalogueMarkdown } from '../../src/compliance/catalogue-doc';

const PREFIX: Record<string, ControlFamily> = {
  IMG: ControlFamily.IMAGE,
  MOD: ControlFamily.MODEL,
  META: ControlFamily.METADATA,
  SEC: ControlFamily.SECURITY,
  NET: ControlFamily.NETWORK,
  RES: ControlFamily.RESOURCES,
  AVL: ControlFamily.AVAILABILITY,
  PRB: ControlFamily.PROBES,
  JOB: ControlFamily.JOBS,
  LOG: ControlFamily.LOGGING,
  MON: ControlFamily.MONITORING,
  REG: ControlFamily.REGISTRY,
};

test('the catalogue holds the 34 controls of CONTROLS.md, each ID once', () => {
  const ids = ControlCatalogue.ids();
  expect(ids).toHaveLength(34);
  expect(new Set(ids).size).toBe(34);
  expect(ids.slice(0, 4)).toEqual(['IMG-1', 'IMG-2', 'IMG-3', 'IMG-4']);
  expect(ids).toEqual(expect.arrayContaining(['SEC-9', 'NET-1', 'AVL-4', 'PRB-1', 'JOB-3', 'LOG-4', 'MON-1', 'REG-3']));
});

test('every control is complete: family matches prefix, articles well formed, texts present', () => {
  for (const c of ControlCatalogue.controls()) {
    expect(c.family).toBe(PREFIX[c.id.split('-')[0]]);
    expect(c.articles.length).toBeGreaterThan(0);
    for (const a of c.articles) {
      expect(a).toMatch(/^(Art\. \d+(\(\d+\))*(\([a-z]+\))*|Annex [IVX]+(\(\d+\))?)$/);
    }
    for (const text of [c.title, c.rationale, c.kubernetes, c.ecs, c.practice]) {
      expect(text.trim().length).toBeGreaterThan(3);
    }
  }
});

test('the legal basis of the key controls is as in CONTROLS.md', () => {
  expect(ControlCatalogue.get('IMG-1').articles).toEqual(['Art. 15(1)', 'Art. 15(4)', 'Art. 15(5)', 'Art. 12(2)(a)']);
  expect(ControlCatalogue.get('SEC-1').articles).toEqual(['Art. 15(5)']);
  expect(ControlCatalogue.get('LOG-2').articles).toEqual(['Art. 19(1)', 'Art. 26(6)']);
  expect(ControlCatalogue.get('AVL-1').articles).toEqual(['Art. 15(4)']);
});

test('scopes: services get AVL-*, jobs get JOB-*, both get SEC-*', () => {
  const service = ControlCatalogue.forScope(ControlScope.SERVICE).map((c) => c.id);
  const job = ControlCatalogue.forScope(ControlScope.JOB).map((c) => c.id);
  expect(service).toEqual(expect.arrayContaining(['AVL-1', 'AVL-4', 'LOG-4', 'SEC-1']));
  expect(service).not.toContain('JOB-1');
  expect(job).toEqual(expect.arrayContaining(['JOB-1', 'JOB-2', 'JOB-3', 'SEC-1']));
  expect(job).not.toContain('AVL-1');
  expect(ControlCatalogue.forScope(ControlScope.ALL)).toHaveLength(34);
});

test('lookups: find returns undefined, get throws with the list of IDs', () => {
  expect(ControlCatalogue.find('NOPE')).toBeUndefined();
  expect(() => ControlCatalogue.get('NOPE')).toThrow(/unknown control "NOPE": use one of IMG-1/);
  expect(ControlCatalogue.orderOf('IMG-1')).toBe(0);
  expect(ControlCatalogue.orderOf('NOPE')).toBe(34);
});

test('returned definitions are copies: mutating them does not change the catalogue', () => {
  const c = ControlCatalogue.get('SEC-1');
  c.articles.push('Art. 99');
  expect(ControlCatalogue.get('SEC-1').articles).toEqual(['Art. 15(5)']);
});

test('docs/CONTROLS.md is generated from the catalogue (run `npx projen docs:controls` when this fails)', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'CONTROLS.md'), 'utf-8');
  expect(doc).toBe(renderCatalogueMarkdown());
  expect(doc).toContain('| SEC-1 |');
});
