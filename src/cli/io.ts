import * as fs from 'fs';

/**
 * What the CLI reads from and writes to, so that tests can run it in-process. Not part of the library's API.
 *
 * @internal
 */
export interface CliIo {
  /** The environment (credentials, DOCKER_CONFIG, HOME). */
  readonly env: Record<string, string | undefined>;
  /** Whether stderr is a terminal a person watches (not a pipe, a file or CI): only then do long runs print progress ticks. */
  readonly stderrIsTerminal?: boolean;
  /** Writes to standard output (the result: a report, a table). */
  stdout(text: string): void;
  /** Writes to standard error (progress, problems, summaries). */
  stderr(text: string): void;
  /** Reads standard input completely (for the path `-`). */
  readStdin(): string;
  /** The current time (the `resolvedAt` of new lock entries). */
  now(): Date;
}

/**
 * The process's own streams and environment.
 *
 * @internal
 */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => fs.readFileSync(0, 'utf-8'),
    env: process.env,
    now: () => new Date(),
    stderrIsTerminal: process.stderr.isTTY === true && !process.env.CI,
  };
}

/**
 * Progress lines on stderr: `info` always (unless quiet), `tick` at most once a second and only when stderr is a terminal
 * (never when piped, redirected or under CI), so that short runs stay quiet, logs stay clean and long runs show where they are.
 *
 * @internal
 */
export class Progress {
  private last = Date.now();

  constructor(private readonly io: CliIo, private readonly quiet: boolean, private readonly intervalMs = 1000) {}

  public info(message: string): void {
    if (!this.quiet) {
      this.io.stderr(`${message}\n`);
    }
    this.last = Date.now();
  }

  public tick(message: string): void {
    if (!this.quiet && this.io.stderrIsTerminal === true && Date.now() - this.last >= this.intervalMs) {
      this.io.stderr(`${message}\n`);
      this.last = Date.now();
    }
  }
}
