const warned = new Set<string>();

/** `console.warn` once per distinct message for the whole page: bad host input must not flood the console. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`[portico] ${message}`);
}
