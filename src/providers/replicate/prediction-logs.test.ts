import { describe, expect, it } from 'vitest';
import { lastLogLines, progressFromLogs, seedFromLogs } from './prediction-logs.js';

const sdxlLogs =
  'Using seed: 2239907472\nPrompt: a fox\n  0%|          | 0/4 [00:00<?, ?it/s]\n' +
  ' 50%|█████     | 2/4 [00:00<00:00,  9.84it/s]\n';

describe('progressFromLogs', () => {
  it('reads the last tqdm bar, with its step and total', () => {
    expect(progressFromLogs(sdxlLogs)).toEqual({
      type: 'progress',
      fraction: 0.5,
      step: 2,
      total: 4,
    });
  });

  it('follows bars redrawn with carriage returns, and bars without counts', () => {
    const redrawn = ' 10%|█         | 1/10 [00:01]\r 45%|████▌     | 9/20 [00:02]';
    expect(progressFromLogs(redrawn)).toMatchObject({
      fraction: 0.45,
      step: 9,
      total: 20,
    });
    expect(progressFromLogs('loading\n 30%|███       |')).toEqual({
      type: 'progress',
      fraction: 0.3,
    });
  });

  it('finds nothing in logs without a bar', () => {
    expect(progressFromLogs('Loading weights\nready')).toBeUndefined();
    expect(progressFromLogs(null)).toBeUndefined();
    expect(progressFromLogs('')).toBeUndefined();
  });
});

describe('seedFromLogs', () => {
  it('reads the seed a model reports', () => {
    expect(seedFromLogs(sdxlLogs)).toBe(2239907472);
    expect(seedFromLogs('Random seed: 42')).toBe(42);
    expect(seedFromLogs('seed=7\n')).toBe(7);
  });

  it('ignores other numbers and oversized values', () => {
    expect(seedFromLogs('Using 4 steps')).toBeUndefined();
    expect(seedFromLogs('seed: 99999999999999999999')).toBeUndefined();
    expect(seedFromLogs(undefined)).toBeUndefined();
  });

  it('gets through long runs of blank lines at once', async () => {
    // A blocking call cannot be interrupted, but yielding after each one lets the timeout
    // fail a quadratic scan (11 s over 100,000 blank lines) rather than wait it out.
    const yieldToTimers = () => new Promise((resolve) => setImmediate(resolve));
    for (const line of ['\n', '\r\n', ' \t\n']) {
      const blank = line.repeat(400_000);
      expect(seedFromLogs(blank)).toBeUndefined();
      await yieldToTimers();
      expect(seedFromLogs(`${line.repeat(20_000)}Using seed: 5${blank}`)).toBe(5);
      await yieldToTimers();
    }
  }, 5_000);

  it('reads only whole lines of the first 64 KiB', () => {
    const filler = `${'x'.repeat(64 * 1024 - 12)}\n`;
    // The window ends inside the number: `seed: 123` must not be read from it.
    expect(seedFromLogs(`${filler}seed: 123456789\n`)).toBeUndefined();
    const later = `${filler.slice(20)}seed: 123456789\n${'y'.repeat(100)}`;
    expect(seedFromLogs(later)).toBe(123456789);
  });
});

describe('lastLogLines', () => {
  it('keeps the last non-empty lines on one line', () => {
    expect(lastLogLines('a\n\nb\r\nc\nd\n')).toBe('b | c | d');
    expect(lastLogLines(null)).toBe('');
  });

  it('reads the end of logs longer than 64 KiB', () => {
    const logs = `${'first line\n'.repeat(10_000)}second to last\nlast\n`;
    expect(lastLogLines(logs, 2)).toBe('second to last | last');
    expect(progressFromLogs(`${logs.repeat(2)} 40%|████      | 4/10`)).toMatchObject({
      step: 4,
    });
  });

  it('keeps the end of very long logs', () => {
    const tail = lastLogLines(`start ${'x'.repeat(400)} end`);
    expect(tail.startsWith('…')).toBe(true);
    expect(tail.endsWith(' end')).toBe(true);
    expect(tail.length).toBe(301);
  });
});
