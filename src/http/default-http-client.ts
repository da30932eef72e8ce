import { createHttpClient, type HttpClient } from './http-client.js';

let shared: HttpClient | undefined;

/** The process-wide client with default settings, created on first use. */
export function defaultHttpClient(): HttpClient {
  shared ??= createHttpClient();
  return shared;
}
