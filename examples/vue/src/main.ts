// Register the elements before Vue renders them, so Vue sets their properties (not attributes).
import '@portico/elements/define/portico-provider.js';
import '@portico/elements/define/portico-support-panel.js';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
