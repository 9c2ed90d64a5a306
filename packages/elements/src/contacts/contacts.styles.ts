import { css } from 'lit';
import { forms } from '../styles/forms.ts';
import { stateStyles } from '../styles/states.ts';
import { tokens } from '../styles/tokens.ts';

/** The styles of `<portico-contacts>`. */
const contactsStyles = [
  tokens,
  forms,
  stateStyles,
  css`
    :host {
      display: block;
      container-type: inline-size;
      --_portico-cell-padding: var(--portico-contacts-row-padding, var(--_portico-space-2) var(--_portico-space-3));
    }

    .base,
    .dialog,
    .choice {
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
    }

    .base {
      background: var(--_portico-surface);
      overflow: clip;
    }

    .toolbar,
    .invite-form,
    th,
    td {
      border-block-end: 1px solid var(--_portico-border);
    }

    .toolbar,
    .confirm,
    .form-actions {
      display: flex;
      gap: var(--_portico-space-2);
    }

    .toolbar {
      flex-wrap: wrap;
      align-items: center;
      padding: var(--_portico-space-2) var(--_portico-space-3);
    }

    .search {
      flex: 1 1 12rem;
    }

    .inline {
      display: inline-flex;
      align-items: center;
      gap: var(--_portico-space-1);
    }

    .invite {
      margin-inline-start: auto;
    }

    .invite-form {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
      gap: var(--_portico-space-3);
      padding: var(--_portico-space-3);
      background: var(--_portico-surface-alt);
    }

    .form-title {
      font-size: 1em;
    }

    .form-title,
    .invite-form > .field-error,
    .confirm,
    .form-actions {
      grid-column: 1 / -1;
    }

    .form-title,
    .notice,
    .row-message,
    .dialog-form p,
    .choice {
      margin: 0;
    }

    .confirm {
      align-items: start;
    }

    .notice {
      padding-inline: var(--_portico-space-3);
      color: var(--_portico-muted);
    }

    .notice:not(:empty) {
      padding-block: var(--_portico-space-2);
    }

    .table {
      inline-size: 100%;
      border-collapse: collapse;
    }

    th,
    td {
      padding: var(--_portico-cell-padding);
      text-align: start;
    }

    th {
      background: var(--_portico-surface-alt);
    }

    th,
    .name {
      font-weight: 600;
    }

    /* 24 px tall at least: WCAG 2.2 target size (docs/accessibility.md). */
    .sort {
      all: unset;
      cursor: pointer;
      display: inline-flex;
      align-items: center;
      min-block-size: 24px;
      gap: var(--_portico-space-1);
    }

    .sort:focus-visible {
      outline: var(--_portico-focus-ring);
    }

    .arrow {
      font-size: 0.7em;
    }

    .row {
      background: var(--portico-contacts-row-background, var(--_portico-surface));
    }

    .email {
      display: block;
    }

    .email,
    .muted,
    .you {
      color: var(--_portico-muted);
      overflow-wrap: anywhere;
    }

    .count {
      font-variant-numeric: tabular-nums;
    }

    .badge[data-status='active'] {
      background: light-dark(#dcfce7, #163a24);
      color: light-dark(#166534, #bbf7d0);
    }

    .badge[data-status='invited'] {
      background: light-dark(#e0ecff, #1c345a);
      color: light-dark(#1d4ed8, #cfe0ff);
    }

    .actions {
      text-align: end;
      white-space: nowrap;
    }

    .actions .button + .button {
      margin-inline-start: var(--_portico-space-1);
    }

    .message-row td {
      padding-block-start: 0;
    }

    .row-message {
      color: var(--_portico-danger);
    }

    .footer {
      display: grid;
      justify-items: center;
      gap: var(--_portico-space-2);
      padding: var(--_portico-space-3);
    }

    .dialog {
      max-inline-size: min(32rem, 90vw);
      padding: var(--_portico-space-4);
      background: var(--_portico-surface);
      color: var(--_portico-text);
    }

    .dialog::backdrop {
      background: rgb(0 0 0 / 0.35);
    }

    .dialog-form {
      display: grid;
      gap: var(--_portico-space-3);
    }

    .choice {
      display: grid;
      gap: var(--_portico-space-2);
    }

    /* narrow containers: every row becomes a card */
    @container (max-width: 600px) {
      thead {
        display: none;
      }

      tr,
      td {
        display: block;
      }

      .row {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: var(--_portico-space-1);
        border-block-end: 1px solid var(--_portico-border);
        padding: var(--_portico-space-2) 0;
      }

      td {
        border: 0;
        padding-block: 0;
      }

      .actions {
        grid-column: 1 / -1;
        text-align: start;
      }
    }
  `,
];

export default contactsStyles;
