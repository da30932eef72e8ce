import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { JobUpdate, JobUpdateBase, TextUpdate } from './job-update.js';
import { UpdateStream } from './update-stream.js';

const base: JobUpdateBase = {
  requestId: 'r-1',
  objectId: 'o-1',
  service: 'bot',
  model: 'double-chat',
  genType: 'chat',
  serviceInfo: { userId: '1', chatId: null, messageId: null },
  premium: false,
};

const queued = (position: number): JobUpdate => ({
  ...base,
  status: 'queued',
  avgTime: null,
  position,
  etaMs: null,
});
const progress = (step: number): JobUpdate => ({
  ...base,
  status: 'progress',
  fraction: step / 10,
  step,
  total: 10,
  etaMs: null,
});
const generating = (attempt: number): JobUpdate => ({
  ...base,
  status: 'generating',
  attempt,
  instance: 'local',
});
const text = (delta: string, so: string): TextUpdate => ({
  ...base,
  status: 'text',
  delta,
  reasoning: false,
  text: so,
});
const canceled: JobUpdate = { ...base, status: 'canceled' };

const describeUpdate = (update: JobUpdate) => {
  switch (update.status) {
    case 'queued':
      return `queued ${update.position}`;
    case 'progress':
      return `progress ${update.step}`;
    case 'text':
      return `text ${update.text}`;
    default:
      return update.status;
  }
};

async function readAll(stream: UpdateStream): Promise<string[]> {
  const read: string[] = [];
  for await (const update of stream) read.push(describeUpdate(update));
  return read;
}

/** The garbage collector, for a measure of what is kept. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('UpdateStream', () => {
  it('keeps only the latest place, step and preview for a late reader', async () => {
    const stream = new UpdateStream();
    for (const update of [queued(2), queued(1), generating(1), progress(1), progress(2)])
      stream.push(update);
    stream.push(canceled);
    stream.end();
    expect(await readAll(stream)).toEqual([
      'queued 1',
      'generating',
      'progress 2',
      'canceled',
    ]);
  });

  it('tells a reader that read an update the one that replaced it, and skips no other', async () => {
    const stream = new UpdateStream();
    const reader = stream[Symbol.asyncIterator]();
    stream.push(queued(3));
    stream.push(generating(1));
    expect(describeUpdate((await reader.next()).value)).toBe('queued 3');
    // The queued update this reader read is replaced; the one it has not read stays.
    stream.push(queued(0));
    stream.push(progress(1));
    stream.push(progress(2));
    stream.end();
    const rest: string[] = [];
    for (let next = await reader.next(); next.done !== true; next = await reader.next())
      rest.push(describeUpdate(next.value));
    expect(rest).toEqual(['generating', 'queued 0', 'progress 2']);
    expect(await readAll(stream)).toEqual(['generating', 'queued 0', 'progress 2']);
  });

  it("rebuilds each text update's answer so far from the deltas since its attempt began", async () => {
    const stream = new UpdateStream();
    stream.push(generating(1));
    stream.push(text('Hel', 'stale'));
    stream.push(text('lo', 'stale'));
    // A retried attempt writes the answer anew.
    stream.push(generating(2));
    stream.push(text('Hi', 'stale'));
    stream.push(text('!', 'stale'));
    stream.end();
    expect(await readAll(stream)).toEqual([
      'generating',
      'text Hel',
      'text Hello',
      'generating',
      'text Hi',
      'text Hi!',
    ]);
  });

  it("holds a long answer's text in memory linear in its length", () => {
    const gc = collector();
    const stream = new UpdateStream();
    stream.push(generating(1));
    gc();
    const before = process.memoryUsage().heapUsed;
    let so = '';
    for (let index = 0; index < 4000; index++) {
      so += 'words';
      // Flat, as it is once a handler has read it.
      stream.push(text('words', JSON.parse(JSON.stringify(so)) as string));
    }
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    // The answers so far would take 40 MB; the deltas take a few hundred kilobytes.
    expect(kept).toBeLessThan(8 * 1024 * 1024);
    stream.end();
  });
});
