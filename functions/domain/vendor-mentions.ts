// Which vendors a text names: the console warns before a draft body that names a vendor is shared
// (every participant reads the body as written), and the coordinator's view lists them. Apart from
// note.ts so the console's bundle carries only this.

/** The names of vendors on the case that a text mentions (whole words, any case): what a coordinator should check before sharing it. */
export function vendorsNamedIn(text: string, vendors: readonly { vendorId: string; name: string }[]): { vendorId: string; name: string }[] {
  const hay = text.toLowerCase();
  const escapeRegExp = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return vendors
    .filter((v) => {
      const name = v.name.trim().toLowerCase();
      if (!name) return false;
      // Markdown escapes may sit inside the name as written in the text: allow a backslash before any character.
      const pattern = [...name].map((c) => `\\\\?${escapeRegExp(c)}`).join('');
      return new RegExp(`(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`, 'u').test(hay);
    })
    .map((v) => ({ vendorId: v.vendorId, name: v.name }));
}
