import type { ProgressPart } from '../../core/stream-part.js';

/** A tqdm bar as models print it: ` 45%|████▌     | 9/20 [00:01<00:01, 8.2it/s]`. */
const progressLine = /(\d{1,3})%\s*\|[^|\n\r]*\|(?:\s*(\d+)\/(\d+))?/;
/**
 * How Cog's diffusion models report a random seed: `Using seed: 2239907472`. Only spaces
 * and tabs around it: `\s` would also take line breaks, and backtrack over every run of
 * blank lines from each of its starts (quadratic in the logs any community model writes).
 */
const seedLine = /^[ \t]*(?:using |random )?seed[ \t]*[:=][ \t]*(\d{1,20})[ \t]*$/im;
/** Logs can grow to megabytes; each reader looks at this much of them, in whole lines. */
const scannedChars = 64 * 1024;

/** The last progress bar in the logs as a progress part, or undefined when there is none. */
export function progressFromLogs(
  logs: string | null | undefined,
): ProgressPart | undefined {
  if (!logs) return undefined;
  // tqdm redraws with `\r`, and several bars may follow one another: the last one counts.
  const lines = logTail(logs)
    .split(/[\r\n]+/)
    .reverse();
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

/** The seed a model says it used, when it says so; models say it before they start. */
export function seedFromLogs(logs: string | null | undefined): number | undefined {
  const match = logs ? seedLine.exec(logHead(logs)) : null;
  const seed = match?.[1] === undefined ? undefined : Number(match[1]);
  return seed !== undefined && Number.isSafeInteger(seed) ? seed : undefined;
}

/** The last few non-empty log lines in one line, for an error message. */
export function lastLogLines(logs: string | null | undefined, count = 3): string {
  const lines = logTail(logs ?? '')
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const tail = lines.slice(-count).join(' | ');
  return tail.length > 300 ? `…${tail.slice(-300)}` : tail;
}

/** The first lines of `logs` within `scannedChars`; a line cut short is left out. */
function logHead(logs: string): string {
  if (logs.length <= scannedChars || isBreak(logs[scannedChars])) {
    return logs.slice(0, scannedChars);
  }
  const head = logs.slice(0, scannedChars);
  return head.slice(0, Math.max(0, head.lastIndexOf('\n'), head.lastIndexOf('\r')));
}

/** The last lines of `logs` within `scannedChars`; a line cut short is left out. */
function logTail(logs: string): string {
  const from = logs.length - scannedChars;
  if (from <= 0 || isBreak(logs[from - 1])) return logs.slice(Math.max(0, from));
  const tail = logs.slice(from);
  const start = tail.search(/[\r\n]/);
  return start === -1 ? '' : tail.slice(start + 1);
}

function isBreak(character: string | undefined): boolean {
  return character === '\n' || character === '\r';
}
