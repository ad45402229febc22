/**
 * A documented, deliberate exception to one control of the catalogue.
 *
 * Every default of this library that enforces a control can be relaxed only together with a waiver for that control.
 * The waiver, with its reason, approver and expiry, is listed in the compliance report, so an auditor sees every
 * exception and why it was granted. An expired waiver fails synthesis.
 */
export interface Waiver {
  /**
   * The control ID that is waived, e.g. `SEC-5` or `AVL-1`. It must exist in the catalogue (`ControlCatalogue.ids()`).
   */
  readonly control: string;

  /**
   * Why the control cannot be met; copied verbatim into the compliance report. Must not be empty.
   */
  readonly reason: string;

  /**
   * Who approved the exception (a person, role or ticket).
   *
   * @default - no approver is recorded
   */
  readonly approvedBy?: string;

  /**
   * The last day the waiver is valid, as an ISO date `YYYY-MM-DD` (UTC). After that day synthesis fails until the waiver is
   * renewed or the control is met.
   *
   * @default - the waiver does not expire
   */
  readonly expires?: string;
}
