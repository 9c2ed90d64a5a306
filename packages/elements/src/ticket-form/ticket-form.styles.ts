import { css } from 'lit';
import { stateStyles } from '../styles/states.ts';
import { tokens } from '../styles/tokens.ts';

/** The styles of `<portico-ticket-form>`. */
const ticketFormStyles = [
  tokens,
  stateStyles,
  css`
    :host {
      display: block;
      --_portico-gap: var(--portico-ticket-form-gap, var(--_portico-space-4));
      --_portico-panel: var(--portico-ticket-form-panel-background, var(--_portico-surface-alt));
    }

    button,
    input[type='text'],
    select,
    textarea {
      font: inherit;
      color: inherit;
    }

    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }

    /* input[type=text] outranks [aria-invalid] below: text inputs keep their border color. */
    .base,
    .panel,
    .listbox,
    .button,
    input[type='text'],
    textarea,
    select {
      background: var(--_portico-surface);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
    }

    input[type='text'],
    textarea,
    select {
      border-color: var(--_portico-field-border);
    }

    .base {
      padding: var(--_portico-space-4);
    }

    .form,
    .row,
    .field,
    .panel-list,
    .files {
      display: grid;
      gap: var(--_portico-space-2);
    }

    .form,
    .row {
      gap: var(--_portico-gap);
    }

    .row {
      grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
    }

    .field {
      gap: var(--_portico-space-1);
      margin: 0;
      padding: 0;
      border: 0;
      min-inline-size: 0;
    }

    label,
    legend,
    .label,
    .radio-label,
    .file-name,
    .error-title,
    .done-title {
      font-weight: 600;
      padding: 0;
    }

    input[type='text'],
    textarea,
    select {
      padding: var(--_portico-space-2) var(--_portico-space-3);
      inline-size: 100%;
    }

    textarea {
      resize: vertical;
    }

    [aria-invalid='true'] {
      border-color: var(--_portico-danger);
    }

    .hint,
    .meta,
    .draft-status,
    .notice,
    .ref,
    .tag,
    .option-email {
      color: var(--_portico-muted);
      margin: 0;
    }

    .hint,
    .meta,
    .draft-status {
      font-size: 0.9em;
    }

    .hint,
    .meta,
    .radio,
    .button {
      font-weight: normal;
    }

    .field-error,
    .send-error {
      color: var(--_portico-danger);
      margin: 0;
    }

    .field-error:empty,
    .listbox:empty {
      display: none;
    }

    .field-error p {
      margin: 0;
    }

    .radio,
    .actions,
    .duplicate,
    .dropzone,
    .chips {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_portico-space-2);
    }

    .radio {
      flex-wrap: nowrap;
      align-items: baseline;
    }

    .chips {
      align-items: normal;
    }

    .button,
    .chip,
    .file {
      display: inline-flex;
      align-items: center;
      gap: var(--_portico-space-1);
      padding: var(--_portico-space-1) var(--_portico-space-3);
    }

    .button,
    .link,
    .chip-remove,
    .option {
      cursor: pointer;
    }

    .button {
      color: var(--_portico-text);
    }

    .button.primary {
      background: var(--_portico-accent);
      border-color: var(--_portico-accent);
      color: var(--_portico-accent-contrast);
      padding: var(--_portico-space-2) var(--_portico-space-4);
    }

    .button[aria-disabled='true'],
    .button.disabled {
      opacity: 0.6;
      cursor: not-allowed;
    }

    .link,
    .chip-remove {
      background: none;
      border: 0;
      padding: 0 var(--_portico-space-1);
    }

    .link {
      font-weight: 600;
      color: var(--_portico-accent);
      padding: 0;
      text-align: start;
      text-decoration: underline;
    }

    .actions {
      gap: var(--_portico-space-3);
    }

    .panel {
      background: var(--_portico-panel);
      padding: var(--_portico-space-3);
    }

    .panel-title,
    .done-title,
    .send-error p {
      font-size: 1em;
      margin: 0 0 var(--_portico-space-2);
    }

    .duplicate {
      justify-content: space-between;
    }

    .duplicate-text {
      display: grid;
    }

    .ref {
      font-variant-numeric: tabular-nums;
    }

    .tag {
      font-style: italic;
    }

    .article-body {
      border-inline-start: 3px solid var(--_portico-accent);
      padding-inline-start: var(--_portico-space-3);
      margin-block-start: var(--_portico-space-2);
      white-space: pre-line;
    }

    .ok {
      color: var(--_portico-accent);
    }

    .combo {
      position: relative;
    }

    .listbox {
      position: absolute;
      z-index: 1;
      inset-inline: 0;
      margin: var(--_portico-space-1) 0 0;
      padding: var(--_portico-space-1) 0;
      max-block-size: 16rem;
      overflow-y: auto;
    }

    .option {
      padding: var(--_portico-space-2) var(--_portico-space-3);
    }

    .option[aria-selected='true'],
    .chip,
    .file,
    .dropzone.dragging {
      background: var(--_portico-surface-alt);
    }

    .chip,
    .file {
      gap: var(--_portico-space-2);
      border-radius: var(--_portico-radius);
      padding: var(--_portico-space-1) var(--_portico-space-2);
    }

    .file-name {
      overflow-wrap: anywhere;
    }

    .dropzone {
      border: 2px dashed var(--_portico-border);
      border-radius: var(--_portico-radius);
      padding: var(--_portico-space-3);
    }

    .dropzone.dragging {
      border-color: var(--_portico-accent);
    }

    .file-input:focus-visible + .button {
      outline: var(--_portico-focus-ring);
      outline-offset: 2px;
    }

    .send-error {
      border: 1px solid var(--_portico-danger);
      border-radius: var(--_portico-radius);
      padding: var(--_portico-space-3);
    }

    .done-title {
      font-size: 1.1em;
    }
  `,
];

export default ticketFormStyles;
