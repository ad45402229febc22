import { Token } from 'aws-cdk-lib';
import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import {
  INT32_MAX, refuseControlCharacters, refuseToken, requireAnnotationSize, requireCidr, requireInt32, requireLabelValue, requireLabels,
  requireMountPaths, requireObjectName, requirePort, requireUniqueNames, requireUriPath, requireUserId, sortedUniqueIntegers, wholeMebibytes,
  wholeSeconds,
} from '../../src/core/bounds';
import { kubernetesScheduleProblem, validateKubernetesSchedule } from '../../src/core/cron';
import { describe as describeValue, isNumberToken, propError, requireInteger } from '../../src/core/errors';
import { ImageReference } from '../../src/core/image-reference';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('describe() renders every value as it was passed', () => {
  test.each([
    [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [3, '3'], ['x', '"x"'], [undefined, '(undefined)'],
    [{ request: NaN, limit: [Infinity] }, '{"request":NaN,"limit":[Infinity]}'],
  ])('%p → %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  test('fails when NaN or Infinity reach an error message as null', () => {
    expect(propError(undefined, 'replicas', NaN, 'must be an integer', 'set a number').message).toBe('invalid replicas NaN: must be an integer; set a number');
    expect(() => requireInteger(undefined, 'port', Infinity, 1, 65535)).toThrow('invalid port Infinity: must be an integer in 1..65535');
  });
});

describe('token detection', () => {
  test('aws-cdk number tokens are recognised, ordinary numbers are not', () => {
    expect(isNumberToken(Token.asNumber({ Ref: 'Replicas' }))).toBe(true);
    fc.assert(fc.property(fc.double({ min: -1e280, max: 1e280, noNaN: true }), (n) => !isNumberToken(n)));
  });

  test.each([
    ['replicas', Token.asNumber({ Ref: 'Replicas' })],
    ['image', Token.asString({ Ref: 'Image' })],
  ])('fails when %s is a token: "<prop> is a token; pass ..."', (prop, value) => {
    expect(() => refuseToken(undefined, prop, value, 'a number')).toThrow(new RegExp(`invalid ${prop} .*: ${prop} is a token.*; pass a number`));
  });

  test('requireInteger says a token is a token, not an out-of-range number', () => {
    expect(() => requireInteger(undefined, 'replicas', Token.asNumber({ Ref: 'R' }), 1, 1000))
      .toThrow('invalid replicas (unresolved number token): replicas is a token, and the construct needs its value to build and check the output; '
        + 'pass a number (an integer in 1..1000)');
  });
});

describe('integers: int32, ports, user ids', () => {
  test('int32 fields take 0..2147483647', () => {
    expect(requireInt32(undefined, 'progressDeadlineSeconds', INT32_MAX)).toBe(INT32_MAX);
    expect(() => requireInt32(undefined, 'progressDeadlineSeconds', INT32_MAX + 1))
      .toThrow(/invalid progressDeadlineSeconds 2147483648: must be an integer in 0\.\.2147483647; keep progressDeadlineSeconds within/);
  });

  test('ports are 1..65535 and user ids 10000..2147483647', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 65535 }), (p) => requirePort(undefined, 'port', p) === p));
    for (const bad of [0, 65536, -1, 1.5, NaN]) {
      expect(() => requirePort(undefined, 'port', bad)).toThrow(`invalid port ${bad}: must be an integer in 1..65535; set port to a port in 1..65535`);
    }
    expect(() => requireUserId(undefined, 'runAsUser', 2147483648)).toThrow(/invalid runAsUser 2147483648: must be an integer in 10000\.\.2147483647/);
    expect(() => requireUserId(undefined, 'runAsUser', 9999)).toThrow(/invalid runAsUser 9999/);
  });
});

