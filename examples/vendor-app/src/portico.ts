/**
 * Portico on the demo page, as its own script (loaded `async` beside app.js): only what the
 * page shows at first, the provider, the notification bell and the support panel's launcher
 * (the panel loads each tab's code when it opens; the Team area's element loads when that area
 * is shown, see team.ts). Importing '@portico/elements' would load them all.
 *
 * A script of its own, apart from the page's code (main.ts), the way a vendor's page includes a
 * widget: what each costs the page shows up per script (`npm run bench:lighthouse`). `async`, so
 * that it runs in a task of its own: two deferred module scripts ready together run in one task,
 * and Lighthouse then gives the whole task, and every timer the page sets in it (the mailbox's
 * polling), to the first script in it.
 */
import '@portico/elements/define/portico-provider.js';
import '@portico/elements/define/portico-notifications.js';
import '@portico/elements/define/portico-support-panel.js';
