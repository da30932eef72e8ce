import { z } from 'zod';

const imageUrlPart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.string().optional() }),
});
const textPart = z.strictObject({ type: z.literal('text'), text: z.string() });

const messageSchema = z.object({
  // `developer` is OpenAI's newer name for `system`.
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z
    .union([z.string(), z.array(z.discriminatedUnion('type', [textPart, imageUrlPart]))])
    .nullable(),
  name: z.string().optional(),
});

/** The `/v1/chat/completions` body: OpenAI's fields genrelay honours, plus its own two. */
export const chatCompletionsRequestSchema = z.object({
  model: z.string(),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().default(false),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  n: z.literal(1, { error: 'only n = 1 is supported' }).nullish(),
  user: z.string().max(256).optional(),
  /** genrelay: the `conversation` of an earlier answer, to continue that conversation upstream. */
  conversation: z.json().optional(),
  /** genrelay: ask providers that can search the web to do so. */
  web_search: z.boolean().optional(),
});

export type ChatCompletionsRequest = z.infer<typeof chatCompletionsRequestSchema>;
