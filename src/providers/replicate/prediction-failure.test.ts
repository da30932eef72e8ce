import { describe, expect, it } from 'vitest';
import { failedError, predictionFailure } from './prediction-failure.js';

const upstream = { id: 'mine', describe: () => 'replicate "mine"' };

describe('failedError', () => {
  it('names the upstream and prediction, with the error and last log lines', () => {
    const error = failedError({ id: 'p1', error: ' boom ', logs: 'a\nb\n' }, upstream);
    expect(error).toMatchObject({ code: 'upstream_error', provider: 'mine' });
    expect(error.message).toBe(
      'replicate "mine" prediction p1 failed: boom (last log lines: a | b)',
    );
  });

  it("cuts Replicate's error text at 500 characters", () => {
    const error = failedError(
      { id: 'p1', error: 'e'.repeat(5_000), logs: null },
      upstream,
    );
    expect(error.message).toBe(
      `replicate "mine" prediction p1 failed: ${'e'.repeat(500)}…`,
    );
  });

  it('says so when there is no reason, and shows one that is not text as JSON', () => {
    expect(failedError({ id: 'p1', error: null, logs: null }, upstream).message).toMatch(
      /failed: no reason given$/,
    );
    expect(
      failedError({ id: 'p1', error: { code: 7 }, logs: null }, upstream).message,
    ).toMatch(/failed: \{"code":7\}$/);
  });
});

describe('predictionFailure', () => {
  it('gives canceled errors for canceled and aborted predictions, none otherwise', () => {
    const canceled = predictionFailure({ id: 'p2', status: 'canceled' }, upstream);
    expect(canceled).toMatchObject({ code: 'canceled', provider: 'mine' });
    expect(canceled?.message).toBe(
      'replicate "mine" prediction p2 was canceled upstream',
    );
    const aborted = predictionFailure({ id: 'p3', status: 'aborted' }, upstream);
    expect(aborted?.message).toContain('was aborted before it started');
    expect(
      predictionFailure({ id: 'p4', status: 'succeeded' }, upstream),
    ).toBeUndefined();
  });
});
