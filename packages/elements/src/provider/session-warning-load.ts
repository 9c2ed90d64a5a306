/**
 * How `<portico-provider>` gets its session-end warning dialog: imported and registered on
 * demand, once a session end is known (most sessions renew without one, so its code is not in a
 * page's first load). The import and registration are define/portico-provider.ts's, which hands
 * them over here (class modules never register elements); without it, as when only the class is
 * imported, there is no dialog and the provider's `portico-session-warning` event still fires.
 */
let register: (() => Promise<unknown>) | undefined;
let loading: Promise<boolean> | undefined;

/** Sets how the dialog is imported and registered (define/portico-provider.ts). */
export function setSessionWarningLoader(load: () => Promise<unknown>): void {
  register = load;
}

/** Imports and registers the dialog, once; `false` when that is not possible (not set up, or offline: tried again next time). */
export function loadSessionWarning(): Promise<boolean> {
  if (!register) return Promise.resolve(false);
  loading ??= register().then(
    () => true,
    () => {
      loading = undefined;
      return false;
    },
  );
  return loading;
}
