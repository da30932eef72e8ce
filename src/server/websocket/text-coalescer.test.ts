import { describe, expect, it, vi } from 'vitest';
import type {
  WireResponse,
  WireResponseHeader,
} from '../../core/websocket-server-message.js';
import { TextCoalescer } from './text-coalescer.js';

const header: WireResponseHeader = {
  message_type: 'response',
  request_id: 'request-1',
  object_id: 'job-1',
  service: 'bot',
  model: 'double-chat',
  gen_type: 'chat',
  service_info: { user_id: '7', chat_id: null, message_id: null },
  settings: { premium: false },
};
const text = (delta: string): WireResponse => ({ ...header, gen_status: 'text', delta });
const reasoning = (delta: string): WireResponse => ({
  ...header,
  gen_status: 'text',
  delta,
  reasoning: true,
});
const generating: WireResponse = {
  ...header,
  gen_status: 'generating',
  attempt: 1,
  instance: 'local',
};

/** What was sent, text as its delta (reasoning marked), other responses as their status. */
function recorder(accept = () => true) {
  const sent: string[] = [];
  const send = (message: WireResponse) => {
    if (!accept()) return false;
    sent.push(
      message.gen_status !== 'text'
        ? message.gen_status
        : `${message.reasoning ? 'reasoning:' : ''}${message.delta}`,
    );
    return true;
  };
  return { sent, send };
}

describe('TextCoalescer', () => {
  it('joins the deltas of one turn and sends them when the turn ends', async () => {
    const { sent, send } = recorder();
    const coalescer = new TextCoalescer(send);
    expect(coalescer.push(text('Hel'))).toBe(true);
    expect(coalescer.push(text('lo'))).toBe(true);
    expect(sent).toEqual([]);
    await vi.waitFor(() => expect(sent).toEqual(['Hello']), { timeout: 1000 });
    coalescer.push(text(' there'));
    await vi.waitFor(() => expect(sent).toEqual(['Hello', ' there']), { timeout: 1000 });
  });

  it('sends held text before any other response, and never joins reasoning with the answer', () => {
    const { sent, send } = recorder();
    const coalescer = new TextCoalescer(send);
    coalescer.push(generating);
    coalescer.push(reasoning('Hm'));
    coalescer.push(reasoning('m.'));
    coalescer.push(text('Hi'));
    coalescer.push(text('!'));
    coalescer.push({ ...header, gen_status: 'canceled' });
    expect(sent).toEqual(['generating', 'reasoning:Hmm.', 'Hi!', 'canceled']);
  });

  it('drops held text when discarded, and says when the connection takes no more', async () => {
    const { sent, send } = recorder();
    const discarded = new TextCoalescer(send);
    discarded.push(text('lost'));
    discarded.discard();
    // Immediates run in order: this one runs after the turn-end flush would have.
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([]);

    let open = true;
    const closing = recorder(() => open);
    const coalescer = new TextCoalescer(closing.send);
    coalescer.push(text('a'));
    open = false;
    expect(coalescer.push(generating)).toBe(false);
    open = true;
    expect(coalescer.push(text('b'))).toBe(false);
    expect(coalescer.flush()).toBe(false);
    expect(closing.sent).toEqual([]);
  });
});
