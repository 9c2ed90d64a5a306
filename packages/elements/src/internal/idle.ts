/**
 * Runs `callback` once the page has loaded and the browser is idle (or a second has passed).
 *
 * It waits for the page's navigation timing entry, which the browser records once the load
 * event has *finished*, rather than listening to `load`: a listener would run inside the
 * page's load task, where the browser's own load work would then count as Portico's (see
 * docs/performance.md, "Lighthouse, round 5").
 */
export function afterLoadWhenIdle(callback: () => void): void {
  const idle = () => void (typeof requestIdleCallback === 'function' ? requestIdleCallback(callback, { timeout: 1000 }) : setTimeout(callback, 0));
  if (document.readyState === 'complete') idle();
  else {
    new PerformanceObserver((_entries, observer) => {
      observer.disconnect();
      idle();
    }).observe({ type: 'navigation', buffered: true });
  }
}
