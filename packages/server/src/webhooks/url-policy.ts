/**
 * Which webhook URLs Portico may call. A webhook makes the server send requests to a URL the
 * vendor chose, so without a check anyone holding a service key could make it probe the
 * server's own network (SSRF). Private, loopback, link-local and other non-public addresses
 * are refused unless the operator allows them (`--webhook-allow-private`, for a local demo).
 * The route checks every address a hostname resolves to when the endpoint is saved; the Node
 * sender checks again at each connection (see send.ts), so a name that later resolves
 * elsewhere is refused too. Node-only in practice (ipaddr.js is CommonJS; the browser app
 * gets the check injected, see `AppWebhookOptions.checkUrl`).
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Resolves a hostname to all its addresses (Node: `dns.lookup(host, { all: true })`). */
export type ResolveHost = (hostname: string) => Promise<string[]>;

/** How webhook URLs are checked. */
export interface WebhookUrlPolicy {
  /** Allow private, loopback and link-local addresses (a local demo or test; never in production). */
  allowPrivate: boolean;
  /** Resolves hostnames; without it only IP literals and `localhost` names are checked here. */
  resolve?: ResolveHost | undefined;
}

/** Whether an IP address is a public unicast address (not private, loopback, link-local, multicast, reserved…). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) into the IPv4 it carries.
  return ipaddr.process(address).range() === 'unicast';
}

/** The URL's host without IPv6 brackets. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Why a webhook URL is refused, or undefined when it may be used. Expects a URL that passed
 * `WebhookUrlSchema` (absolute, http/https, no credentials).
 */
export async function webhookUrlProblem(value: string, policy: WebhookUrlPolicy): Promise<string | undefined> {
  if (policy.allowPrivate) return undefined;
  const host = hostOf(new URL(value)).toLowerCase();
  const refused = 'This URL points to a private, loopback or link-local address; webhooks go to public addresses only.';
  if (ipaddr.isValid(host)) return isPublicAddress(host) ? undefined : refused;
  if (host === 'localhost' || host.endsWith('.localhost')) return refused;
  if (!policy.resolve) return undefined;
  let addresses: string[];
  try {
    addresses = await policy.resolve(host);
  } catch {
    return `The host ${host} could not be resolved.`;
  }
  if (addresses.length === 0) return `The host ${host} could not be resolved.`;
  return addresses.every(isPublicAddress) ? undefined : refused;
}

/** The URL check of a Node host: every address the hostname resolves to (`dns.lookup`) must be public. */
export function nodeWebhookUrlCheck(allowPrivate = false): (url: string) => Promise<string | undefined> {
  const resolve: ResolveHost = async (host) => (await lookup(host, { all: true })).map((a) => a.address);
  return (url) => webhookUrlProblem(url, { allowPrivate, resolve });
}
