import { css } from 'lit';
import { controls } from '../styles/controls.ts';
import { tokens } from '../styles/tokens.ts';

/** The styles of `<portico-ticket-detail>`. */
const ticketDetailStyles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      container-type: inline-size;
    }

    .base {
      display: grid;
      gap: var(--_portico-space-4);
      padding: var(--_portico-space-4);
      background: var(--_portico-surface);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
    }

    .empty,
    .error {
      color: var(--_portico-muted);
      text-align: center;
    }

    .error-title,
    .form-error,
    .reply-error {
      color: var(--_portico-danger);
    }

    p {
      margin: 0;
    }

    button,
    input,
    textarea {
      font: inherit;
    }

    .header,
    .panel-form,
    .satisfaction,
    .more,
    .reply {
      display: grid;
      gap: var(--_portico-space-2);
    }

    .ref,
    .hint,
    .comment-meta,
    dt {
      color: var(--_portico-muted);
    }

    .subject {
      margin: 0;
      font-size: 1.25em;
      line-height: 1.3;
      overflow-wrap: anywhere;
    }

    .badges,
    .actions,
    .row,
    .comment-meta,
    .reply-error {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_portico-space-2);
    }

    .escalated {
      color: var(--_portico-danger);
    }

    .merged {
      margin: 0;
      padding: var(--_portico-space-2);
      border-inline-start: 3px solid var(--_portico-muted);
      font-weight: 600;
    }

    .facts {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
      gap: var(--_portico-space-2) var(--_portico-space-4);
      margin: 0;
    }

    dd {
      margin: 0;
      display: flex;
      align-items: center;
      gap: var(--_portico-space-1);
    }

    .attachments {
      list-style: none;
      margin: var(--_portico-space-2) 0 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: var(--_portico-space-2);
    }

    .button.danger {
      border-color: var(--_portico-danger);
      color: var(--_portico-danger);
    }

    .button.danger:hover {
      background: var(--_portico-danger);
      color: var(--_portico-accent-contrast);
    }

    .panel-form,
    .satisfaction {
      padding: var(--_portico-space-3);
      background: var(--_portico-surface-alt);
      border-radius: var(--_portico-radius);
    }

    fieldset {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_portico-space-2) var(--_portico-space-4);
      margin: 0;
      padding: 0;
      border: 0;
    }

    legend {
      padding: 0;
      margin-block-end: var(--_portico-space-1);
      font-weight: 600;
    }

    .field {
      display: grid;
      gap: var(--_portico-space-1);
    }

    .option {
      display: inline-flex;
      align-items: center;
      gap: var(--_portico-space-1);
    }

    textarea {
      inline-size: 100%;
      padding: var(--_portico-space-2);
      border: 1px solid var(--_portico-field-border);
      border-radius: var(--_portico-radius);
      background: var(--_portico-surface);
      color: var(--_portico-text);
      resize: vertical;
    }

    textarea[aria-invalid='true'] {
      border-color: var(--_portico-danger);
    }

    .form-error:empty,
    .reply-error:empty {
      display: none;
    }

    .thread,
    .conversation,
    .skeleton {
      display: grid;
      gap: var(--_portico-space-3);
    }

    .conversation {
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .comment {
      display: grid;
      gap: var(--_portico-space-1);
      padding: var(--_portico-space-3);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
    }

    .comment[data-author-kind='agent'] {
      background: var(--portico-ticket-detail-agent-background, var(--_portico-surface-alt));
    }

    .comment[part~='comment-pending'] {
      opacity: 0.7;
      border-style: dashed;
    }

    .author {
      color: var(--_portico-text);
      font-weight: 600;
    }

    .body {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }

    .more {
      justify-items: center;
    }

    .reply {
      justify-items: start;
    }

    .reply .field {
      justify-self: stretch;
    }

    .skeleton span {
      display: block;
      block-size: 1em;
      border-radius: var(--_portico-radius);
      background: var(--_portico-surface-alt);
    }

    .skeleton span:first-child {
      inline-size: 40%;
    }

    .skeleton span:nth-child(2) {
      inline-size: 80%;
    }

    @container (max-width: 480px) {
      .base {
        padding: var(--_portico-space-3);
      }

      .facts {
        grid-template-columns: 1fr 1fr;
      }
    }
  `,
];

export default ticketDetailStyles;
