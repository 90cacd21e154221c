// Triage: SSVC coordinator tables, the system's guesses from a report, and the recommendation a coordinator reviews.
export * from './decision-points.js';
export * from './ssvc.js';
export * from './ssvc-tables.js';
export * from './policy.js';
export * from './derive-inputs.js';
export * from './decline-reasons.js';
export * from './recommend.js';
