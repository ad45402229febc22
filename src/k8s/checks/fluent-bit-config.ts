/**
 * One section of a Fluent Bit classic configuration: `[NAME]` and its indented `key value` entries.
 *
 * @internal
 */
export interface FluentBitSection {
  readonly name: string;
  readonly entries: Array<[string, string]>;
}

/**
 * A Fluent Bit classic configuration read back: its sections and the root-level commands (`@INCLUDE`, `@SET`) that make
 * its effective content depend on files or variables the checker cannot see.
 *
 * @internal
 */
export interface FluentBitConfig {
  readonly sections: FluentBitSection[];
  readonly commands: string[];
}

/**
 * Parses the classic format as Fluent Bit reads it: a line is a section header `[NAME]`, a full-line comment `#...`, a
 * root-level command `@INCLUDE`/`@SET`, or an entry whose key is the first word and whose value is the rest of the line,
 * blanks trimmed. Lines break at `\n`; a trailing `\r` is dropped.
 *
 * @internal
 */
export function parseFluentBitConfig(text: string): FluentBitConfig {
  const sections: Array<{ name: string; entries: Array<[string, string]> }> = [];
  const commands: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (line.length === 0 || line.startsWith('#')) {
      continue;
    }
    const header = /^\[([^\]]*)\]$/.exec(line);
    if (header) {
      sections.push({ name: header[1].trim().toUpperCase(), entries: [] });
    } else if (line.startsWith('@')) {
      commands.push(line);
    } else if (sections.length > 0) {
      const split = /^(\S+)\s*(.*)$/.exec(line)!;
      sections[sections.length - 1].entries.push([split[1], split[2].trim()]);
    }
  }
  return { sections, commands };
}

/**
 * The first value of `key` (case-insensitive, as Fluent Bit reads keys) in a section.
 *
 * @internal
 */
export function sectionValue(section: FluentBitSection, key: string): string | undefined {
  return section.entries.find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
}

/** Output plugins that discard records or keep them in the pod: they ship nothing. */
const NON_SHIPPING_OUTPUTS = new Set(['null', 'stdout', 'counter', 'exit', 'file', 'flowcounter']);

/**
 * The `[OUTPUT]` sections that send records out of the pod (not `null`, `stdout`, `file`, ...).
 *
 * @internal
 */
export function shippingOutputs(config: FluentBitConfig): FluentBitSection[] {
  return config.sections.filter((s) => s.name === 'OUTPUT' && !NON_SHIPPING_OUTPUTS.has((sectionValue(s, 'Name') ?? 'null').toLowerCase()));
}

/** The protocol names of the output plugins the library renders. */
const PROTOCOLS: Record<string, string> = {
  forward: 'Fluent Forward', opentelemetry: 'OTLP/HTTP', loki: 'Grafana Loki', es: 'Elasticsearch', opensearch: 'OpenSearch',
};

/**
 * How the report names an output: `the Fluent Forward receiver at log-aggregator.logging.svc:24224 (plaintext)`.
 *
 * @internal
 */
export function describeOutput(output: FluentBitSection): string {
  const tls = (sectionValue(output, 'tls') ?? 'off').toLowerCase();
  const transport = ['on', 'true', 'yes'].includes(tls) ? 'TLS' : 'plaintext';
  const plugin = sectionValue(output, 'Name') ?? '';
  const port = sectionValue(output, 'Port');
  return `the ${PROTOCOLS[plugin.toLowerCase()] ?? plugin} receiver at ${sectionValue(output, 'Host') ?? '(no host)'}${port ? `:${port}` : ''} (${transport})`;
}
