import * as fs from 'fs';
import * as path from 'path';
import { tmpdir } from './support';
import { ImageLock, ImageReference } from '../../src/core';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('ImageLock', () => {
  const lock = ImageLock.fromEntries([
    { name: 'ghcr.io/acme/scorer', tag: '1.4.2', digest: D1, resolvedAt: '2026-01-02T03:04:05.000Z' },
    { name: 'docker.io/library/python', tag: '3.12', digest: D2 },
  ]);

  test('resolves a tagged reference to the same reference pinned by the locked digest', () => {
    const ref = lock.resolve('ghcr.io/acme/scorer:1.4.2');
    expect(ref).toBeInstanceOf(ImageReference);
    expect(ref.toString()).toBe(`ghcr.io/acme/scorer:1.4.2@${D1}`);
    expect([ref.registry, ref.repository, ref.tag, ref.digest]).toEqual(['ghcr.io', 'acme/scorer', '1.4.2', D1]);
  });

  test('Docker Hub spellings name the same entry, and the reference keeps the spelling it was given', () => {
    for (const spelling of ['python:3.12', 'library/python:3.12', 'docker.io/python:3.12', 'index.docker.io/library/python:3.12']) {
      expect(lock.resolve(spelling).toString()).toBe(`${spelling}@${D2}`);
    }
  });

  test('a reference that already has a digest is returned as it is', () => {
    expect(lock.resolve(`ghcr.io/acme/other:2@${D2}`).toString()).toBe(`ghcr.io/acme/other:2@${D2}`);
  });

  test('a missing entry names the lock and the pin command to run', () => {
    expect(() => lock.resolve('ghcr.io/acme/scorer:1.5.0')).toThrow('the image lock images.lock.json has no entry for "ghcr.io/acme/scorer:1.5.0" '
      + '(ghcr.io/acme/scorer:1.5.0); run `cdk-compliant-ml pin ghcr.io/acme/scorer:1.5.0` and commit the updated lock');
    expect(() => lock.resolve('ghcr.io/acme/scorer')).toThrow(/it has no tag, so there is nothing to pin/);
    expect(() => lock.resolve('ghcr.io/acme/scorer:latest')).toThrow('invalid image reference "ghcr.io/acme/scorer:latest": the tag `latest`');
    expect(() => lock.resolve('Not A Reference')).toThrow(/invalid image reference "Not A Reference": it contains white space/);
  });

  test('round-trips through a file: sorted keys, two-space JSON, final newline', () => {
    const file = path.join(tmpdir(), 'images.lock.json');
    fs.writeFileSync(file, lock.toJsonString());
    expect(fs.readFileSync(file, 'utf-8')).toBe(`{
  "images": {
    "docker.io/library/python:3.12": {
      "digest": "${D2}",
      "name": "docker.io/library/python",
      "tag": "3.12"
    },
    "ghcr.io/acme/scorer:1.4.2": {
      "digest": "${D1}",
      "name": "ghcr.io/acme/scorer",
      "resolvedAt": "2026-01-02T03:04:05.000Z",
      "tag": "1.4.2"
    }
  },
  "lockfileVersion": 1
}
`);
    const read = ImageLock.fromFile(file);
    expect(read.entries).toEqual(lock.entries);
    expect(read.source).toBe(file);
    expect(read.findEntry('python:3.12')?.digest).toBe(D2);
  });

  test('invalid files fail with the file name and the fix', () => {
    const dir = tmpdir();
    expect(() => ImageLock.fromFile(path.join(dir, 'nope.json'))).toThrow(`cannot read the image lock ${path.join(dir, 'nope.json')}: it does not exist; `
      + `create it with \`cdk-compliant-ml pin --lock ${path.join(dir, 'nope.json')} <image>:<tag>\``);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ nope');
    expect(() => ImageLock.fromFile(bad)).toThrow(new RegExp(`^the image lock ${bad} is not valid JSON`));
    expect(() => ImageLock.fromJson({ lockfileVersion: 1, images: { 'a.io/x:1': { name: 'a.io/x', tag: '1', digest: 'sha256:abc' } } }, 'l.json'))
      .toThrow('invalid image lock l.json: the digest "sha256:abc" of "a.io/x:1" is not sha256:<64 lowercase hex> or sha512:<128 lowercase hex>');
    expect(() => ImageLock.fromJson({ lockfileVersion: 1, images: { 'a.io/y:1': { name: 'a.io/x', tag: '1', digest: D1 } } }))
      .toThrow('the key "a.io/y:1" does not match its name and tag (a.io/x:1)');
    expect(() => ImageLock.fromJson([])).toThrow('it is not a JSON object');
    expect(() => ImageLock.fromEntries([{ name: 'a.io/x', tag: '1', digest: 'md5:1' }])).toThrow(/invalid image lock entry a.io\/x:1/);
  });
});

