import { frameworkExampleSuite } from './harness.ts';

/**
 * The built React example (React 19 + Vite + @portico/react) runs the real elements: React sets
 * their properties (getToken, lang, open), receives their events (onPorticoSessionChange,
 * onPorticoPanelToggle), and the panel's widgets get the provider's context through React's tree.
 */
frameworkExampleSuite({ name: 'react', framework: 'React', openBinding: 'open={true}', toggleListener: 'onPorticoPanelToggle' });
