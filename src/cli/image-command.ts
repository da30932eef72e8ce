import { type Command, Option } from 'commander';
import { aspectRatioSizes } from '../core/aspect-ratio.js';
import type { GenerationRequest } from '../core/generation-request.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { configOption, jsonOption } from './common-options.js';
import { createImagePrinter } from './image-printer.js';
import { createImageSaver } from './image-saver.js';
import { integerOption } from './option-parsers.js';
import { runGeneration } from './run-generation.js';
import { withJsonErrors } from './with-json-errors.js';
import { withRuntime } from './with-runtime.js';

interface ImageOptions {
  model?: string;
  aspectRatio?: string;
  width?: number;
  height?: number;
  seed?: number;
  count?: number;
  output?: string;
  config?: string;
  json?: boolean;
}

/** Largest side and count accepted; beyond them no upstream answers anyway. */
const maximumSide = 8192;
const maximumCount = 10;

function imageRequest(prompt: string, options: ImageOptions): GenerationRequest {
  if (prompt.trim() === '') throw new CliError('The prompt is empty.');
  const { model, aspectRatio, width, height, seed, count } = options;
  return {
    kind: 'image',
    model: model ?? '',
    messages: [{ role: 'user', content: prompt }],
    prompt,
    ...(aspectRatio === undefined ? {} : { aspectRatio }),
    ...(width === undefined ? {} : { width }),
    ...(height === undefined ? {} : { height }),
    ...(seed === undefined ? {} : { seed }),
    ...(count === undefined ? {} : { count }),
  };
}

/** `genrelay image "prompt"`: generates in this process and saves the images to files. */
export function addImageCommand(program: Command, io: CliIo): void {
  const ratios = Object.keys(aspectRatioSizes);
  program
    .command('image')
    .description('generate images for a prompt and save them to files')
    .argument('<prompt>', 'what to draw')
    .option('-m, --model <name>', 'model or alias (default: the first image model)')
    .addOption(new Option('-a, --aspect-ratio <ratio>', 'aspect ratio').choices(ratios))
    .option('--width <pixels>', 'width in pixels', integerOption(1, maximumSide))
    .option('--height <pixels>', 'height in pixels', integerOption(1, maximumSide))
    .option('--seed <number>', 'seed, for a repeatable image', integerOption(0))
    .option('-n, --count <number>', 'how many images', integerOption(1, maximumCount))
    .option('-o, --output <file>', 'file to write (default: ./genrelay-<time>.<ext>)')
    .addOption(configOption())
    .addOption(jsonOption())
    .action((prompt: string, options: ImageOptions) =>
      withJsonErrors(io, options.json, async () => {
        const request = imageRequest(prompt, options);
        const save = createImageSaver({
          output: options.output,
          cwd: io.cwd,
          count: request.count ?? 1,
        });
        await withRuntime(
          { config: options.config, purpose: 'command' },
          io,
          async (runtime) => {
            const printer = createImagePrinter(io, save, options.json === true);
            try {
              await runGeneration(runtime, request, io, (part) => printer.write(part));
            } finally {
              printer.end();
            }
          },
        );
      }),
    );
}
