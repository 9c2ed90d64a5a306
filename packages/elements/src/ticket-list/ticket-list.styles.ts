import { css } from 'lit';
import { controls } from '../styles/controls.ts';
import { stateStyles } from '../styles/states.ts';
import { tokens } from '../styles/tokens.ts';

/** The styles of `<portico-ticket-list>`. */
const ticketListStyles = [
  tokens,
  controls,
  stateStyles,
  css`
    :host {
      display: block;
      container-type: inline-size;
    }

    .base {
      background: var(--_portico-surface);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
      overflow: clip;
    }

    button,
    input,
    select {
      font: inherit;
      color: inherit;
    }

    /* toolbar --------------------------------------------------------------- */

    .toolbar {
      display: grid;
      gap: var(--_portico-space-2);
      padding: var(--_portico-space-2) var(--_portico-space-4);
      border-block-end: 1px solid var(--_portico-border);
    }

    .toolbar-row,
    .saved-views {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_portico-space-2);
    }

    .toolbar-row:not(.controls) {
      justify-content: space-between;
      column-gap: var(--_portico-space-4);
    }

    .search {
      flex: 1 1 12rem;
      min-inline-size: 0;
    }

    input[type='search'],
    select,
    .save-form input:not([type]) {
      inline-size: 100%;
      padding: var(--_portico-space-1) var(--_portico-space-2);
      border: 1px solid var(--_portico-field-border);
      border-radius: var(--_portico-radius);
      background: var(--_portico-surface);
      color: var(--_portico-text);
    }

    .field,
    .filter-group {
      display: grid;
      gap: var(--_portico-space-1);
    }

    .field.inline {
      display: inline-flex;
      align-items: center;
      gap: var(--_portico-space-2);
      color: var(--_portico-muted);
    }

    .field.inline select {
      inline-size: auto;
    }

    .count {
      display: inline-block;
      min-inline-size: 1.5em;
      padding: 0 var(--_portico-space-1);
      border-radius: 999px;
      background: var(--_portico-surface-alt);
      color: var(--_portico-muted);
      font-size: 0.85em;
      font-weight: 600;
      text-align: center;
      font-variant-numeric: tabular-nums;
    }

    .form-error,
    .more-error {
      flex-basis: 100%;
      margin: 0;
      color: var(--_portico-danger);
    }

    .form-error:empty {
      display: none;
    }

    .filter-group {
      margin: 0;
      padding: 0;
      border: 0;
    }

    legend {
      padding: 0;
      margin-block-end: var(--_portico-space-1);
      font-weight: 600;
    }

    .link,
    .view {
      appearance: none;
      padding: 0;
      border: 0;
      background: none;
      cursor: pointer;
    }

    .link {
      justify-self: start;
      color: var(--_portico-accent);
      text-decoration: underline;
    }

    .views {
      display: flex;
      gap: var(--_portico-space-1);
      overflow-x: auto;
      scrollbar-width: thin;
    }

    .view {
      border-block-end: 2px solid transparent;
      padding: var(--_portico-space-2) var(--_portico-space-3);
      color: var(--_portico-muted);
      white-space: nowrap;
      transition:
        color var(--_portico-duration),
        border-color var(--_portico-duration);
    }

    .view:hover {
      color: var(--_portico-text);
    }

    .view[aria-selected='true'] {
      color: var(--_portico-accent);
      border-block-end-color: var(--_portico-accent);
      font-weight: 600;
    }

    .filters {
      position: relative;
    }

    .filters summary {
      cursor: pointer;
      padding: var(--_portico-space-1) var(--_portico-space-3);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
      user-select: none;
    }

    .filter-options {
      position: absolute;
      inset-inline-start: 0;
      inset-block-start: calc(100% + var(--_portico-space-1));
      z-index: 1;
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
      gap: var(--_portico-space-3);
      inline-size: min(36rem, 90cqi);
      max-block-size: 70vh;
      overflow: auto;
      padding: var(--_portico-space-2) var(--_portico-space-3);
      background: var(--_portico-surface);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.12);
    }

    /* A checkbox and its label make one target at least 24 px tall (WCAG 2.2 target size). */
    .option {
      display: flex;
      align-items: center;
      min-block-size: 24px;
      gap: var(--_portico-space-2);
      cursor: pointer;
    }

    .option input {
      accent-color: var(--_portico-accent);
      margin: 0;
    }

    /* rows ------------------------------------------------------------------ */
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
    }

    .row,
    .skeleton {
      display: grid;
      padding: var(--portico-ticket-list-row-padding, var(--_portico-space-3) var(--_portico-space-4));
      border-block-end: 1px solid var(--_portico-border);
    }

    .row {
      grid-template-columns: minmax(4.5rem, auto) minmax(0, 1fr) 5.5rem 4.5rem;
      grid-template-areas:
        'ref subject status priority'
        '. meta meta meta';
      align-items: baseline;
      gap: var(--_portico-space-1) var(--_portico-space-3);
      background: var(--portico-ticket-list-row-background, var(--_portico-surface));
      cursor: pointer;
      transition: background-color var(--_portico-duration);
    }

    .row:hover,
    .row[aria-selected='true'] {
      background: var(--portico-ticket-list-row-background-hover, var(--_portico-surface-alt));
    }

    .row[aria-selected='true'] {
      box-shadow: inset 3px 0 0 var(--_portico-accent);
    }

    .row:focus-visible {
      outline-offset: -2px;
    }

    .ref {
      grid-area: ref;
      color: var(--_portico-muted);
      font-variant-numeric: tabular-nums;
    }

    .subject {
      grid-area: subject;
      font-weight: 600;
      overflow: hidden;
      overflow-wrap: anywhere;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
    }

    .status {
      grid-area: status;
      justify-self: start;
    }

    .priority {
      grid-area: priority;
    }

    .meta {
      grid-area: meta;
      display: flex;
      flex-wrap: wrap;
      gap: 0 var(--_portico-space-3);
      color: var(--_portico-muted);
      font-size: 0.9em;
    }

    .unread {
      display: inline-block;
      inline-size: 0.5rem;
      block-size: 0.5rem;
      margin-inline-end: var(--_portico-space-2);
      border-radius: 50%;
      background: var(--_portico-accent);
      vertical-align: middle;
    }

    .escalated {
      color: var(--_portico-danger);
      font-weight: 600;
    }

    .private {
      display: inline-flex;
      align-items: center;
      gap: var(--_portico-space-1);
    }

    /* states ---------------------------------------------------------------- */
    .skeleton {
      gap: var(--_portico-space-2);
    }

    .skeleton span {
      display: block;
      block-size: 0.8em;
      border-radius: var(--_portico-radius);
      background: var(--_portico-surface-alt);
      animation: pulse 1.2s ease-in-out infinite alternate;
    }

    .skeleton span:first-child {
      inline-size: 60%;
    }

    .skeleton span:last-child {
      inline-size: 35%;
    }

    @keyframes pulse {
      to {
        opacity: 0.45;
      }
    }

    @media (prefers-reduced-motion: reduce) {
      .skeleton span {
        animation: none;
      }
    }

    .hint {
      color: var(--_portico-muted);
    }

    .footer {
      display: grid;
      justify-items: center;
      gap: var(--_portico-space-2);
      padding: var(--_portico-space-3);
    }

    /* compact layout: narrow containers (sidebars, drawers, phones) ---------- */
    @container (max-width: 480px) {
      .toolbar {
        padding-inline: var(--_portico-space-2);
      }

      .row {
        grid-template-columns: auto minmax(0, 1fr) auto;
        grid-template-areas:
          'ref status priority'
          'subject subject subject'
          'meta meta meta';
        padding: var(--portico-ticket-list-row-padding, var(--_portico-space-2) var(--_portico-space-3));
      }

      .views {
        flex-wrap: wrap;
        overflow-x: visible;
      }

      .subject {
        -webkit-line-clamp: 3;
      }

      .priority {
        justify-self: end;
      }
    }
  `,
];

export default ticketListStyles;
