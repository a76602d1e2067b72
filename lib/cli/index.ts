/**
 * The CLI's programmatic face: the same doctor and trace search the `express-api-guard` bin runs.
 */
export { runCli } from './main.js';
export { type CliIo } from './io.js';
export { runDoctor } from './doctor/run-doctor.js';
export { formatDoctorReport } from './doctor/report.js';
export type { DoctorCheck, DoctorCheckId, DoctorCheckStatus, DoctorOptions, DoctorReport } from './doctor/types.js';
export { findTraceEntries, type TraceEntry, type TraceSearchOptions, type TraceSearchResult } from './trace/search.js';
export { formatTraceEntry } from './trace/format.js';
export { isValidTraceId } from './trace/trace-id.js';
