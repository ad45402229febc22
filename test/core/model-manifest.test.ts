import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { manifestDigest, manifestOfDirectory, parseManifest, renderManifest } from '../../src/core/model-manifest';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('the manifest format: sha256sum lines sorted by path in byte order', () => {
  test('renders `<hex>  <path>\\n` lines sorted by byte order ("-" before "/" before "_" before lowercase)', () => {
    const text = renderManifest([{ path: 'tokenizer/vocab.json', sha256: A }, { path: 'config.json', sha256: B },
      { path: 'tokenizer-extra.json', sha256: A }, { path: 'Z.bin', sha256: B }]);
    expect(text).toBe(`${B}  Z.bin\n${B}  config.json\n${A}  tokenizer-extra.json\n${A}  tokenizer/vocab.json\n`);
    expect(parseManifest(text)).toHaveLength(4);
    expect(manifestDigest(text)).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  test.each([
    ['a leading ./', './model.bin'], ['an absolute path', '/model.bin'], ['a dot-dot segment', 'a/../b'], ['white space', 'a b'],
    ['a backslash', 'a\\b'], ['the manifest itself', 'SHA256SUMS'], ['an empty segment', 'a//b'],
  ])('fails when a path has %s', (_what, p) => {
    expect(() => renderManifest([{ path: p, sha256: A }])).toThrow(/invalid manifest path/);
  });

  test('fails when a manifest text is unsorted, duplicated or malformed', () => {
    expect(() => parseManifest(`${A}  b\n${A}  a\n`)).toThrow(/not sorted/);
    expect(() => parseManifest(`${A}  a\n${A}  a\n`)).toThrow(/listed twice/);
    expect(() => parseManifest(`${A} a\n`)).toThrow(/invalid manifest line 1/);
    expect(() => parseManifest(`${A}  a`)).toThrow(/does not end in a newline/);
  });

  test('equals what sha256sum and LC_ALL=C sort print for a directory, and skips a top-level SHA256SUMS', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-'));
    fs.mkdirSync(path.join(dir, 'tokenizer'));
    fs.writeFileSync(path.join(dir, 'config.json'), '{}');
    fs.writeFileSync(path.join(dir, 'tokenizer', 'vocab.json'), 'v');
    fs.writeFileSync(path.join(dir, 'tokenizer-extra.json'), 'x');
    fs.writeFileSync(path.join(dir, 'Model.bin'), Buffer.from([0, 1, 2]));
    fs.writeFileSync(path.join(dir, 'SHA256SUMS'), 'ignored');
    const shell = execFileSync('sh', ['-c', 'cd "$1" && find . -type f ! -path ./SHA256SUMS | sed "s|^\\./||" | LC_ALL=C sort '
      + '| while IFS= read -r f; do sha256sum "$f"; done', 'sh', dir]).toString();
    expect(manifestOfDirectory(dir)).toBe(shell);
    fs.symlinkSync('config.json', path.join(dir, 'link.json'));
    expect(() => manifestOfDirectory(dir)).toThrow(/"link.json" is not a regular file/);
  });

  test('property: rendering sorts any set of valid paths by code units and parses back', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._+-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    const paths = fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')).filter((p) => p !== 'SHA256SUMS'),
      { minLength: 1, maxLength: 8 });
    fc.assert(fc.property(paths, (list) => {
      const text = renderManifest(list.map((p) => ({ path: p, sha256: A })));
      const parsed = parseManifest(text).map((e) => e.path);
      expect(parsed).toEqual([...list].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    }));
  });
});
