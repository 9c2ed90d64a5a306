/**
 * Attachments: upload a file (`POST /v1/attachments`, raw body, its type as `Content-Type`,
 * its name as `?name=`), link it when the ticket is created (`attachmentIds`), list and
 * download the files of a ticket the caller may see. Bytes go to a `BlobStore`, metadata to
 * the store. Limits: `MAX_ATTACHMENT_BYTES` per file (413), `ATTACHMENT_TYPES` (415).
 */
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, rulesOf, type Attachment } from '@portico/core';
import type { BlobStore } from '../blobs.ts';
import { ProblemError, notFound, validationFailed } from '../problem.ts';
import { newId } from '../store.ts';
import { readCapped, type PorticoApp, type RouteContext, type RouteKit } from './kit.ts';

export interface AttachmentRouteOptions {
  blobs: BlobStore;
  /** Largest file in bytes (default `MAX_ATTACHMENT_BYTES`, 10 MiB). */
  maxBytes?: number | undefined;
}

const ALLOWED: ReadonlySet<string> = new Set(ATTACHMENT_TYPES);
const NAME_MAX = 255;

export function registerAttachmentRoutes(app: PorticoApp, kit: RouteKit, options: AttachmentRouteOptions): void {
  const { blobs } = options;
  const maxBytes = options.maxBytes ?? MAX_ATTACHMENT_BYTES;

  app.post('/v1/attachments', async (c) => {
    const { actor, contact, account } = c.get('caller');
    const rules = rulesOf(actor);
    if (!rules.create && !rules.comment) throw new ProblemError(403, 'forbidden', 'Your role cannot attach files.');
    const upload = await readUpload(c, maxBytes);
    return kit.idempotent(c, contact.id, upload.fingerprint, (idempotency) =>
      saveUpload(c, blobs, upload, (record) =>
        kit.store.createAttachment({ ...record, createdAt: kit.now().toISOString(), accountId: account.id, uploaderId: contact.id }, { idempotency }),
      ),
    );
  });

  app.get('/v1/tickets/:id/attachments', async (c) => {
    const ticket = await kit.visibleTicket(c.get('caller'), c.req.param('id'));
    return c.json({ items: await kit.store.listAttachments(ticket.id) }, 200, { 'Cache-Control': 'private, no-store' });
  });

  app.get('/v1/tickets/:id/attachments/:attachmentId', async (c) => {
    const ticket = await kit.visibleTicket(c.get('caller'), c.req.param('id'));
    const attachment = await kit.store.getAttachment(c.req.param('attachmentId'));
    if (!attachment || attachment.ticketId !== ticket.id) throw notFound('No such attachment, or you may not see it.');
    const bytes = await blobs.get(attachment.id);
    if (!bytes) throw notFound('The content of this attachment is missing.');
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: {
        'Content-Type': attachment.contentType,
        'Content-Length': String(bytes.byteLength),
        // Always a download, never rendered on the API's origin.
        'Content-Disposition': contentDisposition(attachment.name),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
      },
    });
  });
}

/** A checked upload request: its name, type and bytes, and what identifies it for `Idempotency-Key`. */
export interface Upload {
  name: string;
  type: string;
  bytes: Uint8Array;
  fingerprint: { name: string; type: string; sha256: string };
}

/**
 * Reads an upload (raw body, its type as `Content-Type`, its name as `?name=`): 415 for a type
 * not in `ATTACHMENT_TYPES`, 413 past `maxBytes` (without reading the rest), 422 without a
 * usable name or with no bytes.
 */
export async function readUpload(c: RouteContext, maxBytes: number): Promise<Upload> {
  const tooLarge = () => new ProblemError(413, 'payload_too_large', `A file may be at most ${formatMiB(maxBytes)}.`);
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!ALLOWED.has(type)) {
    throw new ProblemError(
      415,
      'unsupported_media_type',
      `Files of type ${type || '(none)'} cannot be attached. Allowed: images (PNG, JPEG, GIF, WebP), PDF, text, CSV, JSON, ZIP, Word and Excel documents.`,
    );
  }
  const name = cleanName(c.req.query('name') ?? '');
  if (!name) throw validationFailed({ name: [`Give the file a name (at most ${NAME_MAX} characters).`] }, 'The query is invalid.');
  const declared = Number(c.req.header('Content-Length') ?? 0);
  if (declared > maxBytes) throw tooLarge();
  const bytes = await readCapped(c.req.raw, maxBytes);
  if (!bytes) throw tooLarge();
  if (bytes.byteLength === 0) throw validationFailed({ file: ['The file is empty.'] });
  return { name, type, bytes, fingerprint: { name, type, sha256: await sha256Hex(bytes) } };
}

/** Stores an upload's bytes, then its metadata through `save`, answering 201; the bytes go again if `save` fails. */
export async function saveUpload(
  c: RouteContext,
  blobs: BlobStore,
  upload: Upload,
  save: (record: Pick<Attachment, 'id' | 'name' | 'contentType' | 'size' | 'ticketId'>) => Promise<Attachment>,
): Promise<Response> {
  const id = newId('att');
  await blobs.put(id, upload.bytes);
  try {
    const attachment = await save({ id, name: upload.name, contentType: upload.type, size: upload.bytes.byteLength, ticketId: null });
    return c.json(attachment, 201);
  } catch (error) {
    await blobs.delete(id);
    throw error;
  }
}

/** A file name without any path, control characters or surrounding space; empty when unusable. */
export function cleanName(raw: string): string {
  const base = raw
    // eslint-disable-next-line no-control-regex -- control characters are what it removes
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .split(/[\\/]/)
    .pop()!
    .trim();
  return base.length > NAME_MAX || base === '.' || base === '..' ? '' : base;
}

/** RFC 6266 / 8187: an ASCII fallback plus the exact UTF-8 name. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const formatMiB = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
