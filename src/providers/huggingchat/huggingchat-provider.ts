import {
  AuthenticationError,
  GenRelayError,
  InvalidRequestError,
} from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import type { Logger } from '../../core/logger.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import type { StreamPart } from '../../core/stream-part.js';
import type { FetchedImage } from '../../http/fetch-media.js';
import type { CallOptions, Provider } from '../provider.js';
import type { ProviderContext } from '../provider-factory.js';
import { AuthCache } from './auth-cache.js';
import type { Cookies } from './cookie-header.js';
import {
  type GenerationDeadline,
  startGenerationDeadline,
} from './generation-deadline.js';
import { HuggingChatModels } from './huggingchat-models.js';
import type { HuggingChatSettings } from './huggingchat-settings.js';
import { runTurn } from './huggingchat-turn.js';
import { type ChatUiSession, HuggingChatUpstream } from './huggingchat-upstream.js';
import { loginHelp } from './login-help.js';
import { prepareImages } from './prepare-images.js';
import { resolveCredentials } from './resolve-credentials.js';

/**
 * chat-ui refuses a session it does not know with 401. A 403 is something else (the CSRF
 * check's "Invalid referer"), which a login would not fix: it stays a permission error.
 */
const isAuthFailure = (error: unknown): error is GenRelayError =>
  GenRelayError.isInstance(error) && error.code === 'authentication_failed';

/** huggingface.co/chat or any self-hosted chat-ui, through its conversation protocol. */
export class HuggingChatProvider implements Provider {
  readonly type = 'huggingchat';
  readonly label: string;
  private readonly upstream: HuggingChatUpstream;
  private readonly catalog: HuggingChatModels;
  private readonly authCache: AuthCache;
  private readonly logger: Logger;

  constructor(
    readonly id: string,
    private readonly settings: HuggingChatSettings,
    private readonly context: ProviderContext,
  ) {
    this.upstream = new HuggingChatUpstream(id, settings.baseUrl, context.http);
    this.label = `HuggingChat (${new URL(this.upstream.root).host})`;
    this.logger = context.logger;
    this.catalog = new HuggingChatModels(this.upstream, settings, context.logger);
    this.authCache = new AuthCache(context.dataDir, this.upstream.root, context.logger);
  }

  models(options: CallOptions): Promise<ModelCatalog> {
    return this.catalog.catalog(options);
  }

  async *generate(
    request: GenerationRequest,
    options: CallOptions,
  ): AsyncGenerator<StreamPart> {
    if (request.kind !== 'chat') {
      throw new InvalidRequestError(`huggingchat "${this.id}" serves chat models only.`, {
        param: 'model',
        provider: this.id,
      });
    }
    const deadline = startGenerationDeadline(options.signal, {
      totalMs: this.settings.timeoutMs,
      idleMs: this.settings.idleTimeoutMs,
      what: `the reply of huggingchat "${this.id}"`,
    });
    try {
      const catalog = () => this.catalog.catalog({ signal: deadline.signal });
      const images = await prepareImages(request, catalog, this.id, {
        signal: deadline.signal,
        allowPrivateAddresses: this.context.allowPrivateMediaUrls === true,
      });
      yield* this.withLogin(request, images, deadline);
    } finally {
      deadline.clear();
    }
  }

  /**
   * Runs the turn with the cached session, else the configured cookies. An authentication
   * failure before any output clears the cache; after a cached session, it tries once more
   * with the configured cookies (read afresh). A refusal of the configured cookies is an
   * AuthenticationError saying what to do.
   */
  private async *withLogin(
    request: GenerationRequest,
    images: FetchedImage[],
    deadline: GenerationDeadline,
  ): AsyncGenerator<StreamPart> {
    const host = new URL(this.upstream.root).hostname;
    const loginUrl = `${this.upstream.root}/login`;
    const loginRequired: StreamPart = {
      type: 'login-required',
      provider: this.id,
      url: loginUrl,
    };
    for (let attempt = 1; ; attempt++) {
      const credentials = await resolveCredentials(
        this.id,
        this.settings,
        this.context.env,
        host,
      );
      if (!credentials.found) {
        yield loginRequired;
        throw new AuthenticationError(
          `huggingchat "${this.id}" has no session: ${credentials.problem}. ${loginHelp(this.id, this.settings, loginUrl)}`,
          { provider: this.id },
        );
      }
      const configured = credentials.cookies;
      const cached = attempt === 1 ? await this.authCache.load(configured) : undefined;
      const session: ChatUiSession = { cookies: { ...(cached ?? configured) } };
      let started = false;
      try {
        const turn = runTurn(this.upstream, request, {
          session,
          images,
          deadline,
          replyTimeoutMs: this.settings.timeoutMs,
          logger: this.logger,
        });
        for await (const part of turn) {
          // The session works: keep what the upstream set, for next time.
          if (!started) {
            started = true;
            await this.keepChanges(configured, session);
          }
          yield part;
        }
        await this.keepChanges(configured, session);
        return;
      } catch (error) {
        if (started || !isAuthFailure(error)) throw error;
        await this.authCache.clear(configured);
        if (cached !== undefined) {
          this.logger.info(
            { provider: this.id, error: String(error) },
            'HuggingChat refused the cached session; trying once more with the configured cookies',
          );
          continue;
        }
        yield loginRequired;
        throw new AuthenticationError(
          `${error.message} (session cookies from ${credentials.source}). ${loginHelp(this.id, this.settings, loginUrl)}`,
          { provider: this.id, cause: error },
        );
      }
    }
  }

  /** Saves the session when the upstream's Set-Cookie changed it; else the file stays. */
  private async keepChanges(configured: Cookies, session: ChatUiSession): Promise<void> {
    if (session.changed !== true) return;
    session.changed = false;
    await this.authCache.save(configured, session.cookies);
  }
}
