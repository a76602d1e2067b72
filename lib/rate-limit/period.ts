/**
 * Period parsing for rules: the same grammar as the config file (lib/config/values.ts owns it), under
 * the name the limiter has always exported.
 */
export { periodMs as parseRulePeriod } from '../config/values.js';
