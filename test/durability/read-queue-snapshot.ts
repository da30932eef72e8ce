import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** One job as the store held it on disk. */
export interface StoredJob {
  requestId: string;
  state: string;
  attempts: number;
  /** The stored image keys of a succeeded job. */
  imageKeys: string[];
}

/**
 * The jobs in `<dataDir>/jobs.sqlite` as a killed process left them: the database and its
 * WAL are copied and read aside (SQLite rebuilds the shared-memory index from the WAL), so
 * the restarted server still finds the files exactly as the kill left them.
 */
export async function readQueueSnapshot(dataDir: string): Promise<StoredJob[]> {
  const folder = await mkdtemp(join(tmpdir(), 'genrelay-snapshot-'));
  try {
    const copy = join(folder, 'jobs.sqlite');
    await copyFile(join(dataDir, 'jobs.sqlite'), copy);
    await copyFile(join(dataDir, 'jobs.sqlite-wal'), `${copy}-wal`).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      },
    );
    const database = new Database(copy);
    try {
      const rows = database
        .prepare('SELECT request_id, state, attempts, result FROM jobs ORDER BY seq')
        .all() as {
        request_id: string;
        state: string;
        attempts: number;
        result: string | null;
      }[];
      return rows.map((row) => ({
        requestId: row.request_id,
        state: row.state,
        attempts: row.attempts,
        imageKeys: imageKeys(row.result),
      }));
    } finally {
      database.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function imageKeys(result: string | null): string[] {
  if (result === null) return [];
  const parsed = JSON.parse(result) as { images?: { key: string }[] } | null;
  return (parsed?.images ?? []).map((image) => image.key);
}
