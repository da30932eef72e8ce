import {
  CanceledError,
  type GenRelayError,
  ModelNotFoundError,
  toGenRelayError,
  UpstreamError,
} from '../core/errors.js';
import type { GenerationKind, GenerationRequest } from '../core/generation-request.js';
import { mergeMedia } from '../core/media.js';
import { catalogNames, resolveModel } from '../core/model-catalog.js';
import { type FinishPart, isContentPart, type StreamPart } from '../core/stream-part.js';
import type { CallOptions, Provider } from '../providers/provider.js';
import { type AttemptFailure, fallbackError } from './fallback-error.js';
import type { ProviderHealth } from './provider-health.js';

/** One provider to try, with the model id it knows the requested model by. */
export interface RouteCandidate {
  provider: Provider;
  model: string;
}

/** A model as `/v1/models` lists it: its name, what it does, who serves it. */
export interface ModelListing {
  id: string;
  kind: GenerationKind;
  providers: string[];
}

/** A call through the router; `prefer` names the instance to try first (the balancer's slot). */
export interface RouteCallOptions extends CallOptions {
  prefer?: string;
}

export interface RouterOptions {
  /** Model name → instance names to try, in order, overriding the default order. */
  routes?: Readonly<Record<string, readonly string[]>>;
  health: ProviderHealth;
}

/**
 * Turns a model name into providers to try and runs the request on them in turn. It falls
 * back only while nothing has been shown to the caller: once a provider has produced
 * content, its failure is the request's failure, so two answers are never mixed.
 */
export class Router {
  private readonly routes: Readonly<Record<string, readonly string[]>>;

  constructor(
    readonly providers: readonly Provider[],
    private readonly options: RouterOptions,
  ) {
    this.routes = options.routes ?? {};
  }

  get health(): ProviderHealth {
    return this.options.health;
  }

  /** The providers to try for a request, healthy ones first; throws ModelNotFoundError. */
  async route(
    request: GenerationRequest,
    options: RouteCallOptions,
  ): Promise<RouteCandidate[]> {
    const withImages = mergeMedia(request).length > 0;
    const configured = this.routes[request.model];
    const providers =
      configured === undefined
        ? this.providers
        : configured
            .map((id) => this.providers.find((provider) => provider.id === id))
            .filter((provider) => provider !== undefined);
    const catalogs = await Promise.all(
      providers.map((provider) => provider.models(options)),
    );
    const candidates: RouteCandidate[] = [];
    providers.forEach((provider, index) => {
      const catalog = catalogs[index];
      if (catalog === undefined) return;
      const resolved = resolveModel(catalog, request.model, request.kind, withImages);
      // A configured route is the operator's word: the name is passed on as written.
      const model =
        resolved ??
        (configured !== undefined && request.model !== '' ? request.model : undefined);
      if (model !== undefined) candidates.push({ provider, model });
    });
    if (candidates.length === 0) {
      const known = new Set(
        catalogs.flatMap((catalog) => catalogNames(catalog, request.kind)),
      );
      throw new ModelNotFoundError(request.model, [...known].sort(), {
        kind: request.kind,
      });
    }
    const healthy = candidates.filter(
      ({ provider }) => !this.health.isCoolingDown(provider.id),
    );
    // When every candidate is cooling down, trying them beats refusing outright.
    const ordered = healthy.length > 0 ? healthy : candidates;
    const preferred = ordered.findIndex(({ provider }) => provider.id === options.prefer);
    if (preferred > 0) ordered.unshift(...ordered.splice(preferred, 1));
    return ordered;
  }

  /** Runs the request with fallback; emits a `provider` part before each attempt. */
  async *generate(
    request: GenerationRequest,
    options: RouteCallOptions,
  ): AsyncGenerator<StreamPart> {
    const candidates = await this.route(request, options);
    const failures: AttemptFailure[] = [];
    for (const { provider, model } of candidates) {
      if (options.signal.aborted) throw new CanceledError();
      yield { type: 'provider', provider: provider.id, model, label: provider.label };
      let started = false;
      // A finish without content is held back: the next provider may still answer.
      let finish: FinishPart | undefined;
      try {
        for await (const part of provider.generate(
          { ...request, model },
          { signal: options.signal },
        )) {
          if (part.type === 'finish' && !started) {
            finish = part;
            continue;
          }
          if (!started && isContentPart(part)) started = true;
          yield part;
        }
      } catch (thrown) {
        const error = options.signal.aborted
          ? new CanceledError()
          : toGenRelayError(thrown);
        if (error.code === 'canceled') throw error;
        this.health.recordFailure(provider.id, error);
        if (started) throw error;
        failures.push({ provider: provider.id, error });
        yield failurePart(provider.id, error);
        continue;
      }
      if (started || finish?.reason === 'content-filter') {
        this.health.recordSuccess(provider.id);
        if (finish !== undefined) yield finish;
        return;
      }
      const empty = new UpstreamError(`${provider.id} answered with no content`, {
        provider: provider.id,
        retryable: true,
      });
      failures.push({ provider: provider.id, error: empty });
      yield failurePart(provider.id, empty);
    }
    throw fallbackError(request.model, failures);
  }

  /** Every model and alias some provider serves, with the providers that serve it. */
  async listModels(options: CallOptions): Promise<ModelListing[]> {
    const listings = new Map<string, ModelListing>();
    const catalogs = await Promise.all(
      this.providers.map((provider) => provider.models(options)),
    );
    this.providers.forEach((provider, index) => {
      const catalog = catalogs[index];
      if (catalog === undefined) return;
      for (const kind of ['chat', 'image'] as const) {
        for (const id of catalogNames(catalog, kind)) {
          const key = `${kind}:${id}`;
          const listing = listings.get(key) ?? { id, kind, providers: [] };
          listing.providers.push(provider.id);
          listings.set(key, listing);
        }
      }
    });
    for (const [id, providers] of Object.entries(this.routes)) {
      if (![...listings.values()].some((listing) => listing.id === id)) {
        listings.set(`route:${id}`, { id, kind: 'chat', providers: [...providers] });
      }
    }
    return [...listings.values()];
  }
}

function failurePart(provider: string, error: GenRelayError): StreamPart {
  return {
    type: 'error',
    fatal: false,
    provider,
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  };
}
