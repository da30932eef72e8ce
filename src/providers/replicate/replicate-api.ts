import { z } from 'zod';

// Minimal schemas of Replicate's wire format: only what genrelay reads.

/** A prediction as create, get and cancel return it. */
export const predictionSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  /** A string, a list of tokens or file URLs, or anything a model returns. */
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  logs: z.string().nullish(),
  urls: z.object({ stream: z.string().optional() }).nullish(),
});

export type Prediction = z.infer<typeof predictionSchema>;

/** States after which a prediction never changes. */
export const terminalStatuses: ReadonlySet<string> = new Set([
  'succeeded',
  'failed',
  'canceled',
  'aborted',
]);

const openApiInputSchema = z.object({
  components: z.object({
    schemas: z.object({
      Input: z.object({ properties: z.record(z.string(), z.unknown()) }),
    }),
  }),
});

/** `GET /models/{owner}/{name}/versions/{id}`. */
export const versionSchema = z.object({ openapi_schema: openApiInputSchema });

/** `GET /models/{owner}/{name}`: the latest version carries the schema. */
export const modelSchema = z.object({ latest_version: versionSchema.nullish() });

/** The data of the stream's `error` event and of `done`. */
export const streamEventDataSchema = z.object({
  detail: z.string().optional(),
  reason: z.string().optional(),
});
