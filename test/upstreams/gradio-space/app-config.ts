import type { SpaceApp } from './space-app.js';

/** Component ids: inputs from 10 on, then the image and the seed outputs. */
function componentIds(app: SpaceApp) {
  const inputs = app.inputs.map((_, index) => 10 + index);
  return { inputs, image: 10 + app.inputs.length, seed: 11 + app.inputs.length };
}

/** `GET /config`, with the keys Gradio's clients read. */
export function appConfig(app: SpaceApp, layout: { version: string; apiPrefix: string }) {
  const ids = componentIds(app);
  const components = [
    { id: app.triggerId, type: 'button', props: { value: 'Run', name: 'button' } },
    ...app.inputs.map((input, index) => ({
      id: ids.inputs[index],
      type: input.component,
      props: { label: input.label, value: input.value, name: input.component },
    })),
    { id: ids.image, type: 'image', props: { label: 'Result', name: 'image' } },
    { id: ids.seed, type: 'number', props: { label: 'Seed', name: 'number' } },
  ];
  return {
    version: layout.version,
    ...(layout.apiPrefix === '' ? {} : { api_prefix: layout.apiPrefix }),
    mode: 'blocks',
    app_id: 1,
    dev_mode: false,
    components,
    css: null,
    connect_heartbeat: false,
    js: null,
    head: null,
    title: 'Gradio',
    space_id: null,
    enable_queue: true,
    show_error: false,
    show_api: true,
    is_colab: false,
    max_file_size: null,
    stylesheets: [],
    theme: 'default',
    protocol: 'sse_v3',
    layout: { id: 0, children: components.map(({ id }) => ({ id })) },
    dependencies: [
      {
        id: app.fnIndex,
        targets: [
          [app.triggerId, 'click'],
          [ids.inputs[0], 'submit'],
        ],
        inputs: ids.inputs,
        outputs: [ids.image, ids.seed],
        backend_fn: true,
        js: null,
        queue: true,
        api_name: app.apiName,
        scroll_to_output: false,
        show_progress: 'full',
        batch: false,
        max_batch_size: 4,
        cancels: [],
        types: { generator: false, cancel: false },
        collects_event_data: false,
        trigger_after: null,
        trigger_only_on_success: false,
        trigger_mode: 'once',
        show_api: true,
        connection: 'sse',
        time_limit: null,
      },
    ],
    root: '',
    username: null,
  };
}

/** How `/info` describes each kind of input component. */
const apiTypes = {
  textbox: { type: 'string', python: 'str', component: 'Textbox' },
  slider: { type: 'number', python: 'float', component: 'Slider' },
  checkbox: { type: 'boolean', python: 'bool', component: 'Checkbox' },
} as const;

/** `GET {prefix}/info`. */
export function appInfo(app: SpaceApp) {
  const parameters = app.inputs.map((input) => {
    const described = apiTypes[input.component];
    const hasDefault = input.component !== 'textbox';
    return {
      label: input.label,
      parameter_name: input.name,
      parameter_has_default: hasDefault,
      parameter_default: hasDefault ? input.value : null,
      type: { type: described.type },
      python_type: { type: described.python, description: '' },
      component: described.component,
      example_input: input.value,
    };
  });
  const returns = [
    {
      label: 'Result',
      type: { type: 'object', properties: { path: { type: 'string' } } },
      python_type: { type: 'filepath', description: '' },
      component: 'Image',
    },
    {
      label: 'Seed',
      type: { type: 'number' },
      python_type: { type: 'float', description: '' },
      component: 'Number',
    },
  ];
  return {
    named_endpoints: {
      [`/${app.apiName}`]: { parameters, returns, show_api: true, description: '' },
    },
    unnamed_endpoints: {},
  };
}
