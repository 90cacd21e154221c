// The case domain: pure, no SDK, no I/O, time passed in.
export * from './case.js';
export * from './decide.js';
export * from './deadlines.js';
export * from './silent-vendor.js';
export * from './embargo.js';
export * from './errors.js';
export * from './events.js';
export * from './policy.js';
export * from './report.js';
export * from './time.js';
export * from './vultron.js';
export * from './messages.js';
export * from './note.js';
