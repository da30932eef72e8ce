import { z } from 'zod';

/**
 * The request bodies of the devoidai Kandinsky 2.1 API (`src/api/schemas.py`), as genrelay
 * accepts them from callers. The API ignores unknown fields; these schemas refuse them, so
 * a misspelt field is a 400 that names it rather than a silent default.
 */

const side = z.number().int().min(64).max(2048);

/** Base64 image bytes, as the API decodes them; a `data:` prefix is taken off. */
const base64Image = z
  .string()
  .transform((value) => value.replace(/^data:image\/[\w.+-]+;base64,/, ''))
  .pipe(
    z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'must be base64 image bytes' }),
  );

const options = {
  steps: z.number().int().min(1).max(500).optional(),
  /** 1 ignores the prompt; 30 follows it closely. */
  guidance_scale: z.number().int().min(1).max(30).optional(),
  height: side.optional(),
  width: side.optional(),
  sampler: z.enum(['p_sampler', 'ddim_sampler', 'plms_sampler']).optional(),
  prior_cf_scale: z.number().int().min(1).max(30).optional(),
  /** A string in the API (`"5"`); a number is accepted and sent as one. */
  prior_steps: z
    .union([z.string().regex(/^\d+$/), z.number().int().min(1)])
    .transform(String)
    .optional(),
  negative_prior_prompt: z.string().max(32_000).optional(),
  negative_decoder_prompt: z.string().max(32_000).optional(),
};

export const kandinskyText2ImgPayloadSchema = z.strictObject({
  prompt: z.string().min(1).max(32_000),
  ...options,
});

export const kandinskyMix2ImgPayloadSchema = z.strictObject({
  /** Exactly [text, image, image, text]: the API reads the images at 1 and 2. */
  images_texts: z.tuple([
    z.string().max(32_000),
    base64Image,
    base64Image,
    z.string().max(32_000),
  ]),
  weights: z
    .tuple([z.number().min(0), z.number().min(0), z.number().min(0), z.number().min(0)])
    .refine((weights) => weights.some((weight) => weight > 0), {
      error: 'at least one weight must be above 0',
    }),
  ...options,
});

/** The job kinds a Kandinsky instance runs (the API has no img2img route). */
export type KandinskyJobKind = 'text2img' | 'mix2img';

/** Payload schema per job kind, for the balancer to validate jobs before storing them. */
export const kandinskyPayloadSchemas = {
  text2img: kandinskyText2ImgPayloadSchema,
  mix2img: kandinskyMix2ImgPayloadSchema,
} as const;
