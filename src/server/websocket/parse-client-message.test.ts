import { describe, expect, it } from 'vitest';
import { parseClientMessage } from './parse-client-message.js';

const request = {
  message_type: 'request',
  executor: 'kandinsky',
  gen_type: 'text2img',
  service_info: { user_id: 123, chat_id: 123, message_id: null },
  payload: { prompt: 'cat girl' },
};

describe('parseClientMessage', () => {
  it("takes Devoid's request: numeric ids, 1/0 flags, defaults for what is left out", () => {
    const parsed = parseClientMessage(
      JSON.stringify({
        ...request,
        settings: { premium: 1, moderate: 0, sync_with_s3: 1 },
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      message: {
        ...request,
        service_info: { user_id: '123', chat_id: '123', message_id: null },
        settings: {
          premium: true,
          moderate: false,
          sync_with_s3: true,
          response_format: 'url',
        },
      },
    });
  });

  it('names the problem: JSON, message_type, a field', () => {
    const errorOf = (text: string) => {
      const parsed = parseClientMessage(text);
      if (parsed.ok) throw new Error('parsed');
      return { message: parsed.error.message, param: parsed.error.param };
    };
    expect(errorOf('{"message_type":').message).toMatch(/^Malformed JSON: /);
    expect(errorOf('[1]')).toMatchObject({ param: 'message_type' });
    expect(errorOf('{"message_type":"toString"}').message).toContain(
      'unknown "toString"',
    );
    expect(errorOf(JSON.stringify({ ...request, executor: undefined }))).toEqual({
      message: 'Invalid request: executor: give either executor or model',
      param: 'executor',
    });
    expect(
      errorOf(JSON.stringify({ ...request, gen_type: 'txt2img' })).message,
    ).toContain('gen_type');
    expect(errorOf(JSON.stringify({ message_type: 'cancel' }))).toMatchObject({
      param: 'object_id',
    });
  });

  it('keeps the request id of a bad message, for the reply', () => {
    const parsed = parseClientMessage(
      JSON.stringify({ ...request, request_id: 7, payload: 1 }),
    );
    expect(parsed).toMatchObject({ ok: false, requestId: '7' });
  });
});
