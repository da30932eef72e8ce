import { randomInt } from 'node:crypto';
import { generatedImage, gridImage, previewImage } from './double-images.js';
import { generationInfo } from './generation-info.js';
import { HttpException } from './http-exception.js';
import { floatFields } from './payload-fields.js';
import { pythonJson } from './python-json.js';
import type { WebuiState } from './webui-state.js';

/** A checkpoint as `/sdapi/v1/sd-models` lists it. */
export interface Checkpoint {
  title: string;
  model_name: string;
  hash: string;
}

export interface GenerationEnvironment {
  state: WebuiState;
  checkpoints: Checkpoint[];
  /** Loaded checkpoint, changed by `override_settings.sd_model_checkpoint`. */
  loaded: { checkpoint: Checkpoint };
  samplers: string[];
  /** Wait per sampling step; undefined: each progress poll advances one step. */
  stepDelayMs: number | undefined;
  /** `show_progress_every_n_steps`; 0 makes no previews. */
  previewEvery: number;
  /** Previews of random pixels, as heavy as real ones, instead of flat grey. */
  noisyPreviews: boolean;
  /** Aborted when the double goes down or closes: running jobs die with it. */
  life: AbortSignal;
}

/** Finds a checkpoint as `checkpoint_aliases` does: by title, name or hash. */
function findCheckpoint(checkpoints: Checkpoint[], name: string): Checkpoint | undefined {
  return checkpoints.find((checkpoint) =>
    [checkpoint.title, checkpoint.model_name, checkpoint.hash].includes(name),
  );
}

/**
 * Runs one validated txt2img or img2img request: steps with progress and previews,
 * interrupts honoured between steps (the images made so far are still returned), then
 * the response of `text2imgapi` / `img2imgapi`.
 */
export async function runGeneration(
  kind: 'txt2img' | 'img2img',
  params: Record<string, unknown>,
  environment: GenerationEnvironment,
) {
  const { state, samplers } = environment;
  const sampler = String(params.sampler_name ?? params.sampler_index);
  if (!samplers.includes(sampler)) throw new HttpException(404, 'Sampler not found');
  const wanted = (params.override_settings as Record<string, unknown>)
    .sd_model_checkpoint;
  const previous = environment.loaded.checkpoint;
  if (typeof wanted === 'string') {
    // An unknown name loads the first checkpoint, with only a warning in the server log.
    environment.loaded.checkpoint =
      findCheckpoint(environment.checkpoints, wanted) ??
      environment.checkpoints[0] ??
      previous;
  }
  const checkpoint = environment.loaded.checkpoint;
  const [batchSize, iterations, steps, width, height] = (
    ['batch_size', 'n_iter', 'steps', 'width', 'height'] as const
  ).map((name) => Number(params[name])) as [number, number, number, number, number];
  const count = batchSize * iterations;
  const seed =
    Number(params.seed) === -1 ? randomInt(4_294_967_294) : Number(params.seed);
  const subseed =
    Number(params.subseed) === -1 ? randomInt(4_294_967_294) : Number(params.subseed);
  const seeds = Array.from({ length: count }, (_, index) => seed + index);

  const task = String(params.force_task_id ?? `task(${randomInt(1e12).toString(36)})`);
  state.begin(`scripts_${kind}`, iterations, task);
  const images: Uint8Array[] = [];
  try {
    for (let iteration = 0; iteration < iterations && !state.interrupted; iteration++) {
      state.jobNo = iteration;
      state.samplingSteps = steps;
      state.samplingStep = 0;
      for (let step = 1; step <= steps && !state.interrupted; step++) {
        await state.pause(environment.stepDelayMs, environment.life);
        if (state.interrupted) break;
        state.samplingStep = step;
        if (environment.previewEvery > 0 && step % environment.previewEvery === 0) {
          state.currentImage = previewImage(
            width,
            height,
            step,
            environment.noisyPreviews,
          );
        }
      }
      // Decoding the latents takes a moment too; an interrupted batch is decoded as well.
      if (!state.interrupted)
        await state.pause(environment.stepDelayMs, environment.life);
      for (let index = 0; index < batchSize; index++) {
        images.push(
          generatedImage(width, height, seeds[iteration * batchSize + index] ?? seed),
        );
      }
    }
  } finally {
    state.end();
    if (params.override_settings_restore_afterwards === true) {
      environment.loaded.checkpoint = previous;
    }
  }

  // The API turns grids off unless samples are saved (`do_not_save_grid: not save_images`).
  const withGrid = params.save_images === true && images.length > 1;
  const output = withGrid ? [gridImage(width, height, images.length), ...images] : images;
  const info = generationInfo(kind, params, {
    seeds,
    subseed,
    sampler,
    checkpoint,
    withGrid,
    jobTimestamp: state.jobTimestamp,
  });
  const parameters =
    kind === 'img2img' && params.include_init_images !== true
      ? { ...params, init_images: null, mask: null }
      : params;
  return {
    images:
      params.send_images === false
        ? []
        : output.map((image) => Buffer.from(image).toString('base64')),
    parameters,
    info: pythonJson(info, floatFields),
  };
}
