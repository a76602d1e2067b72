/** Bench baseline for the logging suite: bare Express answering a small JSON body, no logging. */
export { start } from './rl-bare.js';
