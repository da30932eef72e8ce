/**
 * The websocket address for an endpoint: `http(s)` becomes `ws(s)`, and a bare server
 * address gets the API's path `/v1/ws`. A path given (Devoid's `/ws/{service}`) is kept.
 */
export function websocketUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1/ws';
  return url.toString();
}
