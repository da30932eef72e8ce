/**
 * The payloads executors take, in their own API's fields (the server checks them and
 * names a bad field). Fields not listed here pass through to the upstream unchanged.
 */

/** AUTOMATIC1111 `/sdapi/v1/txt2img` (the fields most callers use). */
export interface Automatic1111Txt2ImgPayload {
  prompt?: string;
  negative_prompt?: string;
  styles?: string[];
  /** -1 picks a random seed. */
  seed?: number;
  subseed?: number;
  subseed_strength?: number;
  sampler_name?: string;
  sampler_index?: string;
  scheduler?: string;
  batch_size?: number;
  n_iter?: number;
  steps?: number;
  cfg_scale?: number;
  width?: number;
  height?: number;
  restore_faces?: boolean;
  tiling?: boolean;
  denoising_strength?: number;
  override_settings?: { sd_model_checkpoint?: string; [setting: string]: unknown };
  enable_hr?: boolean;
  hr_scale?: number;
  hr_upscaler?: string;
  hr_second_pass_steps?: number;
  hr_resize_x?: number;
  hr_resize_y?: number;
  [field: string]: unknown;
}

/** AUTOMATIC1111 `/sdapi/v1/img2img`: images as base64 or data URIs, never URLs. */
export interface Automatic1111Img2ImgPayload
  extends Omit<
    Automatic1111Txt2ImgPayload,
    | 'enable_hr'
    | 'hr_scale'
    | 'hr_upscaler'
    | 'hr_second_pass_steps'
    | 'hr_resize_x'
    | 'hr_resize_y'
  > {
  init_images: string[];
  mask?: string;
  resize_mode?: number;
  image_cfg_scale?: number;
  inpainting_fill?: number;
  include_init_images?: boolean;
}

type KandinskySampler = 'p_sampler' | 'ddim_sampler' | 'plms_sampler';

interface KandinskyOptions {
  steps?: number;
  /** 1 ignores the prompt; 30 follows it closely. */
  guidance_scale?: number;
  width?: number;
  height?: number;
  sampler?: KandinskySampler;
  prior_cf_scale?: number;
  prior_steps?: string | number;
  negative_prior_prompt?: string;
  negative_decoder_prompt?: string;
}

/** The devoidai Kandinsky 2.1 API's `/text2img`. Unknown fields are refused. */
export interface KandinskyText2ImgPayload extends KandinskyOptions {
  prompt: string;
}

/** Kandinsky's `/mix2images`: [text, base64 image, base64 image, text] and four weights. */
export interface KandinskyMix2ImgPayload extends KandinskyOptions {
  images_texts: [string, string, string, string];
  weights: [number, number, number, number];
}

/** A model's image job: the OpenAI images request without `model` and `response_format`. */
export interface ModelImagePayload {
  prompt: string;
  n?: number;
  size?: string;
  quality?: string;
  style?: string;
  [field: string]: unknown;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | { type: string; [field: string]: unknown }[];
}

/** A chat job: the OpenAI chat request without `model` and `stream`. */
export interface ChatPayload {
  messages: ChatMessage[];
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  [field: string]: unknown;
}
