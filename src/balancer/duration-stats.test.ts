import { describe, expect, it } from 'vitest';
import { DurationStats } from './duration-stats.js';

const initial = () => ({ msPerWork: 500, workPerJob: 8 });

describe('DurationStats', () => {
  it('estimates by work from what the lane took', () => {
    const durations = new DurationStats({ initial });
    expect(durations.estimate('gpu', 10)).toBe(5000);
    durations.record('gpu', 10, 200);
    expect(durations.estimate('gpu', 10)).toBe(200);
    expect(durations.estimate('gpu', 40)).toBe(800);
  });

  it('starts from what an earlier run learned, and learns on at its weight', () => {
    const durations = new DurationStats({ initial });
    durations.restore([{ lane: 'gpu', msPerWork: 20, workPerJob: 10, samples: 50 }]);
    expect(durations.estimate('gpu', 10)).toBe(200);
    expect(durations.estimate('gpu')).toBe(200);
    // Fifty samples in, a new one counts at the steady weight (a fifth), not as the second.
    durations.record('gpu', 10, 700);
    expect(durations.estimate('gpu', 10)).toBe(300);
  });

  it('keeps a lane learned since over what is restored, and ignores broken entries', () => {
    const durations = new DurationStats({ initial });
    durations.record('gpu', 10, 100);
    durations.restore([
      { lane: 'gpu', msPerWork: 99, workPerJob: 10, samples: 5 },
      { lane: 'broken', msPerWork: Number.NaN, workPerJob: 10, samples: 5 },
      { lane: 'empty', msPerWork: 1, workPerJob: 0, samples: 5 },
    ]);
    expect(durations.estimate('gpu', 10)).toBe(100);
    expect(durations.estimate('broken', 10)).toBe(5000);
    expect(durations.estimate('empty', 10)).toBe(5000);
  });

  it('hands over the lanes learned from since the last time, once, or again after a failed keep', () => {
    const durations = new DurationStats({ initial });
    durations.restore([{ lane: 'old', msPerWork: 5, workPerJob: 1, samples: 3 }]);
    durations.record('gpu', 10, 100);
    durations.record('gpu', 10, 300);
    const changed = durations.takeChanged();
    expect(changed).toEqual([{ lane: 'gpu', msPerWork: 20, workPerJob: 10, samples: 2 }]);
    expect(durations.takeChanged()).toEqual([]);
    durations.keepLater(changed);
    expect(durations.takeChanged()).toEqual(changed);
  });
});
