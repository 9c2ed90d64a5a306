/** Callbacks waiting for the page's load and idle time; `undefined` while none wait. */
let waiting: (() => void)[] | undefined;

/**
 * Runs `callback` once the page has loaded and the browser is idle (or a second has passed).
 * Every element asking during a page load shares one `load` listener and one idle callback.
 */
export function afterLoadWhenIdle(callback: () => void): void {
  if (waiting) {
    waiting.push(callback);
    return;
  }
  waiting = [callback];
  const run = () => {
    const callbacks = waiting ?? [];
    waiting = undefined;
    for (const each of callbacks) {
      try {
        each();
      } catch (error) {
        // One element's failure must not keep the others from starting.
        reportError(error);
      }
    }
  };
  const idle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(run, { timeout: 1000 }) : setTimeout(run, 0));
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}
