import { z } from 'zod';

// Minimal schemas of Gradio's wire format (4.x and 5.x): only what genrelay reads.

const dependencySchema = z
  .object({
    /** Absent before Gradio 4: the position in the list is the id then. */
    id: z.number().int().optional(),
    api_name: z.union([z.string(), z.literal(false), z.null()]).optional(),
    /** `[[componentId, "click"], …]`; Gradio 3 listed bare component ids. */
    targets: z.array(z.unknown()).default([]),
    types: z.object({ generator: z.boolean().optional() }).loose().optional(),
  })
  .loose();

/** `GET /config`. */
export const configSchema = z
  .object({
    version: z.string().optional(),
    /** `/gradio_api` from 5.0; absent in 4.x, where routes sit at the root. */
    api_prefix: z.string().optional(),
    protocol: z.string().optional(),
    dependencies: z.array(dependencySchema),
  })
  .loose();

/** `POST {prefix}/queue/join` and `POST {prefix}/call/{api_name}`. */
export const eventIdSchema = z.object({ event_id: z.string().min(1) }).loose();

/** `POST {prefix}/upload`: the server paths of the uploaded files. */
export const uploadResponseSchema = z.array(z.string());

/** Gradio's FileData (also ImageData): a server path, and usually an absolute URL. */
export const fileDataSchema = z
  .object({
    path: z.string().nullish(),
    url: z.string().nullish(),
    mime_type: z.string().nullish(),
    orig_name: z.string().nullish(),
  })
  .loose();

export type FileData = z.infer<typeof fileDataSchema>;

const progressUnitSchema = z
  .object({
    index: z.number().nullish(),
    length: z.number().nullish(),
    progress: z.number().nullish(),
    desc: z.string().nullish(),
  })
  .loose();

/** The `output` of `process_generating` / `process_completed`: values or an error. */
export const outputSchema = z
  .object({
    data: z.array(z.unknown()).optional(),
    error: z.string().nullish(),
    title: z.string().nullish(),
  })
  .loose();

export type GradioOutput = z.infer<typeof outputSchema>;

/** One `data:` frame of `{prefix}/queue/data`, by its `msg`. */
export const queueMessageSchema = z.discriminatedUnion('msg', [
  z
    .object({
      msg: z.literal('estimation'),
      rank: z.number().nullish(),
      rank_eta: z.number().nullish(),
    })
    .loose(),
  z.object({ msg: z.literal('process_starts') }).loose(),
  z
    .object({
      msg: z.literal('progress'),
      progress_data: z.array(progressUnitSchema).nullish(),
    })
    .loose(),
  z
    .object({
      msg: z.literal('log'),
      log: z.string(),
      level: z.string().nullish(),
      title: z.string().nullish(),
    })
    .loose(),
  z
    .object({
      msg: z.enum(['process_generating', 'process_streaming', 'process_completed']),
      output: outputSchema,
      success: z.boolean().nullish(),
      title: z.string().nullish(),
    })
    .loose(),
  z.object({ msg: z.literal('heartbeat') }).loose(),
  z.object({ msg: z.literal('close_stream') }).loose(),
  z.object({ msg: z.literal('unexpected_error'), message: z.string().nullish() }).loose(),
]);

export type QueueMessage = z.infer<typeof queueMessageSchema>;

/** The `error` event data of the call API: null (4.x, 5.x), a string, or (6.13+) an object. */
export const callErrorSchema = z.union([
  z.null(),
  z.string(),
  z.object({ error: z.string().nullish(), title: z.string().nullish() }).loose(),
]);

/** `GET https://huggingface.co/api/spaces/{space}/jwt`. */
export const jwtResponseSchema = z.object({ token: z.string().min(1) }).loose();
