// A draft shown as the note will read: the same Markdown renderer the published note page uses
// (functions/domain/publication/markdown-html.ts), which escapes every piece of text and makes
// links only of absolute http(s) URLs, so its output is safe to insert as HTML.
import { markdownToHtml } from '../../functions/domain/publication/markdown-html.js';

export function renderedNote(markdown: string): HTMLElement {
  const out = document.createElement('div');
  out.className = 'note-preview';
  out.innerHTML = markdownToHtml(markdown);
  return out;
}

/** The rendered note, with the Markdown source one click away. */
export function noteWithSource(markdown: string): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'draft-view';
  const source = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = 'Markdown source';
  const pre = document.createElement('pre');
  pre.className = 'draft';
  pre.tabIndex = 0;
  pre.textContent = markdown;
  source.append(summary, pre);
  wrap.append(renderedNote(markdown), source);
  return wrap;
}

/** A live preview under a Markdown text area, redrawn as the coordinator types. */
export function livePreview(textarea: HTMLTextAreaElement): HTMLElement {
  const box = document.createElement('section');
  box.className = 'live-preview';
  box.setAttribute('aria-label', 'Preview of the note');
  const title = document.createElement('h3');
  title.textContent = 'Preview';
  let view = renderedNote(textarea.value);
  box.append(title, view);
  let pending = 0;
  textarea.addEventListener('input', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      const next = renderedNote(textarea.value);
      view.replaceWith(next);
      view = next;
    });
  });
  return box;
}
