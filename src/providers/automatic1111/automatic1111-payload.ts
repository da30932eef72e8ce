import { z } from 'zod';

/**
 * The request bodies of AUTOMATIC1111's `/sdapi/v1/txt2img` and `/img2img`, as genrelay
 * accepts them from callers (jobs API, balancer). The fields every caller uses are typed
 * and bounded; the rest of the API's fields (hires fix details, inpainting, extensions'
 * `alwayson_scripts`, …) pass through unchanged and the upstream judges them (a 422 that
 * names the field). Images must be base64 or data URIs: a URL would make the GPU server
 * fetch whatever address a caller names.
 */

/** The largest side genrelay sends or accepts. */
export const maxSide = 4096;
/** The most init images an img2img job takes. */
export const maxInitImages = 16;
/** The most images one job makes (`batch_size × n_iter`): one job holds one GPU. */
const maxImagesPerJob = 64;

const side = z.number().int().min(64).max(maxSide);
const checkpoint = z.string().min(1);

/** Base64 or a `data:image/…;base64,` URI; never a URL. */
const inlineImage = z
  .string()
  .min(1)
  .refine((value) => !/^https?:\/\//i.test(value), {
    error: 'must be base64 or a data URI, not a URL',
  });

const commonFields = {
  prompt: z.string().max(32_000).optional(),
  negative_prompt: z.string().max(32_000).optional(),
  styles: z.array(z.string()).optional(),
  /** -1 picks a random seed. */
  seed: z
    .number()
    .int()
    .min(-1)
    .max(2 ** 32 - 1)
    .optional(),
  subseed: z
    .number()
    .int()
    .min(-1)
    .max(2 ** 32 - 1)
    .optional(),
  subseed_strength: z.number().min(0).max(1).optional(),
  sampler_name: z.string().min(1).nullish(),
  sampler_index: z.string().min(1).optional(),
  scheduler: z.string().min(1).nullish(),
  batch_size: z.number().int().min(1).max(64).optional(),
  n_iter: z.number().int().min(1).max(100).optional(),
  steps: z.number().int().min(1).max(500).optional(),
  cfg_scale: z.number().min(0).max(100).optional(),
  width: side.optional(),
  height: side.optional(),
  restore_faces: z.boolean().nullish(),
  tiling: z.boolean().nullish(),
  denoising_strength: z.number().min(0).max(1).optional(),
  override_settings: z
    .looseObject({ sd_model_checkpoint: checkpoint.optional() })
    .optional(),
  override_settings_restore_afterwards: z.boolean().optional(),
  send_images: z.boolean().optional(),
  save_images: z.boolean().optional(),
  script_name: z.string().nullish(),
  script_args: z.array(z.unknown()).optional(),
  alwayson_scripts: z.record(z.string(), z.unknown()).optional(),
};

/** Each bound alone allows 6,400 images; the product is what the GPU makes. */
const imagesPerJob = {
  check: (payload: { batch_size?: number | undefined; n_iter?: number | undefined }) =>
    (payload.batch_size ?? 1) * (payload.n_iter ?? 1) <= maxImagesPerJob,
  params: {
    error: `batch_size × n_iter must be at most ${maxImagesPerJob} images`,
    path: ['n_iter'],
  },
};

export const automatic1111Txt2ImgPayloadSchema = z
  .looseObject({
    ...commonFields,
    enable_hr: z.boolean().optional(),
    hr_scale: z.number().min(1).max(8).optional(),
    hr_upscaler: z.string().nullish(),
    hr_second_pass_steps: z.number().int().min(0).max(500).optional(),
    hr_resize_x: z.number().int().min(0).max(8192).optional(),
    hr_resize_y: z.number().int().min(0).max(8192).optional(),
  })
  .refine(imagesPerJob.check, imagesPerJob.params);

export const automatic1111Img2ImgPayloadSchema = z
  .looseObject({
    ...commonFields,
    init_images: z.array(inlineImage).min(1).max(maxInitImages),
    mask: inlineImage.nullish(),
    resize_mode: z.number().int().min(0).max(3).optional(),
    image_cfg_scale: z.number().min(0).max(100).nullish(),
    inpainting_fill: z.number().int().min(0).max(3).optional(),
    include_init_images: z.boolean().optional(),
  })
  .refine(imagesPerJob.check, imagesPerJob.params);

/** The job kinds an AUTOMATIC1111 instance runs, and the endpoint of each. */
export type Automatic1111JobKind = 'text2img' | 'img2img';

/** Payload schema per job kind, for the balancer to validate jobs before storing them. */
export const automatic1111PayloadSchemas = {
  text2img: automatic1111Txt2ImgPayloadSchema,
  img2img: automatic1111Img2ImgPayloadSchema,
} as const;
