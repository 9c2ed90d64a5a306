import { css } from 'lit';

/**
 * Rules shared by the ticket widgets: status badges, priority text, SLA states, buttons and
 * form fields. One module, so a page loading several widgets ships them once.
 */
export const controls = css`
  .status {
    padding: 0.125rem var(--_portico-space-2);
    border-radius: 999px;
    font-size: 0.8em;
    font-weight: 600;
    background: light-dark(#eceef1, #2b2f36);
    color: light-dark(#414852, #d3d7de);
  }

  .status[data-status='new'] {
    background: light-dark(#e0ecff, #1c345a);
    color: light-dark(#1d4ed8, #cfe0ff);
  }

  .status[data-status='open'] {
    background: light-dark(#fff1d6, #47330f);
    color: light-dark(#7c4300, #ffe0a3);
  }

  .status[data-status='pending'] {
    background: light-dark(#efe7ff, #372859);
    color: light-dark(#5b21b6, #e4d7ff);
  }

  .status[data-status='solved'] {
    background: light-dark(#dcfce7, #163a24);
    color: light-dark(#166534, #bbf7d0);
  }

  .priority {
    color: var(--_portico-muted);
  }

  .priority[data-priority='high'] {
    color: var(--_portico-text);
    font-weight: 600;
  }

  .priority[data-priority='urgent'] {
    color: var(--_portico-danger);
    font-weight: 700;
  }

  .button {
    appearance: none;
    padding: var(--_portico-space-2) var(--_portico-space-4);
    border: 1px solid var(--_portico-accent);
    border-radius: var(--_portico-radius);
    background: var(--_portico-surface);
    color: var(--_portico-accent);
    font-weight: 600;
    cursor: pointer;
  }

  .button:hover {
    background: var(--_portico-accent);
    color: var(--_portico-accent-contrast);
  }

  .button.small {
    padding: var(--_portico-space-1) var(--_portico-space-3);
  }

  .button.subtle {
    border-color: var(--_portico-border);
    color: var(--_portico-text);
  }

  .button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.7;
  }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: var(--_portico-space-1);
    padding: 0.125rem var(--_portico-space-2);
    border-radius: 999px;
    font-size: 0.8em;
    font-weight: 600;
    background: var(--_portico-surface-alt);
    color: var(--_portico-muted);
  }

  .icon {
    flex: none;
  }

  .sla[data-state='at_risk'] {
    color: light-dark(#7c4300, #ffe0a3);
    font-weight: 600;
  }

  .sla[data-state='breached'] {
    color: var(--_portico-danger);
    font-weight: 700;
  }
`;
