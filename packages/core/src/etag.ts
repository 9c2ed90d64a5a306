/** ETag of a ticket for `If-Match` / `If-None-Match`: changes with every write (zod-free, browser-cheap). */
export const ticketEtag = (ticket: { version: number }): string => `"v${ticket.version}"`;
