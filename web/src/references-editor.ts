// The vendor's references on its status form: rows of link, kind and summary, added and removed.
// The page checks the links as the API does (functions/domain/vendor-references.ts); the API has
// the last word on everything else.
import {
  KIND_LABELS,
  MAX_REFERENCE_SUMMARY,
  MAX_VENDOR_REFERENCES,
  REFERENCE_KINDS,
  type VendorReference,
  vendorReferenceUrl,
} from '../../functions/domain/vendor-references.js';
import { type Field, append, field, h, setError } from './lib.js';

interface Row {
  el: HTMLFieldSetElement;
  url: Field;
  kind: Field;
  summary: Field;
}

export interface ReferencesEditor {
  wrap: HTMLElement;
  /** The references to send, or null when a row is wrong (its error shown, its link focused). */
  value(): VendorReference[] | null;
}

const KIND_OPTIONS = REFERENCE_KINDS.map((k): [string, string] => [k, KIND_LABELS[k][0]?.toUpperCase() + KIND_LABELS[k].slice(1)]);

export function referencesEditor(initial: readonly VendorReference[]): ReferencesEditor {
  const rows: Row[] = [];
  const list = h('div', { class: 'references' });
  const addButton = h('button', { type: 'button', class: 'secondary' }, 'Add a reference');

  function renumber(): void {
    rows.forEach((r, i) => {
      const legend = r.el.querySelector('legend');
      if (legend) legend.textContent = `Reference ${i + 1}`;
    });
    addButton.hidden = rows.length >= MAX_VENDOR_REFERENCES;
  }

  function add(r?: VendorReference, focus = false): void {
    const url = field('references.url', {
      label: 'Link (https)',
      type: 'url',
      placeholder: 'https://example.com/security/advisories/1',
      value: r?.url ?? '',
    });
    const kind = field('references.kind', { label: 'Kind', options: KIND_OPTIONS, value: r?.kind ?? 'advisory' });
    const summary = field('references.summary', {
      label: 'Summary (optional)',
      maxlength: MAX_REFERENCE_SUMMARY,
      placeholder: 'Version 4.2.3 fixes the vulnerability',
      value: r?.summary ?? '',
    });
    const row: Row = { el: h('fieldset', { class: 'reference' }), url, kind, summary };
    const remove = h('button', { type: 'button', class: 'secondary small' }, 'Remove this reference');
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(row), 1);
      row.el.remove();
      renumber();
      (rows[0]?.url.control ?? addButton).focus();
    });
    append(row.el, [h('legend', {}, 'Reference'), url.wrap, kind.wrap, summary.wrap, remove]);
    rows.push(row);
    list.append(row.el);
    renumber();
    if (focus) url.control.focus();
  }

  for (const r of initial) add(r);
  addButton.addEventListener('click', () => add(undefined, true));
  renumber();

  const wrap = h(
    'fieldset',
    { class: 'group' },
    h('legend', {}, 'References for the note'),
    h(
      'p',
      { class: 'hint' },
      `Your advisory, the fixed release's notes, a patch: up to ${MAX_VENDOR_REFERENCES} https links. They appear in the published note, its CSAF advisory and CVE records once the coordinators approve the note; other vendors do not see them before.`,
    ),
    list,
    addButton,
  );

  return {
    wrap,
    value() {
      const out: VendorReference[] = [];
      const seen = new Set<string>();
      let firstBad: Row | null = null;
      for (const r of rows) {
        const raw = r.url.control.value.trim();
        const text = r.summary.control.value.trim();
        if (!raw && !text) {
          setError(r.url, null);
          continue; // an empty row is no reference
        }
        const url = vendorReferenceUrl(raw);
        const problem = !url
          ? 'Give an https link such as https://example.com/security/advisories/1'
          : seen.has(url)
            ? 'This link is listed twice'
            : null;
        setError(r.url, problem);
        if (problem || !url) {
          firstBad ??= r;
          continue;
        }
        seen.add(url);
        out.push({ url, kind: r.kind.control.value as VendorReference['kind'], ...(text ? { summary: text } : {}) });
      }
      if (firstBad) {
        firstBad.url.control.focus();
        return null;
      }
      return out;
    },
  };
}
