import { z } from 'zod';
import { aspectRatioSizes } from '../../core/aspect-ratio.js';

const dimension = z.number().int().min(64).max(4096);

/** The `/v1/images/generations` body: OpenAI's fields, plus genrelay's image controls. */
export const imagesRequestSchema = z.object({
  prompt: z.string().trim().min(1, { error: 'must not be empty' }).max(32_000),
  model: z.string().default(''),
  n: z.number().int().min(1).max(10).default(1),
  size: z
    .string()
    .regex(/^(auto|\d{2,4}x\d{2,4})$/, {
      error: 'must be "auto" or WIDTHxHEIGHT, like 1024x1024',
    })
    .optional(),
  response_format: z.enum(['url', 'b64_json']).default('url'),
  user: z.string().max(256).optional(),
  // Accepted for compatibility; the upstreams genrelay drives have no such setting.
  quality: z.string().optional(),
  style: z.string().optional(),
  /** genrelay: like `16:9`; used when `size` is not given. */
  aspect_ratio: z.enum(Object.keys(aspectRatioSizes) as [string, ...string[]]).optional(),
  width: dimension.optional(),
  height: dimension.optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  negative_prompt: z.string().max(32_000).optional(),
  steps: z.number().int().min(1).max(150).optional(),
  guidance_scale: z.number().min(0).max(50).optional(),
});

export type ImagesRequest = z.infer<typeof imagesRequestSchema>;