describe('label values and object names', () => {
  const labelValue = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);

  test('every value of the label grammar is accepted', () => {
    fc.assert(fc.property(labelValue, (v) => requireLabelValue(undefined, 'partOf', v) === v));
  });

  test('fails for empty, too long, or off-charset values, naming the prop and the fix', () => {
    fc.assert(fc.property(fc.oneof(fc.constant(''), fc.string({ minLength: 64, maxLength: 80, unit: fc.constantFrom('a', 'b') }),
      labelValue.map((v) => `${v}!`), labelValue.map((v) => `-${v}`)), (bad) => {
      expect(() => requireLabelValue(undefined, 'partOf', bad)).toThrow(/^invalid partOf .*: is not a label value \(1\.\.63 characters.*; set partOf to a value such as/);
    }));
  });

  test('label maps check keys and values', () => {
    expect(requireLabels(undefined, 'labels', { 'app.kubernetes.io/name': 'x' })).toEqual({ 'app.kubernetes.io/name': 'x' });
    expect(() => requireLabels(undefined, 'labels', { app: 'a'.repeat(64) })).toThrow(/invalid labels\["app"\] "a{64}": is not a label value/);
    expect(() => requireLabels(undefined, 'labels', { 'bad key!': 'x' })).toThrow(/invalid labels key "bad key!": is not a label key/);
  });

  test.each([
    ['CronJob', 'a'.repeat(52), 'a'.repeat(53)],
    ['Service', 'a'.repeat(63), '1abc'],
    ['Job', 'a'.repeat(63), 'a'.repeat(64)],
    ['Namespace', 'ml-serving', 'ML'],
  ])('%s names: %s fits, %s does not', (kind, good, bad) => {
    expect(requireObjectName(undefined, 'name', good, kind)).toBe(good);
    expect(() => requireObjectName(undefined, 'name', bad, kind)).toThrow(new RegExp(`invalid name "${bad}": is not a valid ${kind} name .*at most \\d+ characters`));
  });
});

describe('annotations, quantities, sizes and durations', () => {
  test('fails when annotations exceed 256 KiB, with the total and the largest entries', () => {
    requireAnnotationSize(undefined, 'annotations', { a: 'x'.repeat(262000) });
    expect(() => requireAnnotationSize(undefined, 'annotations', { framework: 'x'.repeat(200000), registry: 'y'.repeat(70000), z: undefined }))
      .toThrow(/invalid annotations "270017 bytes": exceed the API server's limit of 262144 bytes \(256 KiB\).*largest: framework 200009 B, registry 70008 B; shorten/);
  });

  test('durations convert to whole seconds within bounds, or get our error', () => {
    expect(wholeSeconds(undefined, 'activeDeadline', Duration.hours(1), 1, INT32_MAX, 'Duration.hours(24)')).toBe(3600);
    expect(() => wholeSeconds(undefined, 'activeDeadline', Duration.millis(1500), 1, INT32_MAX, 'Duration.hours(24)'))
      .toThrow('invalid activeDeadline "1.5s": is not a whole number of seconds; pass whole seconds, e.g. Duration.hours(24)');
    expect(() => wholeSeconds(undefined, 'modelLoadTimeout', Duration.days(365 * 100), 1, INT32_MAX, 'Duration.minutes(10)'))
      .toThrow('invalid modelLoadTimeout "3153600000s": must be a positive whole number of seconds, at most 2147483647s; e.g. Duration.minutes(10)');
  });

  test('sizes convert to whole MiB, or get our error (never Size\'s own exception)', () => {
    expect(wholeMebibytes(undefined, 'tmpSize', Size.gibibytes(1))).toBe(1024);
    expect(() => wholeMebibytes(undefined, 'tmpSize', Size.kibibytes(1))).toThrow(/invalid tmpSize 0\.0009765625: MiB: not a whole number of mebibytes; pass Size/);
    expect(() => wholeMebibytes(undefined, 'tmpSize', Size.mebibytes(NaN))).toThrow(/invalid tmpSize NaN: MiB: must be a positive whole number/);
    expect(() => wholeMebibytes(undefined, 'tmpSize', Size.mebibytes(0))).toThrow(/invalid tmpSize 0: MiB: must be a positive/);
  });
});

describe('CIDR blocks', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  test('every IPv4 CIDR with valid octets and prefix is accepted', () => {
    fc.assert(fc.property(fc.tuple(octet, octet, octet, octet), fc.integer({ min: 0, max: 32 }), (o, p) => {
      const cidr = `${o.join('.')}/${p}`;
      return requireCidr(undefined, 'cidr', cidr) === cidr;
    }));
    expect(requireCidr(undefined, 'cidr', 'fd00::/8')).toBe('fd00::/8');
    expect(requireCidr(undefined, 'cidr', '2001:db8:0:0:0:0:0:0/32')).toBe('2001:db8:0:0:0:0:0:0/32');
  });

  test('fails for an octet above 255, a prefix above 32/128, or a malformed address', () => {
    fc.assert(fc.property(fc.integer({ min: 256, max: 999 }), fc.integer({ min: 33, max: 99 }), (big, prefix) => {
      for (const bad of [`10.${big}.0.0/16`, `10.0.0.0/${prefix}`]) {
        expect(() => requireCidr(undefined, 'cidr', bad)).toThrow(/^invalid cidr .*: is not an IPv4 or IPv6 CIDR block .*; e\.g\. 10\.0\.0\.0\/16/);
      }
    }));
    for (const bad of ['10.0.0/8', '10.0.0.0', 'fd00::/129', '1:2:3:4:5:6:7:8:9/64', ':::/8', '010.0.0.0/8']) {
      expect(() => requireCidr(undefined, 'cidr', bad)).toThrow(`invalid cidr "${bad}"`);
    }
  });
});

