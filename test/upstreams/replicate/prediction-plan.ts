import type { DoubleModel } from './double-models.js';
import { DEFAULT_TOKENS, type ReplicateScenario } from './scenario.js';

/** When each thing happens in a prediction, in milliseconds after its creation. */
export interface PredictionPlan {
  startingMs: number;
  /** When it reaches `terminal` (unless canceled first). */
  endMs: number;
  terminal: 'succeeded' | 'failed' | 'canceled';
  /** Text models: the tokens it will produce, and when each is produced. */
  tokens: string[];
  tokenTimes: number[];
  /** Image models: denoising steps and seed, for the logs. */
  steps: number;
  seed: number;
}

const DEFAULT_STARTING_MS = 10;
const DEFAULT_TOKEN_DELAY_MS = 20;
const DEFAULT_PROCESSING_MS = 100;
const DEFAULT_SEED = 1234567;

/** The timeline a scenario gives a prediction of this model with this input. */
export function planPrediction(
  model: DoubleModel,
  scenario: ReplicateScenario,
  input: Record<string, unknown>,
): PredictionPlan {
  const startingMs =
    scenario.kind === 'succeed'
      ? (scenario.startingMs ?? DEFAULT_STARTING_MS)
      : DEFAULT_STARTING_MS;
  const ends = scenario.kind === 'fail' || scenario.kind === 'cancel-upstream';
  const terminal =
    scenario.kind === 'fail'
      ? 'failed'
      : scenario.kind === 'cancel-upstream'
        ? 'canceled'
        : 'succeeded';
  const seed =
    integer(input.seed) ?? (scenario.kind === 'succeed' ? scenario.seed : undefined);
  const common = {
    startingMs,
    terminal,
    steps: clamp(integer(input.num_inference_steps ?? input.steps) ?? 4, 1, 50),
    seed: seed ?? DEFAULT_SEED,
  } as const;

  if (model.kind === 'image') {
    const workMs =
      scenario.kind === 'succeed'
        ? (scenario.processingMs ?? DEFAULT_PROCESSING_MS)
        : ends
          ? (scenario.afterMs ?? 50)
          : DEFAULT_PROCESSING_MS;
    return { ...common, endMs: startingMs + workMs, tokens: [], tokenTimes: [] };
  }
  const all =
    scenario.kind === 'succeed' ? (scenario.tokens ?? DEFAULT_TOKENS) : DEFAULT_TOKENS;
  const delay =
    'tokenDelayMs' in scenario
      ? (scenario.tokenDelayMs ?? DEFAULT_TOKEN_DELAY_MS)
      : DEFAULT_TOKEN_DELAY_MS;
  const tokens = ends ? all.slice(0, scenario.afterTokens ?? 2) : all;
  const tokenTimes = tokens.map((_, index) => startingMs + (index + 1) * delay);
  const endMs = startingMs + (tokens.length + (ends ? 1 : 0)) * delay;
  return { ...common, endMs, tokens, tokenTimes };
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
