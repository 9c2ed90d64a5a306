import { css } from 'lit';

/**
 * The loading, empty and error views of internal/states.ts: centred title and hint, the
 * error's title in the danger colour. Use after `tokens` (it reads the `--_portico-*` aliases).
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
`;
