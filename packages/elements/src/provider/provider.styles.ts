import { css } from 'lit';

// color-scheme is inherited, so the elements inside (and their shadow roots) pick the palette
// of their light-dark() tokens from here; display: contents keeps the provider out of layout.
/** The styles of `<portico-provider>`. */
const providerStyles = css`
  :host {
    display: contents;
  }

  :host([theme='light']) {
    color-scheme: light;
  }

  :host([theme='dark']) {
    color-scheme: dark;
  }

  :host([theme='auto']) {
    color-scheme: light dark;
  }
`;

export default providerStyles;