describe('unique names, sorted lists, mount paths, URL paths, commands', () => {
  test('fails when a name is set twice, naming both props', () => {
    expect(() => requireUniqueNames(undefined, 'environment variable', [{ prop: 'env.A', name: 'A' }, { prop: 'secretEnv.A', name: 'A' }], 'set it once'))
      .toThrow('invalid secretEnv.A "A": is also set by env.A, so the environment variable would be defined twice; set it once');
  });

  test('exit codes come back sorted; duplicates and 0 are refused', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 20 }), (codes) => {
      const sorted = sortedUniqueIntegers(undefined, 'codes', codes, 1, 255);
      return sorted.every((c, i) => i === 0 || sorted[i - 1] < c) && sorted.length === codes.length;
    }));
    expect(() => sortedUniqueIntegers(undefined, 'nonRetryableExitCodes', [2, 127, 2], 1, 255))
      .toThrow('invalid nonRetryableExitCodes [2,127,2]: lists 2 twice; list each value once');
    expect(() => sortedUniqueIntegers(undefined, 'nonRetryableExitCodes', [0], 1, 255)).toThrow('invalid nonRetryableExitCodes[0] 0: must be an integer in 1..255');
  });

  test('mount paths: unique, normalized, not nested in a read-only mount', () => {
    requireMountPaths(undefined, [{ prop: 'tmp', path: '/tmp' }, { prop: 'modelCachePath', path: '/tmp/models' }]);
    expect(() => requireMountPaths(undefined, [{ prop: 'tmp', path: '/tmp' }, { prop: 'modelCachePath', path: '/tmp' }]))
      .toThrow('invalid modelCachePath "/tmp": is also set by tmp, so the mount path would be defined twice; give each mount its own directory');
    expect(() => requireMountPaths(undefined, [{ prop: 'd0', path: '/data', readOnly: true }, { prop: 'd1', path: '/data/train' }]))
      .toThrow('invalid d1 "/data/train": is inside /data (d0), which is mounted read-only; mount it outside that directory');
    for (const bad of ['/', 'tmp', '/tmp/', '/a/../tmp', '/a//b']) {
      expect(() => requireMountPaths(undefined, [{ prop: 'modelCachePath', path: bad }])).toThrow(`invalid modelCachePath "${bad}": is not a normalized absolute path`);
    }
  });

  test('URL paths follow RFC 3986; anything else is refused', () => {
    const pchar = fc.constantFrom(...'abcXYZ019-._~!$&\'()*+,;=:@'.split(''), '%20');
    fc.assert(fc.property(fc.array(fc.array(pchar, { maxLength: 6 }).map((cs) => cs.join('')), { minLength: 1, maxLength: 4 }), (segments) => {
      const path = `/${segments.join('/')}`;
      return requireUriPath(undefined, 'livenessPath', path, '/v2/health/live') === path;
    }));
    for (const bad of ['health', '/a b', '/a"b', '/a`id`', '/a\nb', '/%zz', '/a|b', '/a\\b', '/${Token[X.1]}']) {
      expect(() => requireUriPath(undefined, 'livenessPath', bad, '/v2/health/live')).toThrow(/^invalid livenessPath .*: is not an absolute URL path \(RFC 3986/);
    }
  });

  test('fails when a command holds a control character', () => {
    refuseControlCharacters(undefined, 'healthCheckCommand', ['CMD', 'curl', 'http://x/y?a=1&b=2']);
    expect(() => refuseControlCharacters(undefined, 'healthCheckCommand', ['CMD-SHELL', 'curl x\nrm -rf /']))
      .toThrow('invalid healthCheckCommand[1] "curl x\\nrm -rf /": contains a control character');
  });
});

