/**
 * The REST contract as OpenAPI 3.1, generated from the same zod schemas the server validates
 * with. `npm run openapi` writes it to docs/openapi.json; a test fails when that file is stale,
 * and another when the server registers a route this table does not describe.
 *
 * Adding a route: append an `Operation` to `OPERATIONS` (in path order), then `npm run openapi`.
 * Not exported from the package root, so the browser bundle never carries it: import
 * `@portico/core/openapi`.
 */
import * as z from 'zod/mini';
import { ActivitySchema, CommentSchema, ContactSchema, TicketSchema } from './domain.ts';
import { ERROR_CODES } from './errors.ts';
import { CommentCreateSchema, PageQuerySchema, TicketCreateSchema, TicketQuerySchema } from './inputs.ts';
import { ProblemSchema } from './problem.ts';
import { SessionSchema } from './session.ts';

type Schema = z.core.$ZodType;
type JsonSchema = Record<string, unknown>;

/** One response of an operation. */
interface ResponseSpec {
  description: string;
  /** Name of a component schema (`Ticket`), `Page<Name>` for a cursor page, or none (no body). */
  body?: string;
  headers?: readonly string[];
}

/** One operation of the REST contract. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, `{param}` style, e.g. `/v1/tickets/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** `contact`: a contact's Portico token; `service`: the vendor's API key. */
  auth: 'contact' | 'service';
  /** Query string schema (an object schema); each property becomes a parameter. */
  query?: Schema;
  /** JSON body schema name (a component, input side). */
  body?: string;
  /** Takes `Idempotency-Key` (creates). */
  idempotent?: boolean;
  /** Answers `ETag` and honours `If-None-Match`. */
  etag?: boolean;
  responses: Readonly<Record<number, ResponseSpec>>;
}

/** Component schemas: responses use the output side, request bodies the input side. */
const OUTPUT_SCHEMAS: Readonly<Record<string, Schema>> = {
  Session: SessionSchema,
  Ticket: TicketSchema,
  Comment: CommentSchema,
  Contact: ContactSchema,
  Activity: ActivitySchema,
  Problem: ProblemSchema,
};
const INPUT_SCHEMAS: Readonly<Record<string, Schema>> = {
  TicketCreate: TicketCreateSchema,
  CommentCreate: CommentCreateSchema,
};

const PROBLEMS = {
  400: { description: 'Malformed JSON (`bad_request`).', body: 'Problem' },
  401: { description: 'No, bad, expired or revoked token (`unauthorized`).', body: 'Problem', headers: ['WWW-Authenticate'] },
  403: { description: 'The role may never do this (`forbidden`).', body: 'Problem' },
  404: { description: 'No such resource, or the caller may not see it (`not_found`; never 403).', body: 'Problem' },
  409: { description: 'A request with the same Idempotency-Key is still running (`conflict`).', body: 'Problem' },
  413: { description: 'Body over the size limit (`payload_too_large`).', body: 'Problem' },
  415: { description: 'Body is not JSON (`unsupported_media_type`).', body: 'Problem' },
  422: {
    description: 'Invalid body or query (`validation_failed`, with `fieldErrors`), or an Idempotency-Key reused with another body (`idempotency_conflict`).',
    body: 'Problem',
  },
} as const satisfies Record<number, ResponseSpec>;

/** The contract, in path order. */
export const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/v1/me',
    operationId: 'getSession',
    summary: 'The session: contact, account, reachable accounts, permissions',
    tag: 'Session',
    auth: 'contact',
    responses: { 200: { description: 'Who the token belongs to and what they may do.', body: 'Session' }, 401: PROBLEMS[401] },
  },
  {
    method: 'get',
    path: '/v1/tickets',
    operationId: 'listTickets',
    summary: 'List tickets the caller may see',
    description:
      'A view (`mine`, `account`, `following`, `unsolved`), filters (comma-separated lists), text search, sort and cursor paging. Only tickets the caller may see are ever counted or returned.',
    tag: 'Tickets',
    auth: 'contact',
    query: TicketQuerySchema,
    responses: { 200: { description: 'One page of tickets.', body: 'Page<Ticket>' }, 401: PROBLEMS[401], 422: PROBLEMS[422] },
  },
  {
    method: 'post',
    path: '/v1/tickets',
    operationId: 'createTicket',
    summary: 'Create a ticket',
    description: 'Visibility defaults to the account’s `defaultVisibility`. Retrying with the same Idempotency-Key and body returns the first response.',
    tag: 'Tickets',
    auth: 'contact',
    body: 'TicketCreate',
    idempotent: true,
    responses: {
      201: { description: 'The new ticket.', body: 'Ticket', headers: ['ETag', 'Location'] },
      400: PROBLEMS[400],
      401: PROBLEMS[401],
      403: PROBLEMS[403],
      409: PROBLEMS[409],
      413: PROBLEMS[413],
      415: PROBLEMS[415],
      422: PROBLEMS[422],
    },
  },
  {
    method: 'get',
    path: '/v1/tickets/{id}',
    operationId: 'getTicket',
    summary: 'One ticket',
    tag: 'Tickets',
    auth: 'contact',
    etag: true,
    responses: {
      200: { description: 'The ticket.', body: 'Ticket', headers: ['ETag'] },
      304: { description: 'Not modified since the ETag in If-None-Match.', headers: ['ETag'] },
      401: PROBLEMS[401],
      404: PROBLEMS[404],
    },
  },
  {
    method: 'get',
    path: '/v1/tickets/{id}/comments',
    operationId: 'listComments',
    summary: 'The conversation of a ticket, oldest first',
    tag: 'Tickets',
    auth: 'contact',
    query: PageQuerySchema,
    responses: { 200: { description: 'One page of comments.', body: 'Page<Comment>' }, 401: PROBLEMS[401], 404: PROBLEMS[404], 422: PROBLEMS[422] },
  },
  {
    method: 'post',
    path: '/v1/tickets/{id}/comments',
    operationId: 'addComment',
    summary: 'Reply on a ticket',
    tag: 'Tickets',
    auth: 'contact',
    body: 'CommentCreate',
    idempotent: true,
    responses: {
      201: { description: 'The new comment.', body: 'Comment' },
      400: PROBLEMS[400],
      401: PROBLEMS[401],
      403: PROBLEMS[403],
      404: PROBLEMS[404],
      409: PROBLEMS[409],
      413: PROBLEMS[413],
      415: PROBLEMS[415],
      422: PROBLEMS[422],
    },
  },
];

