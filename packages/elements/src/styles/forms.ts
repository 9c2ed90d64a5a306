import { css } from 'lit';

/**
 * Generic form styles for elements with forms and dialogs: buttons (`.button`, `.primary`,
 * `.danger`, `.quiet`), inputs (`.input`), fields (`.field`, `.field-error`, `.hint`), badges
 * (`.badge`). Use after `tokens`;
 * they read only the `--_portico-*` aliases. (`controls.ts` holds the ticket widgets' rules.)
 */
export const forms = css`
  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }

  .button {
    appearance: none;
    display: inline-flex;
    align-items: center;
    gap: var(--_portico-space-1);
    padding: var(--_portico-space-1) var(--_portico-space-3);
    border: 1px solid var(--_portico-accent);
    border-radius: var(--_portico-radius);
    background: var(--_portico-surface);
    color: var(--_portico-accent);
    font-weight: 600;
    white-space: nowrap;
    cursor: pointer;
    transition:
      background-color var(--_portico-duration),
      color var(--_portico-duration);
  }

  .button:hover,
  .button.primary {
    background: var(--_portico-accent);
    color: var(--_portico-accent-contrast);
  }

  .button.primary:hover {
    filter: brightness(1.1);
  }

  .button.danger {
    border-color: var(--_portico-danger);
    color: var(--_portico-danger);
  }

  .button.danger:hover,
  .button.danger.primary {
    background: var(--_portico-danger);
    color: var(--_portico-surface);
  }

  .button.quiet {
    border-color: transparent;
    background: none;
    color: var(--_portico-accent);
  }

  .button.quiet:hover {
    background: var(--_portico-surface-alt);
  }

  .button:disabled,
  .button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }

  .input {
    min-inline-size: 0;
    padding: var(--_portico-space-1) var(--_portico-space-2);
    border: 1px solid var(--_portico-field-border);
    border-radius: var(--_portico-radius);
    background: var(--_portico-surface);
  }

  .input[aria-invalid='true'] {
    border-color: var(--_portico-danger);
  }

  .field {
    display: grid;
    gap: var(--_portico-space-1);
    align-content: start;
  }

  .field > label {
    font-weight: 600;
  }

  .field-error {
    margin: 0;
    color: var(--_portico-danger);
    font-size: 0.9em;
  }

  .badge {
    display: inline-block;
    padding: 0.0625rem var(--_portico-space-2);
    border-radius: 999px;
    font-size: 0.8em;
    font-weight: 600;
    background: light-dark(#eceef1, #2b2f36);
    color: light-dark(#414852, #d3d7de);
  }

  .hint {
    margin: 0;
    color: var(--_portico-muted);
  }
`;
