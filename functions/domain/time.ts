// Time helpers. The domain never reads a clock: every function takes `now` as an ISO instant.

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export type Instant = string; // ISO-8601 UTC, e.g. 2026-11-01T09:00:00.000Z

export const ms = (iso: Instant): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not an ISO-8601 instant: ${iso}`);
  return t;
};
export const iso = (t: number): Instant => new Date(t).toISOString();
export const addMs = (at: Instant, delta: number): Instant => iso(ms(at) + delta);
export const addDays = (at: Instant, days: number): Instant => addMs(at, days * DAY_MS);
export const addHours = (at: Instant, hours: number): Instant => addMs(at, hours * HOUR_MS);
export const isBefore = (a: Instant, b: Instant): boolean => ms(a) < ms(b);
export const isAtOrAfter = (a: Instant, b: Instant): boolean => ms(a) >= ms(b);
export const earliest = (xs: readonly Instant[]): Instant | null => (xs.length === 0 ? null : xs.reduce((a, b) => (ms(b) < ms(a) ? b : a)));
/** The given day (UTC) at hh:00:00.000 UTC. */
export const atHourUtc = (at: Instant, hour: number): Instant => {
  const d = new Date(ms(at));
  return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour, 0, 0, 0));
};
/** Normalises any accepted ISO input to the canonical millisecond form, so instants compare as strings too. */
export const normalize = (at: Instant): Instant => iso(ms(at));
