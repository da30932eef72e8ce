import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import { type Cookies, sessionCookieName } from './cookie-header.js';

const cachedAuthSchema = z.object({
  baseUrl: z.string(),
  cookies: z.record(z.string(), z.string()),
  savedAt: z.string(),
});

/**
 * The cookies that last worked for one account (one configured session cookie on one
 * chat-ui), kept in the data folder so what the upstream set (a refreshed or replaced
 * session) survives a restart. Files are readable by their owner only: they hold a
 * session. Failing to read or write the cache never fails a generation.
 */
export class AuthCache {
  private readonly folder: string;

  constructor(
    dataDir: string,
    private readonly baseUrl: string,
    private readonly logger: Logger,
  ) {
    this.folder = join(dataDir, 'huggingchat');
  }

  /** One file per account: the configured session cookie names it, hashed. */
  file(configured: Cookies): string {
    const session = configured[sessionCookieName] ?? '';
    const key = createHash('sha256')
      .update(`${this.baseUrl}\n${session}`)
      .digest('hex')
      .slice(0, 16);
    return join(this.folder, `auth-${key}.json`);
  }

  async load(configured: Cookies): Promise<Cookies | undefined> {
    const file = this.file(configured);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = cachedAuthSchema.safeParse(safeJson(text));
    if (
      !parsed.success ||
      parsed.data.baseUrl !== this.baseUrl ||
      !parsed.data.cookies[sessionCookieName]
    ) {
      this.logger.warn({ file }, 'invalid HuggingChat auth cache; removing it');
      await this.remove(file);
      return undefined;
    }
    return parsed.data.cookies;
  }

  async save(configured: Cookies, cookies: Cookies): Promise<void> {
    const file = this.file(configured);
    const body = JSON.stringify({
      baseUrl: this.baseUrl,
      cookies,
      savedAt: new Date().toISOString(),
    });
    // A name of its own, so two generations saving at once never share a half-written file.
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      await mkdir(this.folder, { recursive: true, mode: 0o700 });
      await writeFile(temporary, body, { mode: 0o600, flag: 'wx' });
      await rename(temporary, file);
    } catch (error) {
      this.logger.warn({ file, error: String(error) }, 'could not save HuggingChat auth');
      await this.remove(temporary);
    }
  }

  async clear(configured: Cookies): Promise<void> {
    await this.remove(this.file(configured));
  }

  private async remove(file: string): Promise<void> {
    await rm(file, { force: true }).catch(() => undefined);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
