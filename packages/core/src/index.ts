export * from './domain.ts';
export * from './inputs.ts';
export * from './policy.ts';
export * from './session.ts';
export * from './errors.ts';
export * from './sla.ts';
export * from './problem.ts';
export type * from './client.ts';
export { HttpClient, tokenExpiry, type HttpClientOptions, type TokenProvider } from './http-client.ts';
