import { css } from 'lit';

/**
 * The loading, empty and error views of internal/states.ts: centred title and hint, the
 * error's title in the danger colour, the loading view's pulsing skeleton rows. Use after `tokens` (it reads the `--_portico-*` aliases).
 */
export const stateStyles = css`
  .state {
    padding: var(--_portico-space-6) var(--_portico-space-4);
    text-align: center;
  }

  .state p {
    margin: 0 0 var(--_portico-space-2);
  }

  .state-title {
    font-weight: 600;
  }

  .error .state-title {
    color: var(--_portico-danger);
  }

  .loading {
    padding: var(--_portico-space-1) 0;
    text-align: start;
  }

  .skeleton {
    display: grid;
    gap: var(--_portico-space-2);
    padding: var(--_portico-space-3) var(--_portico-space-4);
    border-block-end: 1px solid var(--_portico-border);
  }

  .skeleton span {
    display: block;
    block-size: 0.8em;
    inline-size: 55%;
    border-radius: var(--_portico-radius);
    background: var(--_portico-surface-alt);
    animation: portico-pulse 1.2s ease-in-out infinite alternate;
  }

  .skeleton span + span {
    inline-size: 30%;
  }

  @keyframes portico-pulse {
    to {
      opacity: 0.45;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .skeleton span {
      animation: none;
    }
  }
`;
