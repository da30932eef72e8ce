/**
 * The request fields of `StableDiffusionTxt2ImgProcessingAPI` and `…Img2Img…` (pydantic
 * v1 models made from the processing classes), with their defaults. A field whose default
 * is null accepts null; the others reject it, as pydantic v1 does.
 */
export type FieldType = 'int' | 'float' | 'str' | 'bool' | 'list' | 'str-list' | 'dict';

export interface FieldSpec {
  type: FieldType;
  default: unknown;
}

const common: Record<string, FieldSpec> = {
  prompt: { type: 'str', default: '' },
  negative_prompt: { type: 'str', default: '' },
  styles: { type: 'str-list', default: [] },
  seed: { type: 'int', default: -1 },
  subseed: { type: 'int', default: -1 },
  subseed_strength: { type: 'float', default: 0 },
  seed_resize_from_h: { type: 'int', default: -1 },
  seed_resize_from_w: { type: 'int', default: -1 },
  sampler_name: { type: 'str', default: null },
  scheduler: { type: 'str', default: null },
  batch_size: { type: 'int', default: 1 },
  n_iter: { type: 'int', default: 1 },
  steps: { type: 'int', default: 50 },
  cfg_scale: { type: 'float', default: 7 },
  width: { type: 'int', default: 512 },
  height: { type: 'int', default: 512 },
  restore_faces: { type: 'bool', default: null },
  tiling: { type: 'bool', default: null },
  do_not_save_samples: { type: 'bool', default: false },
  do_not_save_grid: { type: 'bool', default: false },
  eta: { type: 'float', default: null },
  denoising_strength: { type: 'float', default: 0.75 },
  s_min_uncond: { type: 'float', default: null },
  s_churn: { type: 'float', default: null },
  s_tmax: { type: 'float', default: null },
  s_tmin: { type: 'float', default: null },
  s_noise: { type: 'float', default: null },
  override_settings: { type: 'dict', default: {} },
  override_settings_restore_afterwards: { type: 'bool', default: true },
  refiner_checkpoint: { type: 'str', default: null },
  refiner_switch_at: { type: 'float', default: null },
  disable_extra_networks: { type: 'bool', default: false },
  comments: { type: 'dict', default: {} },
  force_task_id: { type: 'str', default: null },
  sampler_index: { type: 'str', default: 'Euler' },
  script_name: { type: 'str', default: null },
  script_args: { type: 'list', default: [] },
  send_images: { type: 'bool', default: true },
  save_images: { type: 'bool', default: false },
  alwayson_scripts: { type: 'dict', default: {} },
  infotext: { type: 'str', default: null },
};

export const txt2imgFields: Record<string, FieldSpec> = {
  ...common,
  enable_hr: { type: 'bool', default: false },
  firstphase_width: { type: 'int', default: 0 },
  firstphase_height: { type: 'int', default: 0 },
  hr_scale: { type: 'float', default: 2 },
  hr_upscaler: { type: 'str', default: null },
  hr_second_pass_steps: { type: 'int', default: 0 },
  hr_resize_x: { type: 'int', default: 0 },
  hr_resize_y: { type: 'int', default: 0 },
  hr_checkpoint_name: { type: 'str', default: null },
  hr_sampler_name: { type: 'str', default: null },
  hr_scheduler: { type: 'str', default: null },
  hr_prompt: { type: 'str', default: '' },
  hr_negative_prompt: { type: 'str', default: '' },
};

export const img2imgFields: Record<string, FieldSpec> = {
  ...common,
  init_images: { type: 'list', default: null },
  resize_mode: { type: 'int', default: 0 },
  image_cfg_scale: { type: 'float', default: null },
  mask: { type: 'str', default: null },
  mask_blur_x: { type: 'int', default: 4 },
  mask_blur_y: { type: 'int', default: 4 },
  mask_blur: { type: 'int', default: null },
  mask_round: { type: 'bool', default: true },
  inpainting_fill: { type: 'int', default: 0 },
  inpaint_full_res: { type: 'bool', default: true },
  inpaint_full_res_padding: { type: 'int', default: 0 },
  inpainting_mask_invert: { type: 'int', default: 0 },
  initial_noise_multiplier: { type: 'float', default: null },
  latent_mask: { type: 'str', default: null },
  include_init_images: { type: 'bool', default: false },
};

/** Fields `json.dumps` prints as floats in `info`. */
export const floatFields: ReadonlySet<string> = new Set(
  Object.entries(img2imgFields)
    .concat(Object.entries(txt2imgFields))
    .filter(([, spec]) => spec.type === 'float')
    .map(([name]) => name),
);
