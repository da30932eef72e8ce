import { UpstreamError } from '../../core/errors.js';
import { type QueueMessage, queueMessageSchema } from './gradio-api.js';
import { type GradioErrorContext, unexpectedError } from './gradio-error.js';
import type { GradioEvent } from './gradio-event.js';
import { outputEvent } from './map-output-message.js';
import { protocolError } from './protocol-error.js';

/** What reading one job's messages remembers between them. */
export interface QueueReadState {
  eventId: string;
  /** Whether generator updates after the first are diffs (the app's protocol says). */
  sendsDiffs: boolean;
  /** The last full output values of a generator, which diffs apply to. */
  outputs?: unknown[];
}

const knownMessages = new Set([
  'estimation',
  'process_starts',
  'progress',
  'log',
  'process_generating',
  'process_streaming',
  'process_completed',
  'heartbeat',
  'close_stream',
  'unexpected_error',
]);

/**
 * One parsed `data:` frame of `{prefix}/queue/data` as an event of the job `state.eventId`,
 * or undefined for frames that carry nothing for it (heartbeats, other jobs' messages,
 * unknown kinds). Throws a GenRelayError for a failure, a ResponseParseError for a frame
 * that breaks the protocol, and an UpstreamError for a stream the server closes first.
 */
export function mapQueueMessage(
  frame: unknown,
  state: QueueReadState,
  context: GradioErrorContext,
): GradioEvent | undefined {
  if (frame === null) return undefined;
  const head = frame as { msg?: unknown; event_id?: unknown };
  if (typeof head !== 'object' || typeof head.msg !== 'string') {
    throw protocolError(context, 'a queue message without `msg`');
  }
  if (!knownMessages.has(head.msg)) return undefined;
  // Messages of the session's other jobs; those without an id concern every job.
  if (typeof head.event_id === 'string' && head.event_id !== state.eventId) {
    return undefined;
  }
  const parsed = queueMessageSchema.safeParse(frame);
  if (!parsed.success) {
    throw protocolError(context, `a malformed "${head.msg}" message`, parsed.error);
  }
  return mapMessage(parsed.data, state, context);
}

function mapMessage(
  message: QueueMessage,
  state: QueueReadState,
  context: GradioErrorContext,
): GradioEvent | undefined {
  switch (message.msg) {
    case 'estimation':
      if (message.rank === null || message.rank === undefined) return undefined;
      return {
        type: 'queued',
        position: message.rank,
        ...optional('etaMs', seconds(message.rank_eta)),
      };
    case 'process_starts':
      return { type: 'started' };
    case 'progress':
      return progressEvent(message.progress_data?.[0]);
    case 'log':
      return {
        type: 'log',
        level: message.level ?? 'info',
        message: message.log,
        ...optional('title', message.title),
      };
    case 'process_generating':
    case 'process_streaming':
    case 'process_completed':
      return outputEvent(message, state, context);
    case 'heartbeat':
      return undefined;
    case 'close_stream':
      throw new UpstreamError(
        `${context.speaker} closed the stream before the job finished`,
        { provider: context.provider, retryable: true },
      );
    case 'unexpected_error':
      throw unexpectedError(message.message, context);
  }
}

type ProgressUnit = NonNullable<
  Extract<QueueMessage, { msg: 'progress' }>['progress_data']
>[number];

function progressEvent(unit: ProgressUnit | undefined): GradioEvent | undefined {
  if (unit === undefined) return undefined;
  const { index, length, progress } = unit;
  const fraction =
    typeof progress === 'number'
      ? progress
      : typeof index === 'number' && typeof length === 'number' && length > 0
        ? index / length
        : undefined;
  return {
    type: 'progress',
    ...optional('step', index),
    ...optional('total', length),
    ...optional('fraction', fraction),
    ...optional('description', unit.desc),
  };
}

function seconds(value: number | null | undefined): number | undefined {
  return typeof value === 'number' ? Math.round(value * 1000) : undefined;
}

/** `{ [key]: value }` when the value is present, else nothing (for spreading). */
function optional<K extends string, V>(
  key: K,
  value: V | null | undefined,
): { [P in K]?: V } {
  return value === null || value === undefined
    ? {}
    : ({ [key]: value } as { [P in K]: V });
}
