/**
 * Gives each test page the browser's focus before its tests run (root hook, imported by the
 * shared browser-test helpers). Pages opened after some files start unfocused
 * (`document.hasFocus()` false), and then `focus()`/`blur()` fire no events, so behaviour
 * driven by them (a picker opening on focus, validation when a field is left) never happens.
 * The `portico-focus-page` command is defined in web-test-runner.config.mjs.
 */
import { executeServerCommand } from '@web/test-runner-commands';

before(async () => {
  if (!document.hasFocus()) await executeServerCommand('portico-focus-page');
});
