import { css } from 'lit';
import { tokens } from '../styles/tokens.ts';

export default [
  tokens,
  css`
    :host {
      display: block;
      --_portico-gap: var(--portico-ticket-form-gap, var(--_portico-space-4));
      --_portico-panel: var(--portico-ticket-form-panel-background, var(--_portico-surface-alt));
    }

    .base {
      background: var(--_portico-surface);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
      padding: var(--_portico-space-4);
    }

    .form {
      display: grid;
      gap: var(--_portico-gap);
    }

    .row {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
      gap: var(--_portico-gap);
    }

    .field {
      display: grid;
      gap: var(--_portico-space-1);
      margin: 0;
      padding: 0;
      border: 0;
      min-inline-size: 0;
    }

    label,
    legend,
    .label {
      font-weight: 600;
      padding: 0;
    }

    input[type='text'],
    textarea,
    select {
      font: inherit;
      color: inherit;
      background: var(--_portico-surface);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
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
    .meta {
      color: var(--_portico-muted);
      margin: 0;
      font-size: 0.9em;
      font-weight: normal;
    }

    .field-error,
    .send-error {
      color: var(--_portico-danger);
      margin: 0;
    }

    .field-error:empty {
      display: none;
    }

    .field-error p {
      margin: 0;
    }

    .radio {
      display: flex;
      gap: var(--_portico-space-2);
      align-items: baseline;
      font-weight: normal;
    }

    .radio-label {
      font-weight: 600;
    }

    .button {
      font: inherit;
      display: inline-flex;
      align-items: center;
      gap: var(--_portico-space-1);
      padding: var(--_portico-space-1) var(--_portico-space-3);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
      background: var(--_portico-surface);
      color: var(--_portico-text);
      cursor: pointer;
      font-weight: normal;
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

    .link {
      font: inherit;
      font-weight: 600;
      color: var(--_portico-accent);
      background: none;
      border: 0;
      padding: 0;
      cursor: pointer;
      text-align: start;
      text-decoration: underline;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_portico-space-3);
    }

    .draft-status {
      color: var(--_portico-muted);
      font-size: 0.9em;
    }

    .panel {
      background: var(--_portico-panel);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
      padding: var(--_portico-space-3);
    }

    .panel-title {
      font-size: 1em;
      margin: 0 0 var(--_portico-space-2);
    }

    .panel-list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: var(--_portico-space-2);
    }

    .duplicate {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      align-items: center;
      gap: var(--_portico-space-2);
    }

    .duplicate-text {
      display: grid;
    }

    .ref {
      color: var(--_portico-muted);
      font-variant-numeric: tabular-nums;
    }

    .tag {
      color: var(--_portico-muted);
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
      list-style: none;
      background: var(--_portico-surface);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
      max-block-size: 16rem;
      overflow-y: auto;
    }

    .listbox:empty {
      display: none;
    }

    .option {
      padding: var(--_portico-space-2) var(--_portico-space-3);
      cursor: pointer;
    }

    .option[aria-selected='true'] {
      background: var(--_portico-surface-alt);
    }

    .option-email {
      color: var(--_portico-muted);
    }

    .chips,
    .files {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: var(--_portico-space-2);
    }

    .files {
      display: grid;
    }

    .chip,
    .file {
      display: inline-flex;
      align-items: center;
      gap: var(--_portico-space-2);
      background: var(--_portico-surface-alt);
      border-radius: var(--_portico-radius);
      padding: var(--_portico-space-1) var(--_portico-space-2);
    }

    .chip-remove {
      font: inherit;
      background: none;
      border: 0;
      cursor: pointer;
      color: inherit;
      padding: 0 var(--_portico-space-1);
    }

    .file-name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }

    .dropzone {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_portico-space-2);
      border: 2px dashed var(--_portico-border);
      border-radius: var(--_portico-radius);
      padding: var(--_portico-space-3);
    }

    .dropzone.dragging {
      border-color: var(--_portico-accent);
      background: var(--_portico-surface-alt);
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

    .send-error p {
      margin: 0 0 var(--_portico-space-2);
    }

    .error-title,
    .done-title {
      font-weight: 600;
    }

    .done-title {
      margin: 0 0 var(--_portico-space-2);
      font-size: 1.1em;
    }

    .notice {
      margin: 0;
      color: var(--_portico-muted);
    }
  `,
];
