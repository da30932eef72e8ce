import { createHash } from 'node:crypto';

/** The app's files (outputs and uploads), served at `{prefix}/file={path}`. */
export class FileStore {
  private readonly files = new Map<string, { bytes: Uint8Array; type: string }>();
  private counter = 0;

  constructor(private readonly fileUrl: (path: string) => string) {}

  /** Stores bytes under a Gradio-like temp path; returns their FileData. */
  store(bytes: Uint8Array, name: string, type = 'image/png'): Record<string, unknown> {
    const hash = createHash('sha256')
      .update(bytes)
      .update(String(++this.counter))
      .digest('hex');
    const path = `/tmp/gradio/${hash}/${name}`;
    this.files.set(path, { bytes, type });
    return {
      path,
      url: this.fileUrl(path),
      size: bytes.byteLength,
      orig_name: name,
      mime_type: null,
      is_stream: false,
      meta: { _type: 'gradio.FileData' },
    };
  }

  get(path: string): { bytes: Uint8Array; type: string } | undefined {
    return this.files.get(path);
  }
}
