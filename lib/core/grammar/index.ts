/**
 * The small value languages shared by config files and middleware options. The config schema and
 * every middleware factory call these, so config accepts exactly what the runtime accepts.
 */
export { type Parsed } from './parsed.js';
export { parsePeriod, PERIOD_HINT, type Period } from './period.js';
export { parseEndpoint, ENDPOINT_HINT, MAX_GLOB_LENGTH, type Endpoint } from './endpoint.js';
export { isHeaderName, parseHeaderName, HEADER_NAME_HINT, MAX_HEADER_NAME_LENGTH } from './header-name.js';
export { parseRuleName, RULE_NAME_HINT } from './rule-name.js';
export { parseClientKey, CLIENT_KEY_HINT, type ClientKeySpec } from './client-key.js';
export { parseIpRange, IP_HINT, type IpRange } from './ip.js';
export {
  parseLogLevel,
  levelIndex,
  LOG_LEVELS,
  LOG_LEVEL_HINT,
  TRACE,
  DEBUG,
  INFORMATION,
  WARNING,
  ERROR,
  CRITICAL,
  NONE,
  type LogLevelName,
} from './log-level.js';
export { isFileSize, isMaxFiles } from './log-files.js';
export { parseHostPort, HOST_PORT_HINT, type HostPort } from './host-port.js';
export { parseKeyPrefix } from './key-prefix.js';
export { parseRuleMode, RULE_MODES, RULE_MODE_HINT, type RuleMode } from './rule-mode.js';
export { parsePolicyClient, parseSha256Hex, MAX_POLICY_CLIENT_LENGTH, SHA256_HINT, type PolicyClient } from './policy-client.js';
export { parseQuotaMessage, DEFAULT_QUOTA_MESSAGE, DEFAULT_MESSAGE as DEFAULT_QUOTA_TEMPLATE, QUOTA_MESSAGE_HINT, type QuotaDetails, type QuotaMessage } from './quota-message.js';