describe('ImageLock platforms (multi-platform indexes)', () => {
  const INDEX = `sha256:${'a'.repeat(64)}`;
  const AMD64 = `sha256:${'b'.repeat(64)}`;
  const ARM64 = `sha256:${'c'.repeat(64)}`;
  const oldEntry = { digest: D1, name: 'ghcr.io/acme/scorer', resolvedAt: '2025-06-01T00:00:00.000Z', tag: '1.4.2' };
  const indexEntry = {
    digest: INDEX,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    name: 'ghcr.io/acme/multi',
    platforms: [ // unsorted, keys unsorted: the lock sorts both
      { variant: 'v8', os: 'linux', digest: ARM64, architecture: 'arm64' },
      { os: 'linux', digest: AMD64, architecture: 'amd64' },
    ],
    tag: '2.0',
  };

  test('a lock with platforms and an entry without them (an old lock) both read; platforms come out sorted, with sorted keys', () => {
    const lock = ImageLock.fromJson({ lockfileVersion: 1, images: { 'ghcr.io/acme/scorer:1.4.2': oldEntry, 'ghcr.io/acme/multi:2.0': indexEntry } });
    expect(lock.findEntry('ghcr.io/acme/scorer:1.4.2')?.platforms).toBeUndefined();
    expect(lock.findEntry('ghcr.io/acme/multi:2.0')?.platforms).toEqual([
      { os: 'linux', architecture: 'amd64', variant: undefined, digest: AMD64 },
      { os: 'linux', architecture: 'arm64', variant: 'v8', digest: ARM64 },
    ]);
    expect(lock.resolve('ghcr.io/acme/multi:2.0').toString()).toBe(`ghcr.io/acme/multi:2.0@${INDEX}`);
    expect(ImageReference.fromLock(lock, 'ghcr.io/acme/scorer:1.4.2').digest).toBe(D1);
    expect(lock.toJsonString()).toBe(`{
  "images": {
    "ghcr.io/acme/multi:2.0": {
      "digest": "${INDEX}",
      "mediaType": "application/vnd.oci.image.index.v1+json",
      "name": "ghcr.io/acme/multi",
      "platforms": [
        {
          "architecture": "amd64",
          "digest": "${AMD64}",
          "os": "linux"
        },
        {
          "architecture": "arm64",
          "digest": "${ARM64}",
          "os": "linux",
          "variant": "v8"
        }
      ],
      "tag": "2.0"
    },
    "ghcr.io/acme/scorer:1.4.2": {
      "digest": "${D1}",
      "name": "ghcr.io/acme/scorer",
      "resolvedAt": "2025-06-01T00:00:00.000Z",
      "tag": "1.4.2"
    }
  },
  "lockfileVersion": 1
}
`);
    // deterministic: the same pins in another order give the same bytes, and the text reads back to the same lock
    const reordered = ImageLock.fromEntries([{ ...indexEntry, platforms: [...indexEntry.platforms].reverse() }, oldEntry]);
    expect(reordered.toJsonString()).toBe(lock.toJsonString());
    expect(ImageLock.fromJson(JSON.parse(lock.toJsonString())).toJsonString()).toBe(lock.toJsonString());
  });

  test('an old lock file without platforms reads from disk and writes back byte for byte', () => {
    const file = path.join(tmpdir(), 'images.lock.json');
    const text = `${JSON.stringify({ images: { 'ghcr.io/acme/scorer:1.4.2': oldEntry }, lockfileVersion: 1 }, undefined, 2)}\n`;
    fs.writeFileSync(file, text);
    expect(ImageLock.fromFile(file).toJsonString()).toBe(text);
  });

  test.each([
    ['not an array', { platforms: { os: 'linux' } }, 'the platforms of "ghcr.io/acme/multi:2.0" are not an array'],
    ['not an object', { platforms: ['linux/amd64'] }, 'platforms[0] of "ghcr.io/acme/multi:2.0" is not an object'],
    ['no os', { platforms: [{ architecture: 'amd64', digest: AMD64 }] }, 'platforms[0] of "ghcr.io/acme/multi:2.0" has the os (undefined)'],
    ['a control character', { platforms: [{ os: 'linux\u001b[2J', architecture: 'amd64', digest: AMD64 }] }, 'platforms[0] of "ghcr.io/acme/multi:2.0" has the os "linux\\u001b[2J"'],
    ['a bad variant', { platforms: [{ os: 'linux', architecture: 'arm64', variant: '', digest: ARM64 }] }, 'platforms[0] of "ghcr.io/acme/multi:2.0" has the variant ""'],
    ['a bad digest', { platforms: [{ os: 'linux', architecture: 'amd64', digest: 'sha256:abc' }] }, 'platforms[0] of "ghcr.io/acme/multi:2.0" has the digest "sha256:abc"'],
  ])('fails when a platform is %s', (_, patch, message) => {
    const images = { 'ghcr.io/acme/multi:2.0': { ...indexEntry, ...patch } };
    expect(() => ImageLock.fromJson({ lockfileVersion: 1, images }, 'l.json')).toThrow(`invalid image lock l.json: ${message}`);
    expect(() => ImageLock.fromEntries([{ ...indexEntry, ...patch } as any])).toThrow('invalid image lock entry ghcr.io/acme/multi:2.0: ');
  });

  test('fails when a key is not a tagged image reference', () => {
    const name = 'ghcr.io/acme/Scorer';
    expect(() => ImageLock.fromJson({ lockfileVersion: 1, images: { [`${name}:1`]: { name, tag: '1', digest: D1 } } }))
      .toThrow('the key "ghcr.io/acme/Scorer:1" is not a tagged image reference (invalid image reference');
  });
});

describe('ImageReference.fromLock', () => {
  test('equals the lock resolution', () => {
    const lock = ImageLock.fromEntries([{ name: 'ghcr.io/acme/scorer', tag: '1.4.2', digest: `sha256:${'c'.repeat(64)}`, resolvedAt: '2026-11-30T00:00:00Z' }]);
    expect(ImageReference.fromLock(lock, 'ghcr.io/acme/scorer:1.4.2').toString()).toBe(`ghcr.io/acme/scorer:1.4.2@sha256:${'c'.repeat(64)}`);
  });
});
