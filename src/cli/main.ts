import * as fs from 'fs';
import * as path from 'path';
import { ExitCode, UsageError } from './args';
import { CHECK_USAGE, checkCommand } from './check';
import { CliIo, processIo } from './io';
import { PIN_USAGE, pinCommand } from './pin';

/**
 * The `cdk-compliant-ml` command line. Not part of the library's API: `bin` points at `lib/cli/bin.js`.
 */

/** Top-level `--help`. @internal */
export const MAIN_USAGE = `Usage: cdk-compliant-ml <command> [options]

Commands:
  check PATH...      evaluate Kubernetes manifests, CloudFormation templates and Dockerfiles against the control catalogue
  pin [IMAGE:TAG...] resolve image tags (and --model NAME=REFERENCE weights) to digests and record them in images.lock.json
  help [COMMAND]     show help for a command

Options:
  -h, --help         show this help
  -v, --version      show the version

Run cdk-compliant-ml <command> --help for the options of a command.

Exit codes:
  0  success
  1  check --enforce found violated controls
  2  usage error
  3  some inputs could not be read, parsed or resolved (the others were processed)
`;

const COMMANDS: Record<string, { usage: string; run: (argv: string[], io: CliIo) => number | Promise<number> }> = {
  check: { usage: CHECK_USAGE, run: checkCommand },
  pin: { usage: PIN_USAGE, run: pinCommand },
};

/**
 * Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. Never throws: usage errors
 * give exit code 2, every other error (an unwritable output directory, ...) is printed and gives exit code 3.
 *
 * @internal
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    (command === undefined ? io.stderr : io.stdout)(MAIN_USAGE);
    return command === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(`${version()}\n`);
    return ExitCode.OK;
  }
  if (command === 'help') {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    if (rest[0] !== undefined && topic === undefined) {
      io.stderr(`cdk-compliant-ml: unknown command ${JSON.stringify(rest[0])}\n\n${MAIN_USAGE}`);
      return ExitCode.USAGE;
    }
    io.stdout(topic?.usage ?? MAIN_USAGE);
    return ExitCode.OK;
  }
  const cmd = COMMANDS[command];
  if (cmd === undefined) {
    io.stderr(`cdk-compliant-ml: unknown command ${JSON.stringify(command)}\n\n${MAIN_USAGE}`);
    return ExitCode.USAGE;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`cdk-compliant-ml ${command}: ${e.message}\nRun cdk-compliant-ml ${command} --help for the usage.\n`);
      return ExitCode.USAGE;
    }
    io.stderr(`cdk-compliant-ml ${command}: error: ${(e as Error).message ?? String(e)}\n`);
    return ExitCode.INPUT;
  }
}

/** The version of the installed package. */
function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
  } catch {
    return 'unknown';
  }
}
