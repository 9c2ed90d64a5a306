/**
 * Keeps failing tests reportable. web-test-runner sends each failure's `actual` and `expected`
 * to the runner as JSON; a DOM node there (a failed `expect(part(el, 'count')).to.equal(null)`,
 * or `deep.equal([row])`) cannot be serialized, so the file's results never arrive and the run
 * waits out `testsFinishTimeout` with no hint of what failed. This root hook, imported by the
 * shared browser-test helpers, replaces DOM nodes (and windows, events) in a failure with a
 * short text such as `<span part="count">3</span>` before the result is sent.
 */

const MAX_TEXT = 200;

function describeTarget(value: EventTarget): string {
  if (value instanceof Element) {
    const html = value.outerHTML;
    return html.length > MAX_TEXT ? `${html.slice(0, MAX_TEXT)}…` : html;
  }
  if (value instanceof Node) return `[${value.nodeName}]`;
  if (value instanceof Event) return `[${value.constructor.name} ${value.type}]`;
  return `[${value.constructor?.name ?? 'EventTarget'}]`;
}

/** `value` with every DOM node / window / event inside arrays and plain objects turned into text. */
export function serializable(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof EventTarget || value instanceof Event) return describeTarget(value as EventTarget);
  if (depth > 5) return value;
  if (Array.isArray(value)) return value.map((v) => serializable(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serializable(v, depth + 1)]));
}

interface FailedTest {
  currentTest?: { err?: { actual?: unknown; expected?: unknown } };
}

afterEach(function (this: unknown) {
  const err = (this as FailedTest).currentTest?.err;
  if (!err) return;
  for (const key of ['actual', 'expected'] as const) {
    if (key in err) err[key] = serializable(err[key]);
  }
});
