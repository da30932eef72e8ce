import { describe, expect, it } from 'vitest';
import { websocketUrl } from './websocket-url.js';

describe('websocketUrl', () => {
  it('turns a server address into its websocket API address', () => {
    expect(websocketUrl('http://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787/v1/ws');
    expect(websocketUrl('https://relay.example/')).toBe('wss://relay.example/v1/ws');
  });

  it("keeps a path that is given, such as Devoid's /ws/{service}", () => {
    expect(websocketUrl('ws://relay.example/ws/telegram')).toBe(
      'ws://relay.example/ws/telegram',
    );
  });
});
