import { z } from 'zod';

// Minimal schemas of AUTOMATIC1111's answers: only what genrelay reads, the rest passes.

/** `POST /sdapi/v1/txt2img` and `/img2img`. */
export const generationResponseSchema = z.object({
  /** Base64 without a `data:` prefix; null or empty with `send_images: false`. */
  images: z.array(z.string()).nullish(),
  /** `Processed.js()`: a JSON document in a string. */
  info: z.string().nullish(),
});

/** The parts of the `info` document genrelay uses. */
export const generationInfoSchema = z.object({
  seed: z.number().nullish(),
  all_seeds: z.array(z.number()).nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
  /** 1 when a grid image comes first. */
  index_of_first_image: z.number().int().nonnegative().nullish(),
});

export type GenerationInfo = z.infer<typeof generationInfoSchema>;

/** `GET /sdapi/v1/progress`. */
export const progressResponseSchema = z.object({
  progress: z.number(),
  eta_relative: z.number().nullish(),
  state: z.object({
    interrupted: z.boolean().nullish(),
    job_count: z.number(),
    job_no: z.number().nullish(),
    sampling_step: z.number().nullish(),
    sampling_steps: z.number().nullish(),
  }),
  current_image: z.string().nullish(),
  textinfo: z.string().nullish(),
  /**
   * The `force_task_id` of the job running now (1.8+). The server runs one job at a time
   * for every client, so this is what says whether the progress above is ours.
   */
  current_task: z.string().nullish(),
});

export type ProgressResponse = z.infer<typeof progressResponseSchema>;

/** `GET /sdapi/v1/sd-models`. */
export const sdModelsResponseSchema = z.array(
  z.object({ title: z.string(), model_name: z.string() }),
);
