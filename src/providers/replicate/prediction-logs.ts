import type { ProgressPart } from '../../core/stream-part.js';

/** A tqdm bar as models print it: ` 45%|████▌     | 9/20 [00:01<00:01, 8.2it/s]`. */
const progressLine = /(\d{1,3})%\s*\|[^|\n\r]*\|(?:\s*(\d+)\/(\d+))?/;
/** How Cog's diffusion models report a random seed: `Using seed: 2239907472`. */
const seedLine = /^\s*(?:using |random )?seed\s*[:=]\s*(\d{1,20})\s*$/im;

/** The last progress bar in the logs as a progress part, or undefined when there is none. */
export function progressFromLogs(
  logs: string | null | undefined,
): ProgressPart | undefined {
  if (!logs) return undefined;
  // tqdm redraws with `\r`, and several bars may follow one another: the last one counts.
  const lines = logs.split(/[\r\n]+/).reverse();
  for (const line of lines) {
    const match = progressLine.exec(line);
    if (match === null) continue;
    const percent = Math.min(100, Number(match[1]));
    const part: ProgressPart = { type: 'progress', fraction: percent / 100 };
    if (match[2] !== undefined && match[3] !== undefined) {
      part.step = Number(match[2]);
      part.total = Number(match[3]);
    }
    return part;
  }
  return undefined;
}

/** The seed a model says it used, when it says so. */
export function seedFromLogs(logs: string | null | undefined): number | undefined {
  const match = logs ? seedLine.exec(logs) : null;
  const seed = match?.[1] === undefined ? undefined : Number(match[1]);
  return seed !== undefined && Number.isSafeInteger(seed) ? seed : undefined;
}

/** The last few non-empty log lines in one line, for an error message. */
export function lastLogLines(logs: string | null | undefined, count = 3): string {
  const lines = (logs ?? '')
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const tail = lines.slice(-count).join(' | ');
  return tail.length > 300 ? `…${tail.slice(-300)}` : tail;
}
