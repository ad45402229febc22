// What the code under test prints, captured instead of reaching the terminal: a passing test prints nothing, and a test that
// expects output asserts it. The library itself is not silenced: report mode writes one `[cdk-compliant-ml] warning:` line per
// failing control to stderr (src/compliance/report-output.ts), and aws-cdk prints its policy-validation report with
// `console.error`; the tests that trigger either capture it here and check what was printed.

/** The prefix of the library's report-mode warning lines. */
export const WARNING_PREFIX = '[cdk-compliant-ml] warning:';

/** Output captured between `captureOutput()` and `restore()`. */
export interface CapturedOutput {
  /** Every `process.stderr.write` chunk, as text. */
  readonly stderr: () => string[];
  /** The stderr lines that are report-mode warnings of this library. */
  readonly warnings: () => string[];
  /** Every `console.error` call, its arguments joined by a space (as the console prints them). */
  readonly consoleErrors: () => string[];
  /** Puts `process.stderr.write` and `console.error` back. */
  readonly restore: () => void;
}

/** Starts capturing `process.stderr.write` and `console.error`; call `restore()` when done (or use `captureOutputInEachTest`). */
export function captureOutput(): CapturedOutput {
  const stderrSpy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const consoleErrorSpy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const stderr = () => stderrSpy.mock.calls.map((call) => String(call[0]));
  return {
    stderr,
    warnings: () => stderr().flatMap((chunk) => chunk.split('\n')).filter((line) => line.startsWith(WARNING_PREFIX)),
    consoleErrors: () => consoleErrorSpy.mock.calls.map((call) => call.map(String).join(' ')),
    restore: () => {
      stderrSpy.mockRestore();
      consoleErrorSpy.mockRestore();
    },
  };
}

/**
 * Captures the output of every test of the enclosing `describe` (or file): returns a getter for the current test's capture.
 * Restored after each test, so a failing assertion still reaches the terminal through jest's own reporter.
 */
export function captureOutputInEachTest(): () => CapturedOutput {
  let current: CapturedOutput | undefined;
  beforeEach(() => {
    current = captureOutput();
  });
  afterEach(() => {
    current?.restore();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('captureOutputInEachTest(): read the capture inside a test');
    return current;
  };
}

/** aws-cdk's policy-validation reports among captured `console.error` texts (each names the plugins and their status). */
export function policyValidationReports(consoleErrors: string[]): string[] {
  return consoleErrors.filter((text) => text.includes('Validation Report'));
}
