// ISO-8601 durations for POST /_local/clock: P30D, PT12H, P1Y2M3W4DT5H6M7S. Years and months
// follow the calendar (UTC), the rest are exact.
const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** The instant `duration` after `fromMs`, or null when the text is not a duration. */
export function parseDuration(duration: string, fromMs: number): number | null {
  const m = DURATION.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) return null;
  const [, y, mo, w, d, h, mi, s] = m.map((x) => (x === undefined ? 0 : Number(x))) as number[];
  const date = new Date(fromMs);
  date.setUTCFullYear(date.getUTCFullYear() + (y ?? 0), date.getUTCMonth() + (mo ?? 0));
  return date.getTime() + ((w ?? 0) * 7 + (d ?? 0)) * 86_400_000 + (h ?? 0) * 3_600_000 + (mi ?? 0) * 60_000 + (s ?? 0) * 1000;
}
