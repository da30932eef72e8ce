import { z } from 'zod';

/** Devoid clients send ids as numbers and flags as 1/0: both are taken. */
export const id = z
  .union([z.string().min(1).max(256), z.number().int()])
  .transform(String);
export const flag = z.union([z.boolean(), z.literal(0), z.literal(1)]).transform(Boolean);

/**
 * A job as `POST /v1/jobs` takes it (snake_case, like the OpenAI and Devoid APIs). Which
 * payload fits is decided by the kind and by the model or executor, checked afterwards.
 */
export const jobRequestSchema = z
  .strictObject({
    kind: z.enum(['chat', 'text2img', 'img2img', 'mix2img']),
    /** Any model the router serves (`flux-dev`, `gpt-4o-mini`): chat or text2img. */
    model: z.string().min(1).max(256).optional(),
    /** An executor type (`automatic1111`, `kandinsky`) or one instance's name. */
    executor: z.string().min(1).max(256).optional(),
    user_id: id,
    chat_id: id.optional(),
    message_id: id.optional(),
    premium: flag.default(false),
    max_user_queue_size: z.number().int().min(1).optional(),
    /** The service's id for the request: sending it again returns the same job. */
    request_id: z.string().min(1).max(256).optional(),
    moderate: flag.default(false),
    /** Where the final event is POSTed. */
    webhook: z.string().min(1).max(2048).optional(),
    payload: z.record(z.string(), z.unknown()),
  })
  .refine((body) => (body.model === undefined) !== (body.executor === undefined), {
    error: 'give either model or executor',
    path: ['model'],
  });

export type JobRequest = z.infer<typeof jobRequestSchema>;
