/**
 * The tab a key moves to in a tab list (the WAI-ARIA tabs pattern, automatic activation):
 * the arrows move one tab and wrap around, Home and End go to the first and the last. In a
 * right-to-left layout the tabs run from right to left, so the arrows swap.
 *
 * Returns the index of the tab to select, or `undefined` when the key is not a tab key.
 */
export function tabKeyTarget(event: KeyboardEvent, current: number, count: number, host: Element): number | undefined {
  const rtl = host.matches(':dir(rtl)');
  const next = rtl ? 'ArrowLeft' : 'ArrowRight';
  const previous = rtl ? 'ArrowRight' : 'ArrowLeft';
  switch (event.key) {
    case next:
      return (current + 1) % count;
    case previous:
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
