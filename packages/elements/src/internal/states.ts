/**
 * The loading and error views every data element shows (the empty view is in empty-view.ts),
 * and `dataView()`, which picks the view of a data task's state, so they look and read the
 * same everywhere. Style them with `stateStyles` (styles/states.ts). Each view carries the
 * part name users of the element already know: `loading`, `empty`, `error`.
 */
import { TaskStatus, type Task } from '@lit/task';
import type { PorticoError } from '@portico/core';
import { html, type TemplateResult } from 'lit';
import type { DataController } from './data-controller.ts';
import { isAbortError, toPorticoError } from './errors.ts';

/**
 * Placeholder rows with a screen-reader text, announced through the element's live region
 * (`data-announce`, see DataController); `aria-busy` while data is on its way.
 */
export function loadingView(label: string, rows = 4): TemplateResult {
  return html`<div part="loading" class="state loading" aria-busy="true" data-announce=${label}>
    <span class="visually-hidden">${label}</span>
    ${Array.from({ length: rows }, () => html`<div class="skeleton" aria-hidden="true"><span></span><span></span></div>`)}
  </div>`;
}

/** What failed, the explanation (the server's, or what to do) and a Retry button, as an alert. */
export function errorView(title: string, explanation: string, retryLabel: string, onRetry: () => void): TemplateResult {
  return html`<div part="error" class="state error" role="alert">
    <p class="state-title">${title}</p>
    <p class="hint">${explanation}</p>
    <button type="button" class="button" @click=${onRetry}>${retryLabel}</button>
  </div>`;
}

/** What `dataView()` shows in each state; strings are the standard views of this module. */
export interface DataViews<R> {
  /** What the loaded data looks like. */
  complete: (value: R) => unknown;
  /** The loading announcement, or a view of the element's own. */
  loading: string | (() => unknown);
  /** The error's title (shown with the server's message and Retry), or a view of the element's own. */
  error: string | ((error: PorticoError, retry: () => void) => unknown);
  /** The Retry button's label (used with a string `error`). */
  retry: string;
  /** The message a 401 shows instead of the server's (what to do about it). */
  expired?: string;
  /** The empty view (usually `emptyView()` of internal/empty-view.ts) when the loaded data is empty; `undefined` when it is not. */
  empty?: (value: R) => unknown;
  /** Keep showing the last data while a reload runs (so focus and scroll survive). */
  keepWhileReloading?: boolean;
}

/** The view of a data task's state: loading, the error with Retry, empty, or the data. */
export function dataView<R>(data: DataController, task: Task<readonly unknown[], R>, views: DataViews<R>): unknown {
  const { status, error } = task;
  if (status === TaskStatus.ERROR && !isAbortError(error)) {
    const failure = toPorticoError(error);
    const retry = () => data.refresh();
    if (typeof views.error === 'function') return views.error(failure, retry);
    // A 401 that reaches the element outlived the token refresh: say what to do about it.
    const explanation = failure.status === 401 && views.expired ? views.expired : failure.message;
    return errorView(views.error, explanation, views.retry, retry);
  }
  const reloading = views.keepWhileReloading === true && status === TaskStatus.PENDING && task.value !== undefined;
  if (status !== TaskStatus.COMPLETE && !reloading) return typeof views.loading === 'function' ? views.loading() : loadingView(views.loading);
  const value = task.value as R;
  return views.empty?.(value) ?? views.complete(value);
}
