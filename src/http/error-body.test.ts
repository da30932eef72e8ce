import { describe, expect, it } from 'vitest';
import { describeErrorBody } from './error-body.js';

const noHeaders = () => undefined;
const html = (name: string) =>
  name === 'content-type' ? 'text/html; charset=utf-8' : undefined;

describe('describeErrorBody', () => {
  it.each([
    ['{"error":{"message":"bad key","type":"invalid_request_error"}}', 'bad key'],
    ['{"error":"model overloaded"}', 'model overloaded'],
    ['{"message":"You have to be logged in."}', 'You have to be logged in.'],
    [
      '{"title":"Unauthenticated","detail":"You did not pass a token","status":401}',
      'You did not pass a token',
    ],
    [
      '{"error":"HTTPException","detail":"Sampler not found","body":""}',
      'Sampler not found',
    ],
    ['{"error":"Bad Request","message":"prompt is required"}', 'prompt is required'],
    ['"Invalid Authorization"', 'Invalid Authorization'],
    ['{"unexpected":true}', '{"unexpected":true}'],
    ['{"error":{"message":"cut sh', '{"error":{"message":"cut sh'],
    ['  Internal\n  Server   Error \n', 'Internal Server Error'],
    ['', ''],
  ])('finds the message in %j', (text, message) => {
    expect(describeErrorBody(text, noHeaders).message).toBe(message);
  });

  it('keeps the param of an OpenAI error object', () => {
    const text = '{"error":{"message":"messages is required","param":"messages"}}';
    expect(describeErrorBody(text, noHeaders)).toEqual({
      message: 'messages is required',
      param: 'messages',
    });
  });

  it('names the fields of a FastAPI 422 list, the first as param', () => {
    const text = JSON.stringify({
      detail: [
        { loc: ['body', 'messages', 0, 'content'], msg: 'field required' },
        { loc: ['query', 'steps'], msg: 'must be positive' },
        { msg: 'something else' },
      ],
    });
    expect(describeErrorBody(text, noHeaders)).toEqual({
      message:
        'messages[0].content: field required; steps: must be positive; something else',
      param: 'messages[0].content',
    });
  });

  it('names the fields of a Replicate 422, the first as param', () => {
    const text = JSON.stringify({
      detail: '- input.width: Must be less than or equal to 1280\n- input.steps: …\n',
      status: 422,
      title: 'Input validation failed',
      invalid_fields: [
        {
          type: 'less_than_equal',
          field: 'input.width',
          description: 'Must be less than or equal to 1280',
        },
        { type: 'required', field: 'input.steps' },
      ],
    });
    expect(describeErrorBody(text, noHeaders)).toEqual({
      message: 'input.width: Must be less than or equal to 1280; input.steps: invalid',
      param: 'input.width',
    });
  });

  it('reads the detail of a Replicate problem without invalid fields', () => {
    const text = '{"detail":"Invalid version","status":422,"invalid_fields":[]}';
    expect(describeErrorBody(text, noHeaders)).toEqual({ message: 'Invalid version' });
  });

  it('summarises HTML in one line by its title, or says it is an HTML page', () => {
    const titled =
      '<!DOCTYPE html>\n<html><head><title>\n 502 Bad &amp; Gateway </title></head></html>';
    expect(describeErrorBody(titled, noHeaders).message).toBe(
      'HTML page "502 Bad & Gateway"',
    );
    const untitled = '<div>\n<p>Oops</p>\n</div>';
    expect(describeErrorBody(untitled, html).message).toBe('HTML error page');
  });

  it('recognises a Cloudflare challenge by its page or its header', () => {
    const page =
      '<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>';
    expect(describeErrorBody(page, html).message).toBe(
      'blocked by a Cloudflare browser challenge',
    );
    const header = (name: string) => (name === 'cf-mitigated' ? 'challenge' : undefined);
    expect(describeErrorBody('', header).message).toBe(
      'blocked by a Cloudflare browser challenge',
    );
  });

  it('does not take a JSON message mentioning Cloudflare words for a challenge', () => {
    const text = '{"message":"Just a moment... the model is loading"}';
    expect(describeErrorBody(text, noHeaders).message).toBe(
      'Just a moment... the model is loading',
    );
  });

  it('truncates long text', () => {
    const { message } = describeErrorBody('e'.repeat(10_000), noHeaders);
    expect(message).toHaveLength(501);
    expect(message.endsWith('…')).toBe(true);
  });
});
