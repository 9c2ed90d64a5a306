/**
 * Opaque keyset cursors: base64url of a small JSON array. Clients must treat them as
 * opaque; the server validates their shape and answers 422 when one is malformed.
 */

/** Encodes a keyset (the sort key values of the last item of a page, plus a tag). */
export function encodeCursor(tag: string, keys: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify([tag, ...keys]));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes a cursor made by `encodeCursor` with the same tag and key types
 * (`'s'` string, `'n'` number); undefined when it is not one.
 */
export function decodeCursor(cursor: string, tag: string, types: string): (string | number)[] | undefined {
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (!Array.isArray(parsed) || parsed[0] !== tag || parsed.length !== types.length + 1) return undefined;
    const keys = parsed.slice(1) as unknown[];
    for (let i = 0; i < types.length; i++) {
      const want = types[i] === 'n' ? 'number' : 'string';
      if (typeof keys[i] !== want) return undefined;
    }
    return keys as (string | number)[];
  } catch {
    return undefined;
  }
}
