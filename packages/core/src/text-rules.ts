/**
 * What counts as user text, without zod: the schemas refine every user text field with it
 * (`zod-helpers.ts`), and `<portico-ticket-form>` checks its fields with it in the browser, so
 * server, client and forms refuse the same characters. Refused: NUL and the other C0 controls
 * (terminal escape sequences start with ESC), DEL, the C1 controls, and lone UTF-16 surrogates
 * (they are not Unicode text and break UTF-8 encoders, logs and search indexes). Multi-line text
 * keeps tab, line feed and carriage return; one-line text (subjects, names, search queries) does not.
 */

// eslint-disable-next-line no-control-regex
const ONE_LINE_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const MULTI_LINE_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether `value` is text a user may store: no control characters (but tab and line breaks when `multiline`), no lone surrogates. */
export function isPlainText(value: string, multiline: boolean): boolean {
  return !(multiline ? MULTI_LINE_CONTROLS : ONE_LINE_CONTROLS).test(value) && !LONE_SURROGATE.test(value);
}

/** The message of a refused text field (English; the form words it in the user's language). */
export const plainTextMessage = (what: string, multiline: boolean) =>
  multiline ? `${what} contains control characters that are not allowed` : `${what} must be one line without control characters`;
