/** Fetch doubles for the HttpClient tests: real `Request`s and `Response`s, no network. */
import { HttpClient } from '@portico/core';

/** A fetch that records a copy of each request (so a test can read its body) and answers through `handler`. */
export function fakeFetch(handler: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request.clone());
    if (request.signal.aborted) throw request.signal.reason;
    return handler(request);
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** An HttpClient on a `fakeFetch` answering `answer` (by default an empty page), and the requests it sent. */
export function recorder(answer: (request: Request) => Response = () => Response.json({ items: [], nextCursor: null })) {
  const { fetch, requests } = fakeFetch(answer);
  return { client: new HttpClient({ apiBase: 'http://api.test/api', token: 'T', fetch }), requests };
}