describe('image references', () => {
  test('fails for a registry port outside 1..65535', () => {
    expect(ImageReference.fromString(`registry.example:5000/x@${DIGEST}`).registry).toBe('registry.example:5000');
    for (const port of ['99999', '0', '65536']) {
      expect(() => ImageReference.fromString(`registry.example:${port}/x@${DIGEST}`))
        .toThrow(`invalid image reference "registry.example:${port}/x@${DIGEST}": the registry port ${port} is outside 1..65535`);
    }
  });

  test('fails for invalid literal parts beside a token', () => {
    const token = Token.asString({ Ref: 'Repo' });
    expect(ImageReference.fromString(`${token}/fraud-scorer:1.0@${DIGEST}`).repository).toBe('fraud-scorer');
    expect(() => ImageReference.fromString(`${token}/Bad_Name!:tag@${DIGEST}`))
      .toThrow(/the path component "Bad_Name!" is not lowercase alphanumerics .*\(the token beside it does not make it valid\)/);
  });
});

describe('Kubernetes CronJob schedules (robfig/cron ParseStandard, no TZ)', () => {
  const range = (min: number, max: number) => fc.integer({ min, max }).chain((a) => fc.integer({ min: a, max }).map((b) => `${a}-${b}`));
  const field = (min: number, max: number, names: string[] = []) => fc.array(fc.oneof(
    fc.constant('*'), fc.integer({ min, max }).map(String), range(min, max), fc.integer({ min: 1, max: 30 }).map((s) => `*/${s}`),
    fc.tuple(range(min, max), fc.integer({ min: 1, max: 10 })).map(([r, s]) => `${r}/${s}`),
    ...(names.length > 0 ? [fc.constantFrom(...names, ...names.map((n) => n.toUpperCase()))] : []),
  ), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(','));
  const valid = fc.tuple(field(0, 59), field(0, 23), field(1, 31),
    field(1, 12, ['jan', 'feb', 'dec']), field(0, 6, ['sun', 'mon', 'sat'])).map((f) => f.join(' '));
  const bounds: Array<[string, number, number]> = [['minute', 0, 59], ['hour', 0, 23], ['day of month', 1, 31], ['month', 1, 12], ['day of week', 0, 6]];

  test('every expression of the grammar is accepted, macros too', () => {
    fc.assert(fc.property(valid, (schedule) => kubernetesScheduleProblem(schedule) === undefined));
    for (const ok of ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@every 1h30m', '0 3 * * MON-FRI', '5/15 * ? * *']) {
      expect(kubernetesScheduleProblem(ok)).toBeUndefined();
    }
  });

  test('fails for a value outside its field, naming the field', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 40 }), valid, (index, excess, base) => {
      const [name, min, max] = bounds[index];
      const value = min === 1 && excess % 2 === 0 ? 0 : max + excess;
      const fields = base.split(' ');
      fields[index] = String(value);
      expect(() => validateKubernetesSchedule(undefined, 'schedule', fields.join(' ')))
        .toThrow(new RegExp(`^invalid schedule ".*": has ${name} field "${value}": ${value} is (above the maximum|below the minimum) .*; use five fields such as`));
    }));
  });

  test.each([
    ['TZ=UTC 0 3 * * *', /sets a time zone with TZ= or CRON_TZ=/],
    ['CRON_TZ=Europe/Paris 0 3 * * *', /sets a time zone/],
    ['0 3 * *', /has 4 fields/],
    ['0 3 * * * 2030', /has 6 fields/],
    ['0 3 * * 7', /day of week field "7": 7 is above the maximum 6/],
    ['0 3 * FOO *', /month field "FOO": "FOO" is not a number or name/],
    ['*/0 * * * *', /the step "0" is not a positive number/],
    ['10-5 * * * *', /the range starts at 10, after its end 5/],
    ['0 3 L * *', /day of month field "L"/],
    ['@fortnightly', /is not one of the macros/],
    ['', /is empty/],
  ])('fails for %p', (schedule, problem) => {
    expect(() => validateKubernetesSchedule(undefined, 'schedule', schedule)).toThrow(problem);
  });
});
