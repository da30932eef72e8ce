import { describe, expect, it } from 'vitest';
import type { OutputStream } from './cli-io.js';
import { ProgressDisplay } from './progress-display.js';
import { progressStatus } from './progress-status.js';

function output(isTTY: boolean): OutputStream & { text: string } {
  const stream = {
    isTTY,
    columns: 40,
    text: '',
    write(chunk: string | Uint8Array) {
      stream.text += String(chunk);
      return true;
    },
  };
  return stream;
}

describe('progressStatus', () => {
  const plain = { bar: false, percentStep: 1 };

  it('shows the queue position one-based, with the wait when known', () => {
    expect(progressStatus({ type: 'queued', position: 0 }, plain)).toBe(
      'queued at position 1',
    );
    expect(progressStatus({ type: 'queued', position: 2, etaMs: 4_100 }, plain)).toBe(
      'queued at position 3, about 5 s to start',
    );
  });

  it('shows percent and steps, from a fraction or from the steps', () => {
    const part = { type: 'progress' as const, step: 6, total: 20 };
    expect(progressStatus(part, plain)).toBe('30% step 6/20');
    expect(progressStatus({ type: 'progress', fraction: 0.29 }, plain)).toBe('29%');
    expect(
      progressStatus(
        { type: 'progress', fraction: 0.29 },
        { bar: false, percentStep: 10 },
      ),
    ).toBe('20%');
    expect(
      progressStatus({ type: 'progress', fraction: 0.5 }, { bar: true, percentStep: 1 }),
    ).toBe(`${'█'.repeat(10)}${'░'.repeat(10)} 50%`);
  });

  it('ignores parts that say nothing about progress', () => {
    expect(progressStatus({ type: 'text', delta: 'x' }, plain)).toBeUndefined();
  });
});

describe('ProgressDisplay', () => {
  it('prints each new status as a plain line when not on a terminal', () => {
    const stream = output(false);
    const display = new ProgressDisplay(stream);
    display.update({ type: 'queued', position: 1 });
    display.update({ type: 'progress', fraction: 0.31 });
    display.update({ type: 'progress', fraction: 0.35 });
    display.note('saved');
    display.stop();
    expect(stream.text).toBe('queued at position 2\n30%\nsaved\n');
  });

  it('redraws one line on a terminal, cut to its width, and erases it at the end', () => {
    const stream = output(true);
    const display = new ProgressDisplay(stream);
    display.update({
      type: 'progress',
      step: 3,
      total: 4,
      message: 'denoising the picture now',
    });
    display.stop();
    const drawn = stream.text.split('\r\u001b[2K').filter((line) => line !== '');
    expect(drawn).toHaveLength(1);
    expect(drawn[0]).toHaveLength(39);
    expect(stream.text.endsWith('\r\u001b[2K')).toBe(true);
  });
});