const HEADERS: Readonly<Record<string, JsonSchema>> = {
  ETag: { description: 'Version of the resource; send it back as If-Match to update.', schema: { type: 'string' } },
  Location: { description: 'URL of the created resource.', schema: { type: 'string' } },
  'WWW-Authenticate': { description: '`Bearer`, per RFC 6750.', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
  'Idempotency-Replayed': { description: '`true` when this is the stored response of an earlier request with the same key.', schema: { type: 'string' } },
};

/** JSON Schema of a zod schema, without the `$schema` line (OpenAPI 3.1 is 2020-12 already). */
function jsonSchema(schema: Schema, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function contentOf(body: string): JsonSchema {
  const page = /^Page<(\w+)>$/.exec(body);
  const schema = page
    ? {
        type: 'object',
        properties: {
          items: { type: 'array', items: { $ref: `#/components/schemas/${page[1]}` } },
          nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page.' },
        },
        required: ['items', 'nextCursor'],
      }
    : { $ref: `#/components/schemas/${body}` };
  return { [body === 'Problem' ? 'application/problem+json' : 'application/json']: { schema } };
}

function parametersOf(op: Operation): JsonSchema[] {
  const params: JsonSchema[] = [];
  for (const name of op.path.matchAll(/\{(\w+)\}/g)) params.push({ name: name[1], in: 'path', required: true, schema: { type: 'string' } });
  if (op.query) {
    const query = jsonSchema(op.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const param: JsonSchema = { name, in: 'query', required: query.required?.includes(name) ?? false, schema };
      // Multi-valued filters are one comma-separated value: ?status=open,pending
      if (schema.type === 'array') Object.assign(param, { style: 'form', explode: false });
      params.push(param);
    }
  }
  if (op.idempotent) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Makes a retried create safe: the same key and body return the first response for 24 hours; the same key with another body answers 422.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  if (op.etag) params.push({ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } });
  return params;
}

/** The OpenAPI 3.1 document of the REST contract. */
export function openApiDocument(version = '1.0.0'): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, JsonSchema> = {};
    for (const [status, spec] of Object.entries(op.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.headers ? { headers: Object.fromEntries(spec.headers.map((h) => [h, HEADERS[h]])) } : {}),
        ...(spec.body ? { content: contentOf(spec.body) } : {}),
      };
    }
    const parameters = parametersOf(op);
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      security: [{ [op.auth === 'contact' ? 'porticoToken' : 'serviceApiKey']: [] }],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: contentOf(op.body) } } : {}),
      responses,
    };
  }
  const schemas: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(OUTPUT_SCHEMAS)) schemas[name] = jsonSchema(schema, 'output');
  for (const [name, schema] of Object.entries(INPUT_SCHEMAS)) schemas[name] = jsonSchema(schema, 'input');
  (schemas.Problem as { properties: Record<string, JsonSchema> }).properties.code = {
    type: 'string',
    description: 'Stable machine-readable code.',
    enum: [...ERROR_CODES.filter((c) => c !== 'network_error' && c !== 'timeout')],
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Portico REST API',
      version,
      description:
        'The contract between Portico’s elements (or any client) and a Portico backend. Generated from the zod schemas of @portico/core by `npm run openapi`; do not edit by hand. Errors are RFC 9457 problem+json; lists are cursor-paged.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/api', description: 'Where the vendor mounts the API (the reference server serves /v1 at its root).' }],
    tags: [
      { name: 'Session', description: 'Who is signed in.' },
      { name: 'Tickets', description: 'The account’s tickets and their conversations.' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        porticoToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A short-lived Portico token minted by the vendor’s backend (docs/auth.md).',
        },
        serviceApiKey: { type: 'http', scheme: 'bearer', description: 'The vendor’s service API key (`/v1/service/...` only).' },
      },
    },
  };
}
