/**
 * Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`
 * under the endpoint's secret (`whsec_` + base64 key). With several secrets (during a rotation's
 * grace period) the header carries one signature per secret, space-separated, and a receiver
 * accepts the message when any of them verifies. Web Crypto only, so it runs anywhere.
 */
const encoder = new TextEncoder();

function keyBytes(secret: string): Uint8Array<ArrayBuffer> {
  const binary = atob(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function base64(bytes: ArrayBuffer): string {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The `webhook-signature` header value of a message, signed with each secret. */
export async function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string): Promise<string> {
  const content = encoder.encode(`${id}.${timestampSeconds}.${body}`);
  const signatures = await Promise.all(
    secrets.map(async (secret) => {
      const key = await crypto.subtle.importKey('raw', keyBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      return `v1,${base64(await crypto.subtle.sign('HMAC', key, content))}`;
    }),
  );
  return signatures.join(' ');
}
