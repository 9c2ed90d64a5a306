// ESLint for the whole repository (flat config). `npm run lint` runs it with Prettier's check
// and lit-analyzer (template bindings against the elements' types); see CONTRIBUTING.md.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Code that runs in the browser: the elements, their stories and browser tests. */
const BROWSER = [
  'packages/elements/**/*.ts',
  'packages/mocks/src/**/*.ts',
  'packages/react/**/*.ts',
  'test/browser/**/*.ts',
  'stories/**/*.ts',
  '.storybook/**/*.ts',
  'examples/**/src/**/*.{ts,tsx}',
  'examples/cdn/**/*.js',
  // Its functions run in the page (page.evaluate).
  'scripts/storybook-smoke.mjs',
];

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    'storybook-static/',
    'coverage/',
    // Generated: translations (npm run i18n), React wrappers (npm run react-wrappers).
    'packages/elements/src/locales/{ar,de}.ts',
    'packages/react/src/',
    // MSW's service worker script, copied from the msw package.
    'packages/mocks/public/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `interface HTMLElementEventMap extends PorticoEventMap {}` is how a global map is augmented.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: BROWSER,
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['packages/elements/src/**/*.ts'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended'], litA11y.configs.recommended],
    rules: {
      // Elements fire events only through their typed emit() (src/events.ts, docs/architecture.md).
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='CustomEvent']", message: 'Fire events with the element’s emit() (src/events.ts).' },
      ],
      // Class modules never register themselves; src/define/ does (wc's rule would want it inline).
      'wc/tag-name-matches-class': 'off',
    },
  },
  {
    files: ['packages/elements/src/events.ts', 'packages/elements/src/**/*.test.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Tests read JSON answers of any shape and check them with assertions, not types.
    files: ['**/test/**/*.ts', '**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
