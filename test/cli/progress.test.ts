import { CliIo, processIo, Progress } from '../../src/cli/io';

// Progress ticks of long runs go to a terminal only: never into a pipe, a file or a CI log.

function io(stderrIsTerminal: boolean | undefined): { io: CliIo; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    io: { env: {}, stdout: () => undefined, stderr: (t) => void lines.push(t), readStdin: () => '', now: () => new Date(0), stderrIsTerminal },
  };
}

describe('Progress: ticks only when stderr is a terminal', () => {
  test('a terminal gets ticks; info lines always', () => {
    const terminal = io(true);
    const progress = new Progress(terminal.io, false, 0);
    progress.info('reading 2 files');
    progress.tick('[1/2] a.yaml');
    expect(terminal.lines).toEqual(['reading 2 files\n', '[1/2] a.yaml\n']);
  });

  test.each([[false], [undefined]])('fails to tick when stderr is not a terminal (stderrIsTerminal=%s)', (value) => {
    const piped = io(value);
    const progress = new Progress(piped.io, false, 0);
    progress.info('reading 2 files');
    progress.tick('[1/2] a.yaml');
    expect(piped.lines).toEqual(['reading 2 files\n']);
  });

  test('the process io: a terminal only when stderr is a TTY and CI is not set', () => {
    const isTTY = process.stderr.isTTY;
    const ci = process.env.CI;
    try {
      Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
      process.env.CI = 'true';
      expect(processIo().stderrIsTerminal).toBe(false);
      delete process.env.CI;
      expect(processIo().stderrIsTerminal).toBe(true);
      Object.defineProperty(process.stderr, 'isTTY', { value: undefined, configurable: true });
      expect(processIo().stderrIsTerminal).toBe(false);
    } finally {
      Object.defineProperty(process.stderr, 'isTTY', { value: isTTY, configurable: true });
      if (ci === undefined) {
        delete process.env.CI;
      } else {
        process.env.CI = ci;
      }
    }
  });
});
