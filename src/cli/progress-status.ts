import type { StreamPart } from '../core/stream-part.js';

export interface StatusOptions {
  /** Draw a bar (terminals); plain text otherwise. */
  bar: boolean;
  /** Percent is rounded down to a multiple of this, so a log gets few lines. */
  percentStep: number;
}

const barWidth = 20;

function percentOf(part: Extract<StreamPart, { type: 'progress' }>): number | undefined {
  if (part.fraction !== undefined) return part.fraction * 100;
  if (part.step !== undefined && part.total !== undefined && part.total > 0) {
    return (part.step / part.total) * 100;
  }
  return undefined;
}

function progressText(
  part: Extract<StreamPart, { type: 'progress' }>,
  options: StatusOptions,
): string {
  const pieces: string[] = [];
  const exact = percentOf(part);
  if (exact !== undefined) {
    const percent = Math.min(100, Math.max(0, exact));
    // The epsilon keeps float noise (0.29 × 100 = 28.999…) from showing one percent less.
    const shown = Math.floor(percent / options.percentStep + 1e-9) * options.percentStep;
    if (options.bar) {
      const filled = Math.round((percent / 100) * barWidth);
      pieces.push(`${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`);
    }
    pieces.push(`${shown}%`);
  }
  if (part.step !== undefined) {
    pieces.push(
      part.total === undefined ? `step ${part.step}` : `step ${part.step}/${part.total}`,
    );
  }
  if (part.message !== undefined) pieces.push(part.message);
  return pieces.length > 0 ? pieces.join(' ') : 'working';
}

/**
 * The status line for a part that says how far a generation is, or undefined for parts
 * that do not. Queue positions are shown one-based, as people count.
 */
export function progressStatus(
  part: StreamPart,
  options: StatusOptions,
): string | undefined {
  switch (part.type) {
    case 'provider':
      return `generating with ${part.label ?? part.provider} (model ${part.model})`;
    case 'queued': {
      const wait =
        part.etaMs === undefined
          ? ''
          : `, about ${Math.ceil(part.etaMs / 1000)} s to start`;
      return `queued at position ${part.position + 1}${wait}`;
    }
    case 'progress':
      return progressText(part, options);
    default:
      return undefined;
  }
}
