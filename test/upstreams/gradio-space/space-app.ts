/** One input of the app's function, as `/config` and `/info` describe it. */
interface AppInput {
  label: string;
  name: string;
  component: 'textbox' | 'slider' | 'checkbox';
  value: string | number | boolean;
}

/** The function the double serves: FLUX.1-dev's or FLUX.1-schnell's `infer`. */
export interface SpaceApp {
  apiName: string;
  /** The dependency id (`fn_index`) and the component that triggers it. */
  fnIndex: number;
  triggerId: number;
  inputs: AppInput[];
}

const prompt: AppInput = {
  label: 'Prompt',
  name: 'prompt',
  component: 'textbox',
  value: '',
};
const seed: AppInput = { label: 'Seed', name: 'seed', component: 'slider', value: 0 };
const randomize: AppInput = {
  label: 'Randomize seed',
  name: 'randomize_seed',
  component: 'checkbox',
  value: true,
};
const width: AppInput = {
  label: 'Width',
  name: 'width',
  component: 'slider',
  value: 1024,
};
const height: AppInput = {
  label: 'Height',
  name: 'height',
  component: 'slider',
  value: 1024,
};

/** black-forest-labs/FLUX.1-dev: 7 inputs, `fn_index` 2 fired by component 4. */
export const fluxDevApp: SpaceApp = {
  apiName: 'infer',
  fnIndex: 2,
  triggerId: 4,
  inputs: [
    prompt,
    seed,
    randomize,
    width,
    height,
    { label: 'Guidance Scale', name: 'guidance_scale', component: 'slider', value: 3.5 },
    {
      label: 'Number of inference steps',
      name: 'num_inference_steps',
      component: 'slider',
      value: 28,
    },
  ],
};

/** voodoohop/flux-1-schnell: 6 inputs. */
export const fluxSchnellApp: SpaceApp = {
  apiName: 'infer',
  fnIndex: 0,
  triggerId: 3,
  inputs: [
    prompt,
    seed,
    randomize,
    { ...width, value: 768 },
    { ...height, value: 768 },
    {
      label: 'Number of inference steps',
      name: 'num_inference_steps',
      component: 'slider',
      value: 2,
    },
  ],
};
