import { z } from 'zod';

// Minimal schemas of chat-ui's wire format: only what genrelay reads, everything else passes.

/** `POST /conversation`; current versions embed the new conversation as a superjson string. */
export const createdConversationSchema = z.object({
  conversationId: z.string().min(1),
  conversation: z.string().optional(),
});

/** superjson's envelope: the JSON form in `json`, type notes (Dates, undefined) in `meta`. */
export const superjsonSchema = z.object({
  json: z.unknown(),
  meta: z.unknown().optional(),
});

/** A conversation as `/api/v2/conversations/{id}` and the page data carry it. */
export const conversationSchema = z.object({
  messages: z.array(z.object({ id: z.string().min(1) }).loose()).min(1),
});

export const modelSchema = z
  .object({
    id: z.string().min(1),
    multimodal: z.boolean().nullish(),
    unlisted: z.boolean().nullish(),
  })
  .loose();

/** `/api/models` (a plain array) or the `json` of `/api/v2/models`. */
export const modelListSchema = z.array(modelSchema);

/** One line of the reply stream; each `type` is checked further where it is read. */
export const messageUpdateSchema = z.object({ type: z.string() }).loose();

export const streamUpdateSchema = z.object({ token: z.string() });
export const reasoningUpdateSchema = z.object({
  subtype: z.string().optional(),
  token: z.string().optional(),
  status: z.string().optional(),
});
export const statusUpdateSchema = z.object({
  status: z.string(),
  message: z.string().optional(),
  statusCode: z.number().optional(),
});
export const titleUpdateSchema = z.object({ title: z.string() });
export const fileUpdateSchema = z.object({
  name: z.string(),
  sha: z.string().min(1),
  mime: z.string().optional(),
});
const sourceSchema = z
  .object({
    link: z.string().optional(),
    uri: z.string().optional(),
    url: z.string().optional(),
    title: z.string().nullish(),
  })
  .loose();
export const webSearchUpdateSchema = z.object({
  subtype: z.string().optional(),
  sources: z.array(sourceSchema).optional(),
});
export const finalAnswerSchema = z.object({
  text: z.string().optional(),
  interrupted: z.boolean().optional(),
  webSources: z.array(sourceSchema).optional(),
});

export type ChatUiSource = z.infer<typeof sourceSchema>;
