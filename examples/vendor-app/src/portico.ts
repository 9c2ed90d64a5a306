/**
 * Portico on the demo page, as its own script (the page loads it before app.js): only what the
 * page shows at first, the provider, the notification bell and the support panel's launcher
 * (the panel loads each tab's code when it opens; the Team area's element loads when that area
 * is shown, see team.ts). Importing '@portico/elements' would load them all.
 *
 * A script of its own, apart from the page's code (main.ts), the way a vendor's page includes a
 * widget: what each costs the page shows up per script (`npm run bench:lighthouse`).
 */
import '@portico/elements/define/portico-provider.js';
import '@portico/elements/define/portico-notifications.js';
import '@portico/elements/define/portico-support-panel.js';
