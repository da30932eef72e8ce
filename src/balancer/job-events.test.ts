import { describe, expect, it } from 'vitest';
import { type JobEvent, JobEvents } from './job-events.js';

async function collect(events: AsyncIterable<JobEvent>): Promise<JobEvent[]> {
  const received: JobEvent[] = [];
  for await (const event of events) received.push(event);
  return received;
}

describe('JobEvents', () => {
  it('gives a late subscriber what it missed, then live events until the end', async () => {
    const events = new JobEvents({ retentionMs: 1000, maxHistory: 100 });
    events.publish('j', { type: 'state', state: 'running' });
    const received = collect(events.subscribe('j', new AbortController().signal));
    events.publish('j', { type: 'text', delta: 'hi' });
    events.publish('j', { type: 'state', state: 'succeeded' });
    events.end('j');
    expect(await received).toEqual([
      { type: 'state', state: 'running' },
      { type: 'text', delta: 'hi' },
      { type: 'state', state: 'succeeded' },
    ]);
    // After the end, a subscriber still gets the whole history and finishes at once.
    expect(
      await collect(events.subscribe('j', new AbortController().signal)),
    ).toHaveLength(3);
  });

  it('stops a subscription when its signal aborts', async () => {
    const events = new JobEvents({ retentionMs: 1000, maxHistory: 100 });
    const controller = new AbortController();
    const received = collect(events.subscribe('j', controller.signal));
    events.publish('j', { type: 'progress', fraction: 0.5 });
    setTimeout(() => controller.abort(), 10);
    expect(await received).toEqual([{ type: 'progress', fraction: 0.5 }]);
  });

  it('bounds the history by dropping old progress before anything else', () => {
    const events = new JobEvents({ retentionMs: 1000, maxHistory: 3 });
    events.publish('j', { type: 'state', state: 'running' });
    for (let step = 1; step <= 10; step++)
      events.publish('j', { type: 'progress', step });
    events.publish('j', { type: 'text', delta: 'done' });
    const kept: JobEvent[] = [];
    const controller = new AbortController();
    controller.abort();
    return collect(events.subscribe('j', controller.signal)).then((history) => {
      kept.push(...history);
      expect(kept).toEqual([
        { type: 'state', state: 'running' },
        { type: 'progress', step: 10 },
        { type: 'text', delta: 'done' },
      ]);
    });
  });

  it('keeps a long answer whole for late subscribers, however many deltas it came in', async () => {
    const events = new JobEvents({ retentionMs: 1000, maxHistory: 5 });
    const live = collect(events.subscribe('j', new AbortController().signal));
    events.publish('j', { type: 'state', state: 'running' });
    const words = Array.from({ length: 300 }, (_, index) => `w${index} `);
    for (const word of words.slice(0, 100))
      events.publish('j', { type: 'reasoning', delta: word });
    events.publish('j', { type: 'reasoning', status: 'searching' });
    for (const word of words) events.publish('j', { type: 'text', delta: word });
    events.publish('j', { type: 'state', state: 'succeeded' });
    events.end('j');
    // Whoever listened heard every delta as it came.
    expect(await live).toHaveLength(1 + 100 + 1 + 300 + 1);
    // A late subscriber gets the state, the reasoning and the answer whole, in order.
    expect(await collect(events.subscribe('j', new AbortController().signal))).toEqual([
      { type: 'state', state: 'running' },
      { type: 'reasoning', delta: words.slice(0, 100).join('') },
      { type: 'reasoning', status: 'searching' },
      { type: 'text', delta: words.join('') },
      { type: 'state', state: 'succeeded' },
    ]);
  });

  it('keeps only the latest preview and step while a job runs, and no preview once it ended', async () => {
    const events = new JobEvents({ retentionMs: 1000, maxHistory: 200 });
    const preview = (step: number) => ({
      type: 'image-preview' as const,
      data: new Uint8Array(100_000).fill(step),
      mediaType: 'image/png',
    });
    events.publish('j', { type: 'state', state: 'running' });
    for (let step = 1; step <= 50; step++) {
      events.publish('j', { type: 'progress', step, total: 50 });
      events.publish('j', preview(step));
    }
    const late = new AbortController();
    late.abort();
    expect(await collect(events.subscribe('j', late.signal))).toEqual([
      { type: 'state', state: 'running' },
      { type: 'progress', step: 50, total: 50 },
      preview(50),
    ]);
    events.publish('j', { type: 'state', state: 'succeeded' });
    events.end('j');
    expect(await collect(events.subscribe('j', late.signal))).toEqual([
      { type: 'state', state: 'running' },
      { type: 'progress', step: 50, total: 50 },
      { type: 'state', state: 'succeeded' },
    ]);
  });
});
