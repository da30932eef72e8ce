import { makePng } from '../png.js';
import {
  estimation,
  type ScriptContext,
  type ScriptStep,
  type SpaceJob,
} from './job-script.js';
import type { GradioScenario } from './scenario.js';
import { pause } from './space-http.js';

const previewColour: [number, number, number] = [200, 80, 40];

/**
 * A job that works: queue estimations, toasts, start, progress, previews, then the image
 * (a PNG of the requested size) and the seed, each after a short pause.
 */
export async function* successScript(
  job: SpaceJob,
  scenario: Extract<GradioScenario, { kind: 'success' }>,
  context: ScriptContext,
): AsyncGenerator<ScriptStep> {
  const signal = job.stop.signal;
  const delay = scenario.stepDelayMs ?? 2;
  const paced = async function* (steps: ScriptStep[]) {
    for (const step of steps) {
      if (!(await pause(delay, signal))) return;
      yield step;
    }
  };
  const [, seed, randomize, width, height] = job.data as [
    string,
    number,
    boolean,
    number,
    number,
  ];
  const steps = Number(job.data.at(-1)) || 1;
  const ahead = scenario.queueAhead ?? 1;
  const queued: ScriptStep[] = [];
  for (let rank = ahead; rank >= 0; rank--)
    queued.push({ message: estimation(rank, ahead) });
  const logs = (scenario.logs ?? []).map((log) => ({
    message: { msg: 'log', log, level: 'info', duration: 10, visible: true, title: null },
  }));
  const progressSteps = scenario.progressSteps ?? 3;
  const progress = Array.from({ length: progressSteps }, (_, index) => ({
    message: {
      msg: 'progress',
      progress_data: [
        {
          index: Math.round(((index + 1) / progressSteps) * steps),
          length: steps,
          unit: 'steps',
          progress: null,
          desc: null,
        },
      ],
    },
  }));
  yield* paced([
    ...queued,
    ...logs,
    { message: { msg: 'process_starts', eta: 5.0 } },
    ...progress,
  ]);
  yield* paced(previewSteps(scenario.previews ?? 'full-then-diff', context));
  const image = context.storeFile(makePng(width, height), 'image.png');
  const usedSeed = randomize ? context.randomSeed : seed;
  yield* paced([
    {
      message: {
        msg: 'process_completed',
        output: {
          data: [image, usedSeed],
          is_generating: false,
          duration: 0.1,
          average_duration: 0.1,
          render_config: null,
          changed_state_ids: [],
        },
        success: true,
        title: null,
      },
    },
  ]);
}

function previewSteps(
  previews: 'none' | 'full' | 'full-then-diff' | 'diff-first',
  context: ScriptContext,
): ScriptStep[] {
  if (previews === 'none') return [];
  const first = context.storeFile(makePng(16, 16, previewColour), 'preview-1.png');
  const second = context.storeFile(makePng(16, 16, previewColour), 'preview-2.png');
  const generating = (data: unknown[], fullOutput: unknown[]): ScriptStep => ({
    message: {
      msg: 'process_generating',
      output: { data, is_generating: true },
      success: true,
    },
    fullOutput,
  });
  const diff = [
    [
      ['replace', ['path'], second.path],
      ['replace', ['url'], second.url],
      ['replace', ['orig_name'], 'preview-2.png'],
    ],
    [],
  ];
  const full = (file: Record<string, unknown>) => [file, null];
  if (previews === 'full') return [generating(full(first), full(first))];
  if (previews === 'diff-first') return [generating(diff, full(second))];
  return [generating(full(first), full(first)), generating(diff, full(second))];
}
