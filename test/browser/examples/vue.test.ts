import { frameworkExampleSuite } from './harness.ts';

/**
 * The built Vue example (Vue 3 + Vite, isCustomElement) runs the real elements: Vue sets
 * their properties (getToken, lang, open), receives their events (@portico-session-change,
 * @portico-panel-toggle), and the panel's widgets get the provider's context through Vue's tree.
 */
frameworkExampleSuite({ name: 'vue', framework: 'Vue', openBinding: ':open.prop', toggleListener: '@portico-panel-toggle' });
