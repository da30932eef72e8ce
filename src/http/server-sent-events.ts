import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ResponseParseError } from '../core/errors.js';

/** One server-sent event. `data` lines are joined with `\n`. */
export interface ServerSentEvent {
  event?: string;
  data: string;
  id?: string;
}

export interface ReadServerSentEventsOptions {
  /** The most one unfinished event may buffer, in characters. Default 4 MiB. */
  maxEventBytes?: number;
}

/**
 * The events of a `text/event-stream` body, in order. An event that grows past
 * `maxEventBytes` before its blank line throws a ResponseParseError instead of growing
 * without bound. A last event the server ended without its blank line is still delivered:
 * servers that close right after the final `data:` line are common, and a body that was
 * cut short fails in the transport instead.
 */
export async function* readServerSentEvents(
  body: AsyncIterable<Uint8Array>,
  options: ReadServerSentEventsOptions = {},
): AsyncGenerator<ServerSentEvent> {
  const maxEventBytes = options.maxEventBytes ?? 4 * 1024 * 1024;
  const events: ServerSentEvent[] = [];
  let overflow = false;
  const parser = createParser({
    maxBufferSize: maxEventBytes,
    onEvent: (message) => events.push(toEvent(message)),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') overflow = true;
    },
  });
  const decoder = new TextDecoder();
  const feed = (text: string) => {
    parser.feed(text);
    if (overflow) {
      throw new ResponseParseError(
        `a server-sent event grew past ${maxEventBytes} characters without ending`,
      );
    }
  };
  for await (const chunk of body) {
    feed(decoder.decode(chunk, { stream: true }));
    yield* events.splice(0);
  }
  feed(`${decoder.decode()}\n\n`);
  yield* events.splice(0);
}

function toEvent(message: EventSourceMessage): ServerSentEvent {
  const event: ServerSentEvent = { data: message.data };
  if (message.event !== undefined) event.event = message.event;
  if (message.id !== undefined) event.id = message.id;
  return event;
}
