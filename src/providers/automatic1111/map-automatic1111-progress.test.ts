import { describe, expect, it } from 'vitest';
import { makePng } from '../../../test/upstreams/png.js';
import type { ProgressResponse } from './automatic1111-api.js';
import {
  Automatic1111ProgressMapper,
  isTaskRunning,
} from './map-automatic1111-progress.js';

const task = 'genrelay-1';

const running = (
  step: number,
  extra: Partial<ProgressResponse> = {},
  state: Partial<ProgressResponse['state']> = {},
): ProgressResponse => ({
  progress: 0.01 + step / 20,
  eta_relative: 2.2,
  state: { job_count: 1, job_no: 0, sampling_step: step, sampling_steps: 20, ...state },
  current_image: null,
  current_task: task,
  ...extra,
});

describe('Automatic1111ProgressMapper', () => {
  it('says nothing while the server is idle', () => {
    const mapper = new Automatic1111ProgressMapper(task);
    expect(mapper.parts({ progress: 0, state: { job_count: 0 } })).toEqual([]);
    // The web UI briefly reports -1 jobs between starting a job and counting its batches.
    expect(
      mapper.parts({ progress: 0.01, state: { job_count: -1 }, current_task: task }),
    ).toEqual([]);
    expect(mapper.sawTask).toBe(true);
  });

  it('says nothing about a job the server names as another', () => {
    const mapper = new Automatic1111ProgressMapper(task);
    const preview = Buffer.from(makePng(8, 4)).toString('base64');
    expect(
      mapper.parts(running(5, { current_task: 'genrelay-2', current_image: preview })),
    ).toEqual([]);
    expect(mapper.sawTask).toBe(false);
  });

  it('takes a job the server does not name for its own (AUTOMATIC1111 names none)', () => {
    for (const current_task of [null, undefined]) {
      const mapper = new Automatic1111ProgressMapper(task);
      expect(mapper.parts(running(5, { current_task })).map((part) => part.type)).toEqual(
        ['progress'],
      );
      expect(mapper.sawTask).toBe(true);
    }
  });

  it('knows its task running from its start to its end', () => {
    expect(isTaskRunning(running(0, {}, { job_count: -1 }), task)).toBe(true);
    expect(isTaskRunning(running(3), task)).toBe(true);
    // A failed job's task stays named on the idle server.
    expect(isTaskRunning(running(0, {}, { job_count: 0 }), task)).toBe(false);
    expect(isTaskRunning(running(3), 'genrelay-2')).toBe(false);
  });

  it('reports a step once, with the time left and which batch runs', () => {
    const mapper = new Automatic1111ProgressMapper(task);
    expect(mapper.parts(running(5))).toEqual([
      {
        type: 'progress',
        fraction: 0.26,
        step: 5,
        total: 20,
        etaMs: 2200,
        message: 'about 3 s left',
      },
    ]);
    expect(mapper.parts(running(5))).toEqual([]);
    expect(
      mapper.parts(
        running(5, { progress: 1.2, eta_relative: 0 }, { job_no: 1, job_count: 2 }),
      ),
    ).toEqual([
      { type: 'progress', fraction: 1, step: 5, total: 20, message: 'batch 2/2' },
    ]);
  });

  it('shows each new preview once, and skips one that is not an image', () => {
    const mapper = new Automatic1111ProgressMapper(task);
    const preview = Buffer.from(makePng(8, 4)).toString('base64');
    const [, part] = mapper.parts(running(2, { current_image: preview }));
    expect(part).toEqual({
      type: 'image-preview',
      data: new Uint8Array(makePng(8, 4)),
      mediaType: 'image/png',
      width: 8,
      height: 4,
    });
    expect(mapper.parts(running(3, { current_image: preview }))).toHaveLength(1);
    expect(mapper.parts(running(4, { current_image: 'bm9wZQ==' }))).toHaveLength(1);
  });
});
