/**
 * Reading a posted form (application/x-www-form-urlencoded, the only kind our pages send): the body is capped
 * before it is read to the end, and every refusal is a WebError with a status and a sentence a person can act on.
 */
import type { IncomingMessage } from 'node:http';
import { WebError } from './response.js';

/** Forms here hold a key, a name and a token: 16 KiB is ample. */
export const DEFAULT_FORM_LIMIT = 16 * 1024;

export interface FormOptions {
  /** Bytes; default 16 KiB. */
  limit?: number;
  /** A body must have arrived within this long (default 10 s), else 408. */
  timeoutMs?: number;
}

/** A posted form's fields. A field given twice is refused (no guessing which one counts). */
export class FormFields {
  constructor(private readonly fields: ReadonlyMap<string, string>) {}
  /** The field's value, or undefined when absent. */
  get(name: string): string | undefined {
    return this.fields.get(name);
  }
  /** The value trimmed; '' when absent. */
  text(name: string): string {
    return (this.fields.get(name) ?? '').trim();
  }
  has(name: string): boolean {
    return this.fields.has(name);
  }
  names(): string[] {
    return [...this.fields.keys()];
  }
}

export function parseForm(body: string): FormFields {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (fields.has(name)) throw new WebError(400, `The form sent the field "${name.slice(0, 40)}" twice. Reload the page and submit the form again.`);
    fields.set(name, value);
  }
  return new FormFields(fields);
}

function tooLarge(limit: number): WebError {
  return new WebError(413, `The form is too large (more than ${Math.round(limit / 1024)} KiB). A Stripe key is about 110 characters: paste only the key.`);
}

export async function readForm(req: IncomingMessage, options: FormOptions = {}): Promise<FormFields> {
  const limit = options.limit ?? DEFAULT_FORM_LIMIT;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new WebError(415, `This page takes forms sent as application/x-www-form-urlencoded${type ? ` (got ${type.slice(0, 60)})` : ' (the request named no Content-Type)'}. Submit the form from the page.`);
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume(); // drain what is sent so the answer reaches the browser
    throw tooLarge(limit);
  }
  const body = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: WebError | undefined, text?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        req.resume();
        reject(err);
      } else resolve(text!);
    };
    const timer = setTimeout(() => finish(new WebError(408, 'The form took too long to arrive. Submit it again.')), options.timeoutMs ?? 10_000);
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) return finish(tooLarge(limit));
      chunks.push(chunk);
    });
    req.on('end', () => finish(undefined, Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => finish(new WebError(400, 'The form did not arrive whole. Submit it again.')));
    req.on('aborted', () => finish(new WebError(400, 'The form did not arrive whole. Submit it again.')));
  });
  return parseForm(body);
}
