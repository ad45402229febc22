/**
 * A tiny argument parser for the CLI: `--flag`, `--option value`, `--option=value`, `-o value`, `--` ends options.
 * Not part of the library's API.
 */

/** Exit codes of every command. @internal */
export enum ExitCode {
  /** Success (no violations, or violations without --enforce). */
  OK = 0,
  /** `check --enforce` found violated controls. */
  VIOLATIONS = 1,
  /** Bad command line. */
  USAGE = 2,
  /** Some inputs could not be read, parsed or resolved (the rest was still processed). */
  INPUT = 3,
}

/** A command-line error: printed with the command's usage hint, exit code 2. @internal */
export class UsageError extends Error {}

/** How one option is parsed. @internal */
export interface OptionSpec {
  /** `flag` takes no value; `value` takes one; `list` takes one and may repeat. */
  readonly type: 'flag' | 'value' | 'list';
  /** A one-letter alias, e.g. `o` for `-o`. */
  readonly short?: string;
}

/** The parsed command line of one command. @internal */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Set<string>;
  readonly values: Map<string, string>;
  readonly lists: Map<string, string[]>;
}

/**
 * Parses `argv` against the options of a command; throws `UsageError` on unknown options or missing values.
 *
 * @internal
 */
export function parseArgs(argv: string[], specs: Record<string, OptionSpec>): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: new Set(), values: new Map(), lists: new Map() };
  const byShort = new Map(Object.entries(specs).filter(([, s]) => s.short).map(([name, s]) => [s.short!, name]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      out.positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else {
      const long = byShort.get(arg.slice(1, 2));
      if (long === undefined || (arg.length > 2 && specs[long].type === 'flag')) {
        throw new UsageError(`unknown option ${arg}`);
      }
      name = long;
      inline = arg.length > 2 ? arg.slice(2) : undefined;
    }
    const spec = specs[name];
    if (spec === undefined) {
      throw new UsageError(`unknown option --${name}`);
    }
    if (spec.type === 'flag') {
      if (inline !== undefined) {
        throw new UsageError(`option --${name} takes no value`);
      }
      out.flags.add(name);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('-') && value !== '-')) {
      throw new UsageError(`option --${name} needs a value`);
    }
    if (spec.type === 'value') {
      if (out.values.has(name)) {
        throw new UsageError(`option --${name} is given twice`);
      }
      out.values.set(name, value);
    } else {
      out.lists.set(name, [...(out.lists.get(name) ?? []), value]);
    }
  }
  return out;
}
