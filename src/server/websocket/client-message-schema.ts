import { z } from 'zod';
import { flag, id } from '../jobs/job-request-schema.js';

/** How an `ok` response carries the first image: its URL, or its bytes as base64. */
const responseFormat = z.enum(['url', 'base64']);

/** Which job a `cancel` or `subscribe` means: its object id, or the client's request id. */
const jobReference = {
  object_id: z.string().min(1).max(256).optional(),
  request_id: id.optional(),
};
const oneReference = {
  check: (message: { object_id?: string | undefined; request_id?: string | undefined }) =>
    message.object_id !== undefined || message.request_id !== undefined,
  params: { error: 'give object_id or request_id', path: ['object_id'] },
};

/** The service's token, for clients that cannot set headers (browsers). */
export const authMessageSchema = z.strictObject({
  message_type: z.literal('auth'),
  token: z.string().min(1).max(4096),
  /** The service the token should belong to (checked when given). */
  service: z.string().min(1).max(256).optional(),
});

/** A generation, in the Devoid request's shape plus `request_id`, `model` and `webhook`. */
export const requestMessageSchema = z
  .strictObject({
    message_type: z.literal('request'),
    /** The client's id for the request: sending it again returns the same job. */
    request_id: id.optional(),
    /** An executor type (`automatic1111`, `kandinsky`) or one instance's name. */
    executor: z.string().min(1).max(256).optional(),
    /** Any model the router serves: chat or text2img. */
    model: z.string().min(1).max(256).optional(),
    gen_type: z.enum(['text2img', 'img2img', 'mix2img', 'chat']),
    settings: z
      .strictObject({
        premium: flag.default(false),
        moderate: flag.default(false),
        /** Results are always stored before `ok` is sent; kept for Devoid clients. */
        sync_with_s3: flag.default(false),
        response_format: responseFormat.default('url'),
      })
      .prefault({}),
    service_info: z.strictObject({
      user_id: id,
      chat_id: id.nullish(),
      message_id: id.nullish(),
    }),
    payload: z.record(z.string(), z.unknown()),
    max_user_queue_size: z.number().int().min(1).optional(),
    /** Where the job's final event is POSTed. */
    webhook: z.string().min(1).max(2048).optional(),
  })
  .refine(
    (message) => (message.model === undefined) !== (message.executor === undefined),
    {
      error: 'give either executor or model',
      path: ['executor'],
    },
  );

export const cancelMessageSchema = z
  .strictObject({ message_type: z.literal('cancel'), ...jobReference })
  .refine(oneReference.check, oneReference.params);

/** Follow a job of the service: its kept events first (what a reconnecting client missed). */
export const subscribeMessageSchema = z
  .strictObject({
    message_type: z.literal('subscribe'),
    ...jobReference,
    response_format: responseFormat.default('url'),
  })
  .refine(oneReference.check, oneReference.params);

/** Each message a client may send, by its `message_type`. */
export const clientMessageSchemas = {
  auth: authMessageSchema,
  request: requestMessageSchema,
  cancel: cancelMessageSchema,
  subscribe: subscribeMessageSchema,
} as const;

export type AuthMessage = z.infer<typeof authMessageSchema>;
export type RequestMessage = z.infer<typeof requestMessageSchema>;
export type CancelMessage = z.infer<typeof cancelMessageSchema>;
export type SubscribeMessage = z.infer<typeof subscribeMessageSchema>;
export type ClientMessage =
  | AuthMessage
  | RequestMessage
  | CancelMessage
  | SubscribeMessage;
export type ResponseFormat = z.infer<typeof responseFormat>;
