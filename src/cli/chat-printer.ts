import type { StreamPart } from '../core/stream-part.js';
import type { CliIo } from './cli-io.js';
import { createFallbackNotice } from './fallback-notice.js';

const dim = (text: string) => `\u001b[2m${text}\u001b[22m`;

/** Writes a chat stream for people: the answer on stdout, everything else on stderr. */
export interface ChatPrinter {
  write(part: StreamPart): void;
  /** Ends the answer with a newline, unless it already ended with one. */
  end(): void;
}

/** Single-quoted for a POSIX shell, so the hint can be pasted as it is. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export function createChatPrinter(io: CliIo): ChatPrinter {
  const style = io.stderr.isTTY === true ? dim : (text: string) => text;
  // Both flags track an unfinished line, so a note never starts in the middle of one.
  let answerOpen = false;
  let reasoningOpen = false;
  const closeLines = () => {
    if (reasoningOpen) io.stderr.write('\n');
    if (answerOpen) io.stdout.write('\n');
    reasoningOpen = false;
    answerOpen = false;
  };
  const fallbackNotice = createFallbackNotice();
  const note = (line: string) => {
    closeLines();
    io.stderr.write(`${style(line)}\n`);
  };

  return {
    write(part) {
      const notice = fallbackNotice(part);
      if (notice !== undefined) note(notice);
      switch (part.type) {
        case 'text':
          if (part.delta === '') return;
          if (reasoningOpen) io.stderr.write('\n');
          reasoningOpen = false;
          io.stdout.write(part.delta);
          answerOpen = !part.delta.endsWith('\n');
          return;
        case 'reasoning':
          // Thinking goes to stderr, so piping stdout captures only the answer.
          if (part.status !== undefined) note(part.status);
          if (part.delta === undefined || part.delta === '') return;
          io.stderr.write(style(part.delta));
          reasoningOpen = !part.delta.endsWith('\n');
          return;
        case 'sources':
          for (const source of part.sources) {
            note(`source: ${source.title ?? source.url} <${source.url}>`);
          }
          return;
        case 'conversation':
          note(
            `to continue, pass --conversation ${shellQuote(JSON.stringify(part.state))}`,
          );
          return;
        case 'login-required':
          note(`${part.provider} needs you to log in at ${part.url}`);
          return;
        case 'finish':
          if (part.reason !== 'stop') note(`(the answer stopped: ${part.reason})`);
          return;
        default:
          return;
      }
    },
    end: closeLines,
  };
}
