/** Runs `callback` once the page has loaded and the browser is idle (or a second has passed). */
export function afterLoadWhenIdle(callback: () => void): void {
  const idle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(callback, { timeout: 1000 }) : setTimeout(callback, 0));
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}
