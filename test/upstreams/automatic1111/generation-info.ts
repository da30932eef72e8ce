import type { Checkpoint } from './run-generation.js';

const version = 'v1.10.1';

/** What a run decided, beyond its request fields. */
export interface RunFacts {
  seeds: number[];
  subseed: number;
  sampler: string;
  checkpoint: Checkpoint;
  withGrid: boolean;
  jobTimestamp: string;
}

/**
 * The document `Processed.js()` makes, which the API sends as the `info` string: the
 * request as run, with a seed and an infotext per image.
 */
export function generationInfo(
  kind: 'txt2img' | 'img2img',
  params: Record<string, unknown>,
  run: RunFacts,
) {
  const { seeds } = run;
  const prompt = String(params.prompt);
  const negative = String(params.negative_prompt);
  return {
    prompt,
    all_prompts: seeds.map(() => prompt),
    negative_prompt: negative,
    all_negative_prompts: seeds.map(() => negative),
    seed: seeds[0],
    all_seeds: seeds,
    subseed: run.subseed,
    all_subseeds: seeds.map((_, index) => run.subseed + index),
    subseed_strength: params.subseed_strength,
    width: params.width,
    height: params.height,
    sampler_name: run.sampler,
    cfg_scale: params.cfg_scale,
    steps: params.steps,
    batch_size: params.batch_size,
    restore_faces: params.restore_faces ?? false,
    face_restoration_model: null,
    sd_model_name: run.checkpoint.model_name,
    sd_model_hash: run.checkpoint.hash,
    sd_vae_name: null,
    sd_vae_hash: null,
    seed_resize_from_w: -1,
    seed_resize_from_h: -1,
    denoising_strength:
      kind === 'img2img' || params.enable_hr === true ? params.denoising_strength : null,
    extra_generation_params: {},
    index_of_first_image: run.withGrid ? 1 : 0,
    infotexts: seeds.map((imageSeed) => {
      const negativeLine = negative === '' ? '' : `\nNegative prompt: ${negative}`;
      return (
        `${prompt}${negativeLine}\nSteps: ${params.steps}, Sampler: ${run.sampler}, ` +
        `CFG scale: ${params.cfg_scale}, Seed: ${imageSeed}, Size: ${params.width}x${params.height}, ` +
        `Model hash: ${run.checkpoint.hash}, Model: ${run.checkpoint.model_name}, Version: ${version}`
      );
    }),
    styles: params.styles,
    job_timestamp: run.jobTimestamp,
    clip_skip: 1,
    is_using_inpainting_conditioning: false,
    version,
  };
}
