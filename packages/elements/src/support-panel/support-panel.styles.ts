import { css } from 'lit';
import { tokens } from '../styles/tokens.ts';

/** The styles of `<portico-support-panel>`. */
const supportPanelStyles = [
  css`
    /* Inherited properties would otherwise flow in from the host page's CSS (text-align,
       letter-spacing, text-transform…). Custom properties, direction and color-scheme
       still pass, so theming, RTL and dark mode keep working. */
    :host {
      all: initial;
      color-scheme: inherit;
    }
  `,
  tokens,
  css`
    :host {
      display: block;
      --_portico-launcher-offset: var(--portico-support-panel-launcher-offset, 1.5rem);
    }

    :host([mode='launcher']) {
      display: contents;
    }

    button {
      font: inherit;
      color: inherit;
    }

    .base {
      display: flex;
      flex-direction: column;
      block-size: var(--portico-support-panel-block-size, 36rem);
      background: var(--_portico-surface);
      color: var(--_portico-text);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
      overflow: hidden;
    }

    .header {
      display: flex;
      align-items: center;
      gap: var(--_portico-space-1);
      padding: var(--_portico-space-2) var(--_portico-space-3);
      border-block-end: 1px solid var(--_portico-border);
    }

    .title {
      flex: 1;
      margin: 0;
      padding-inline: var(--_portico-space-2);
      font-size: 1.05em;
      font-weight: 600;
    }

    .icon-button {
      display: inline-grid;
      place-items: center;
      inline-size: 2rem;
      block-size: 2rem;
      padding: 0;
      border: 0;
      border-radius: var(--_portico-radius);
      background: none;
      cursor: pointer;
    }

    .icon-button:hover:not([aria-disabled='true']) {
      background: var(--_portico-surface-alt);
    }

    .icon-button[aria-disabled='true'] {
      color: var(--_portico-muted);
      opacity: 0.5;
      cursor: default;
    }

    /* Forward points the other way; right to left mirrors both arrows (scale and transform compose). */
    .forward .icon {
      transform: scaleX(-1);
    }

    :host(:dir(rtl)) .flip-rtl {
      scale: -1 1;
    }

    .tabs {
      display: flex;
      gap: var(--_portico-space-1);
      padding: var(--_portico-space-2) var(--_portico-space-3) 0;
      border-block-end: 1px solid var(--_portico-border);
      overflow-x: auto;
    }

    .tab {
      padding: var(--_portico-space-2) var(--_portico-space-3);
      border: 0;
      border-block-end: 2px solid transparent;
      background: transparent;
      color: var(--_portico-muted);
      white-space: nowrap;
      cursor: pointer;
    }

    .tab[aria-selected='true'] {
      color: var(--_portico-accent);
      border-block-end-color: var(--_portico-accent);
      font-weight: 600;
    }

    .body {
      flex: 1;
      min-block-size: 0;
      overflow: auto;
      padding: var(--_portico-space-3);
    }

    .message {
      padding: var(--_portico-space-6) var(--_portico-space-4);
      text-align: center;
      color: var(--_portico-muted);
    }

    .message p {
      margin: 0 0 var(--_portico-space-2);
    }

    [part~='error'] {
      color: var(--_portico-danger);
    }

    .message-title {
      font-weight: 600;
    }

    .button {
      padding: var(--_portico-space-2) var(--_portico-space-4);
      border: 1px solid var(--_portico-accent);
      border-radius: var(--_portico-radius);
      background: var(--_portico-accent);
      color: var(--_portico-accent-contrast);
      cursor: pointer;
    }

    /* Focused from script when a ticket opens, so reading starts there; not a control. */
    portico-ticket-detail:focus {
      outline: none;
    }

    .link-button {
      display: inline-flex;
      align-items: center;
      gap: var(--_portico-space-1);
      margin-block-end: var(--_portico-space-2);
      padding: var(--_portico-space-1) 0;
      border: 0;
      background: none;
      color: var(--_portico-accent);
      font-weight: 600;
      cursor: pointer;
    }

    /* launcher mode ---------------------------------------------------------- */
    .launcher {
      position: fixed;
      inset-block-end: var(--_portico-launcher-offset);
      inset-inline-end: var(--_portico-launcher-offset);
      z-index: var(--portico-support-panel-z-index, 1000);
      display: inline-flex;
      align-items: center;
      gap: var(--_portico-space-2);
      padding: var(--_portico-space-3) var(--_portico-space-4);
      border: 0;
      border-radius: 999px;
      background: var(--_portico-accent);
      color: var(--_portico-accent-contrast);
      font-weight: 600;
      box-shadow: 0 4px 14px rgb(0 0 0 / 0.25);
      cursor: pointer;
    }

    .drawer {
      position: fixed;
      inset-block: 0;
      inset-inline-start: auto;
      inset-inline-end: 0;
      margin: 0;
      padding: 0;
      inline-size: min(var(--portico-support-panel-drawer-width, 28rem), 100vw);
      max-inline-size: 100vw;
      block-size: 100dvh;
      max-block-size: 100dvh;
      border: 0;
      background: transparent;
      color: inherit;
    }

    .drawer[open] {
      animation: slide-in var(--_portico-duration) ease-out;
    }

    .drawer::backdrop {
      background: rgb(0 0 0 / 0.35);
    }

    .drawer .base {
      block-size: 100%;
      border-radius: 0;
      border-block: 0;
      border-inline-end: 0;
    }

    @keyframes slide-in {
      from {
        translate: 100% 0;
      }
    }

    :host(:dir(rtl)) .drawer[open] {
      animation-name: slide-in-rtl;
    }

    @keyframes slide-in-rtl {
      from {
        translate: -100% 0;
      }
    }
  `,
];

export default supportPanelStyles;
