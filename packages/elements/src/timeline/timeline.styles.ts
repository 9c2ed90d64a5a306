import { css } from 'lit';
import { stateStyles } from '../styles/states.ts';
import { tokens } from '../styles/tokens.ts';

/** The styles of `<portico-timeline>`. */
const timelineStyles = [
  tokens,
  stateStyles,
  css`
    :host {
      display: block;
      --_portico-entry-gap: var(--portico-timeline-entry-gap, var(--_portico-space-2));
    }
    .base {
      background: var(--_portico-surface);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
      padding: var(--_portico-space-3) var(--_portico-space-4);
    }
    button,
    select {
      font: inherit;
      color: inherit;
    }
    .toolbar {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: var(--_portico-space-2);
      margin-block-end: var(--_portico-space-3);
    }
    h2 {
      font-size: 1em;
      margin: 0;
    }
    select {
      background: var(--_portico-surface);
      border: 1px solid var(--_portico-field-border);
      border-radius: var(--_portico-radius);
      padding: var(--_portico-space-1) var(--_portico-space-2);
    }
    .day {
      margin: 0 0 var(--_portico-space-3);
    }
    .day-label {
      margin: 0 0 var(--_portico-space-1);
      font-size: 0.85em;
      font-weight: 600;
      color: var(--_portico-muted);
      text-transform: uppercase;
      letter-spacing: 0.03em;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: var(--_portico-entry-gap);
    }
    .entry {
      display: grid;
      grid-template-columns: auto 1fr auto;
      gap: var(--_portico-space-2);
      align-items: baseline;
    }
    .entry[data-fresh] {
      animation: fresh 1.2s ease-out;
    }
    @keyframes fresh {
      from {
        background: var(--_portico-surface-alt);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .entry[data-fresh] {
        animation: none;
      }
    }
    .dot {
      inline-size: 0.5rem;
      block-size: 0.5rem;
      border-radius: 50%;
      background: var(--_portico-border);
      translate: 0 -0.1em;
    }
    .entry[data-kind='sla'] .dot {
      background: var(--_portico-danger);
    }
    .entry[data-kind='sla'] .text {
      color: var(--_portico-danger);
    }
    time {
      color: var(--_portico-muted);
      font-size: 0.85em;
      white-space: nowrap;
    }
    /* 24 px tall at least: WCAG 2.2 target size (docs/accessibility.md). */
    .ticket-link {
      background: none;
      border: none;
      padding: 0;
      min-block-size: 24px;
      color: var(--_portico-accent);
      text-decoration: underline;
      cursor: pointer;
    }
    .button {
      background: var(--_portico-surface);
      border: 1px solid var(--_portico-border);
      border-radius: var(--_portico-radius);
      padding: var(--_portico-space-1) var(--_portico-space-3);
      cursor: pointer;
    }
    .error {
      color: var(--_portico-danger);
      padding: var(--_portico-space-3) 0;
    }
  `,
];

export default timelineStyles;
