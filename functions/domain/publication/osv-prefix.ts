/** The OSV id prefix when OSV_PREFIX is unset (ids become x_CVD-…: the schema accepts only registered prefixes or x_). */
export const DEFAULT_OSV_PREFIX = 'CVD';
