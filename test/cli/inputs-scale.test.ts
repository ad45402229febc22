import { performance } from 'perf_hooks';
import { parseInput } from '../../src/cli/inputs';

// check at scale: duplicate keys are found by one linear pass (the YAML parser's own check is quadratic in the keys of one
// mapping and is off), and still reported with their line as input problems.

/** `documents` ConfigMaps whose `data` mappings have `keys` keys each. */
function configMaps(documents: number, keys: number): string {
  const out: string[] = [];
  for (let d = 0; d < documents; d++) {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', `metadata: { name: many-${d} }`, 'data:'];
    for (let i = 0; i < keys; i++) {
      lines.push(`  key-${i}: "v${i}"`);
    }
    out.push(`${lines.join('\n')}\n`);
  }
  return out.join('---\n');
}

/** The fastest of two parses, in ms. */
function parseMs(text: string): number {
  let best = Infinity;
  for (let run = 0; run < 2; run++) {
    const start = performance.now();
    const parsed = parseInput('many.yaml', text);
    best = Math.min(best, performance.now() - start);
    expect(parsed.problems).toEqual([]);
  }
  return best;
}

describe('duplicate keys: reported with their line and the line of the first, in one pass', () => {
  test('a duplicate in a nested block mapping, a flow mapping and a second document; the other documents are kept', () => {
    const text = [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: a', '  labels: { x: "1", x: "2" }', 'data:', '  k: v', '  k: w',
      '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: b }',
      '---', 'apiVersion: v1', 'kind: Service', 'kind: Service', 'metadata: { name: c }', '',
    ].join('\n');
    const parsed = parseInput('dup.yaml', text);
    expect(parsed.problems).toEqual([
      { file: 'dup.yaml', line: 5, message: 'invalid YAML: duplicate key "x" (first on line 5): map keys must be unique' },
      { file: 'dup.yaml', line: 8, message: 'invalid YAML: duplicate key "k" (first on line 7): map keys must be unique' },
      { file: 'dup.yaml', line: 16, message: 'invalid YAML: duplicate key "kind" (first on line 15): map keys must be unique' },
    ]);
    expect(parsed.documents.map((d) => d.value.metadata.name)).toEqual(['b']);
  });

  test('keys compare by value and type, as the parser does: 1 and "1" differ, 1 and 0x1 do not', () => {
    expect(parseInput('a.yaml', 'a: { 1: x, "1": y }\n').problems).toEqual([]);
    expect(parseInput('a.yaml', 'a:\n  1: x\n  0x1: y\n').problems).toEqual([
      { file: 'a.yaml', line: 3, message: 'invalid YAML: duplicate key "1" (first on line 2): map keys must be unique' },
    ]);
  });

  test('fails when the check is quadratic: one mapping of 20,000 keys costs about what 20 mappings of 1,000 keys cost', () => {
    parseMs(configMaps(2, 1000)); // warm up
    const oneMapping = parseMs(configMaps(1, 20000));
    const manyMappings = parseMs(configMaps(20, 1000));
    // the same keys and bytes: linear gives ~1; the parser's own unique-key check (20,000² / 2 against 20 × 1,000² / 2
    // comparisons) gives well over 10
    expect(oneMapping / manyMappings).toBeLessThan(3);
  });
});
