import { z } from 'zod';

// Minimal schemas of OpenAI's wire format: only what genrelay reads, everything else passes.

const usageSchema = z
  .object({
    prompt_tokens: z.number().optional(),
    completion_tokens: z.number().optional(),
    total_tokens: z.number().optional(),
  })
  .nullish();

export type OpenAIUsage = z.infer<typeof usageSchema>;

const reasoningFields = {
  // vLLM, DeepSeek and LM Studio send `reasoning_content`; Ollama and OpenRouter `reasoning`.
  reasoning_content: z.string().nullish(),
  reasoning: z.string().nullish(),
};

export const chatCompletionSchema = z.object({
  choices: z.array(
    z.object({
      message: z.object({ content: z.string().nullish(), ...reasoningFields }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: usageSchema,
});

export const chatCompletionChunkSchema = z.object({
  // Some backends send `choices: null` on the usage chunk.
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullish(), ...reasoningFields }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: usageSchema,
});

export const modelListSchema = z.object({
  data: z.array(z.object({ id: z.string() })),
});

export const imagesResponseSchema = z.object({
  data: z.array(
    z.object({
      url: z.string().nullish(),
      b64_json: z.string().nullish(),
      revised_prompt: z.string().nullish(),
    }),
  ),
});

/** The `error` envelope OpenAI-compatible servers send inside a stream. */
export const streamErrorSchema = z.object({
  error: z.object({ message: z.string().optional() }).loose(),
});
