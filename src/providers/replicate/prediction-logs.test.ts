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
});

describe('lastLogLines', () => {
  it('keeps the last non-empty lines on one line', () => {
    expect(lastLogLines('a\n\nb\r\nc\nd\n')).toBe('b | c | d');
    expect(lastLogLines(null)).toBe('');
  });

  it('keeps the end of very long logs', () => {
    const tail = lastLogLines(`start ${'x'.repeat(400)} end`);
    expect(tail.startsWith('…')).toBe(true);
    expect(tail.endsWith(' end')).toBe(true);
    expect(tail.length).toBe(301);
  });
});
