// Files on the pages: a file picker for a message form, the upload (declare the file with its
// SHA-256, then PUT it straight to the bucket with the headers the server signed), and the list of
// a message's files with their digests and a download button (a five-minute link, fetched when
// pressed; the bucket sends the file as a download, never to be shown in the page).
import type { FileRef } from '../../functions/domain/file-ref.js';
import { ApiError, type Child, type Field, field, h, setError } from './lib.js';

/** The server's own type: a file as a message lists it. */
export type FileRefView = FileRef;

/** Calls the API as the page's user: `tail` is under the caller's own prefix (…/cases/{caseId}). */
export type Caller = <T>(method: string, tail: string, body?: unknown) => Promise<T>;

export const MAX_FILES = 10;

/** An optional file picker for a message form. */
export function filePicker(path: string): Field {
  const f = field(path, {
    label: 'Files',
    type: 'file',
    hint: `Optional: up to ${MAX_FILES} files. Each recipient sees its name, size and SHA-256.`,
  });
  f.control.setAttribute('multiple', '');
  return f;
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The browser's guess, or a neutral type: the server takes only a plain media type. */
const typeOf = (file: File) =>
  /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(file.type) ? file.type : 'application/octet-stream';

/** Uploads the picked files; their ids for the message. Shows what went wrong on the picker and throws. */
export async function uploadPicked(picker: Field, call: Caller): Promise<string[]> {
  const files = [...((picker.control as HTMLInputElement).files ?? [])];
  setError(picker, files.length > MAX_FILES ? `Pick at most ${MAX_FILES} files` : null);
  if (files.length > MAX_FILES) throw new ApiError(413, 'Too many files', `a message may carry at most ${MAX_FILES} files`, []);
  const ids: string[] = [];
  for (const file of files) {
    const declared = {
      filename: file.name,
      contentType: typeOf(file),
      size: file.size,
      sha256: hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer())),
    };
    let grant: { attachmentId: string; uploadUrl: string; uploadHeaders: Record<string, string> };
    try {
      grant = await call('POST', '/attachments', declared);
    } catch (e) {
      if (e instanceof ApiError) setError(picker, `${file.name}: ${e.detail || e.title}`);
      throw e;
    }
    const put = await fetch(grant.uploadUrl, { method: 'PUT', headers: grant.uploadHeaders, body: file }).catch(() => null);
    if (!put?.ok) {
      setError(picker, `${file.name} could not be uploaded; try again`);
      throw new ApiError(put?.status ?? 0, 'Upload failed', `${file.name} could not be uploaded`, []);
    }
    ids.push(grant.attachmentId);
  }
  return ids;
}

const size = (n: number) =>
  n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/** A message's files: name, size, SHA-256 and a download button each. */
export function fileList(files: readonly FileRefView[] | undefined, call: Caller | null): Child {
  if (!files?.length) return null;
  return h(
    'ul',
    { class: 'files' },
    ...files.map((f) => {
      const status = h('span', { class: 'error', hidden: true });
      const button = h('button', { type: 'button', class: 'link' }, `Download ${f.filename}`);
      button.addEventListener('click', () => {
        if (!call) return;
        button.disabled = true;
        call<{ downloadUrl: string }>('GET', `/attachments/${encodeURIComponent(f.attachmentId)}`)
          .then(
            (r) => {
              status.hidden = true;
              location.assign(r.downloadUrl);
            },
            (e: unknown) => {
              status.textContent = e instanceof ApiError && e.status === 410 ? 'This file was removed.' : 'The file could not be fetched.';
              status.hidden = false;
            },
          )
          .finally(() => {
            button.disabled = false;
          });
      });
      return h(
        'li',
        { class: 'file' },
        button,
        ` · ${size(f.size)} · ${f.contentType} `,
        h('code', { class: 'sha', title: 'SHA-256' }, `SHA-256 ${f.sha256}`),
        ' ',
        status,
      );
    }),
  );
}
