/**
 * The example's OpenAPI 3 document, served at /api/v2/openapi.json and shown by the docs page
 * (/api/v2/docs). It documents the guard's behaviour as well as the handlers: the error envelope on
 * 400/403/404/413/415/429/500, 401 with an empty body, the trace-ID header on every response, the
 * rate-limit headers wherever a rule applies (not on a 403 for plain HTTP: that check runs first),
 * and the X-Api-Key scheme. The rules in effect are listed in the description.
 */
import type { RateLimitRuleConfig } from '../../lib/config/index.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });

const errorContent = (type: string, message: string) => ({
  'application/json': { schema: ref('ErrorEnvelope'), example: { traceId: '0HMGDP8E63BDF:00000004', information: [{ type, message }] } },
  'application/problem+json': { schema: ref('ProblemDetails') },
});

const traceHeader = { 'X-Trace-Id': { $ref: '#/components/headers/X-Trace-Id' } };

// Headers on every response that reached the rate limiter (every API route matches a rule).
const commonHeaders = {
  ...traceHeader,
  RateLimit: { $ref: '#/components/headers/RateLimit' },
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimit-Policy' },
};

/** An error response: its envelope `type` and a message the example really sends. */
function errorResponse(description: string, type: string, message: string, extraHeaders: Record<string, object> = {}) {
  return { description, headers: { ...commonHeaders, ...extraHeaders }, content: errorContent(type, message) };
}

const standardErrors = {
  '400': response('BadRequest'),
  '401': response('Unauthorized'),
  '403': response('HttpsRequired'),
  '429': response('TooManyRequests'),
  '500': response('InternalError'),
};

const iidParameter = {
  name: 'iid',
  in: 'path',
  required: true,
  description: 'Issue number.',
  schema: { type: 'integer', minimum: 1 },
};

/** The description's rate-limit part: the rules in effect, so the docs page tells how to reach a 429. */
function rulesText(all: readonly RateLimitRuleConfig[]): string {
  // Monitor-mode rules never refuse: they are being tried, not in effect for clients.
  const rules = all.filter((r) => r.Mode !== 'Monitor');
  if (rules.length === 0) return 'Rate limiting is off: no rule is in effect.';
  const rows = rules.map((r) => `| ${r.Name} | \`${r.Endpoint}\` | ${r.Limit} | ${r.Period} |`);
  return [
    'Requests are rate limited per client; a request over any rule\'s limit gets 429 with Retry-After. Rules in effect:',
    '',
    '| rule | endpoint | limit | per |',
    '|---|---|---|---|',
    ...rows,
    '',
    'To see a 429 here, press Execute more often within a period than a rule allows. One-second windows are hard to beat by hand: ' +
      'start the example with `RateLimiting__Rules__1__Period=1m npm start` (its writes rule then allows 5 per minute) and execute POST /Issues/Search six times.',
  ].join('\n');
}

/**
 * Builds the document; `serverUrl` is the API's base (e.g. `https://host/api/v2`), `rules` the
 * rate-limit rules in effect (listed in the description).
 */
export function openApiDocument(serverUrl = '/api/v2', rules: readonly RateLimitRuleConfig[] = []): object {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Issuetrak-style API v2 (express-api-guard example)',
      version: '2.0.0',
      description: [
        'Every response carries X-Trace-Id; quote it when reporting a problem, it is on every log line of the request. ' +
          'Errors are the envelope `{"traceId", "information": [{"type", "message"}]}` (or RFC 9457 problem details when asked for). ' +
          'Calls need an X-Api-Key (Authorize); a missing or unknown key gets 401 with an empty body.',
        '',
        rulesText(rules),
      ].join('\n'),
    },
    servers: [{ url: serverUrl }],
    security: [{ ApiKey: [] }],
    tags: [
      { name: 'Issues', description: 'Read, create, search and change issues.' },
      { name: 'Authentication', description: 'Check an API key.' },
      { name: 'Health', description: 'Readiness, for load balancers and operators; no key needed.' },
    ],
    paths: {
      '/Authenticate/test': {
        get: {
          tags: ['Authentication'],
          summary: 'Checks that the X-Api-Key is accepted.',
          operationId: 'authenticateTest',
          responses: { '200': { description: 'The key is valid.', headers: commonHeaders, content: json(ref('AuthenticateEnvelope')) }, ...standardErrors },
        },
      },
      '/Issues/{iid}': {
        parameters: [iidParameter],
        get: {
          summary: 'Reads one issue.',
          tags: ['Issues'],
          operationId: 'getIssue',
          responses: { '200': { description: 'The issue.', headers: commonHeaders, content: json(ref('IssueEnvelope')) }, '404': response('NotFound'), ...standardErrors },
        },
        patch: {
          summary: 'Changes an issue with a JSON-Patch-like list of operations.',
          tags: ['Issues'],
          operationId: 'patchIssue',
          requestBody: { required: true, content: json({ type: 'array', minItems: 1, maxItems: 50, items: ref('PatchOperation') }) },
          responses: {
            '200': { description: 'The updated issue.', headers: commonHeaders, content: json(ref('IssueEnvelope')) },
            '404': response('NotFound'),
            '413': response('PayloadTooLarge'),
            '415': response('UnsupportedMediaType'),
            ...standardErrors,
          },
        },
      },
      '/Issues/Create': {
        post: {
          summary: 'Creates an issue.',
          tags: ['Issues'],
          operationId: 'createIssue',
          requestBody: { required: true, content: json(ref('CreateIssue')) },
          responses: {
            '201': {
              description: 'Created; Location points at the new issue.',
              headers: { ...commonHeaders, Location: { schema: { type: 'string' } } },
              content: json(ref('IssueEnvelope')),
            },
            '413': response('PayloadTooLarge'),
            '415': response('UnsupportedMediaType'),
            ...standardErrors,
          },
        },
      },
      '/Issues/Search': {
        post: {
          summary: 'Searches issues, one page at a time.',
          tags: ['Issues'],
          operationId: 'searchIssues',
          requestBody: { required: true, content: json(ref('SearchIssues')) },
          responses: {
            '200': { description: 'One page of matches.', headers: commonHeaders, content: json(ref('IssuePageEnvelope')) },
            '413': response('PayloadTooLarge'),
            '415': response('UnsupportedMediaType'),
            ...standardErrors,
          },
        },
      },
      '/health': {
        get: {
          summary: 'Readiness: configuration, rate-limit store and database (no secrets).',
          tags: ['Health'],
          operationId: 'health',
          security: [],
          responses: {
            '200': { description: 'Ready.', headers: commonHeaders, content: json({ type: 'object' }) },
            '503': { description: 'A dependency is down.', headers: commonHeaders, content: json({ type: 'object' }) },
            '403': response('HttpsRequired'),
            '429': response('TooManyRequests'),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        ApiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'A missing or unknown key gets 401 with an empty body.' },
      },
      headers: {
        'X-Trace-Id': { description: 'The request\'s trace ID, also in every error body and log line.', schema: { type: 'string', example: '0HMGDP8E63BDF:00000004' } },
        RateLimit: { description: 'draft-ietf-httpapi-ratelimit-headers-10: the closest limit, remaining requests and seconds to reset.', schema: { type: 'string', example: '"burst";r=19;t=1' } },
        'RateLimit-Policy': { description: 'Every rule that applies to this request.', schema: { type: 'string', example: '"burst";q=20;w=1, "writes";q=5;w=1' } },
        'Retry-After': { description: 'Seconds until the blocking window resets (at least 1).', schema: { type: 'integer', minimum: 1 } },
      },
      responses: {
        BadRequest: errorResponse('Validation failed or the body is not valid JSON (type Validation).', 'Validation', 'Subject is required.'),
        Unauthorized: { description: 'Missing or unknown X-Api-Key. Empty body (no Content-Type).', headers: commonHeaders },
        // Refused before the rate limiter runs, so no RateLimit headers.
        HttpsRequired: {
          description: 'Plain HTTP was used where HTTPS is required (type Security).',
          headers: traceHeader,
          content: errorContent('Security', 'HTTPS is required. Use https:// to call this API.'),
        },
        NotFound: errorResponse('No such issue (type NotFound).', 'NotFound', 'Issue 999 was not found.'),
        PayloadTooLarge: errorResponse('The body is larger than 100 kB.', 'Validation', 'The request body is too large'),
        UnsupportedMediaType: errorResponse('The body is not application/json or uses an unsupported charset/encoding.', 'Validation', 'Send the request body as application/json.'),
        TooManyRequests: errorResponse('A rate-limit rule is exhausted (type RateLimit); RateLimit shows r=0 for that rule.', 'RateLimit', 'API calls quota exceeded! maximum admitted 5 per 1s.', {
          'Retry-After': { $ref: '#/components/headers/Retry-After' },
        }),
        InternalError: errorResponse(
          'An unexpected failure (type Processing). The body never holds details; the log does, under the trace ID.',
          'Processing',
          'An error occurred while processing your request.',
        ),
      },
      schemas: {
        ErrorEnvelope: {
          type: 'object',
          required: ['traceId', 'information'],
          additionalProperties: false,
          properties: {
            traceId: { type: 'string' },
            information: {
              type: 'array',
              items: {
                type: 'object',
                required: ['type', 'message'],
                properties: { type: { type: 'string', example: 'Validation' }, message: { type: 'string' } },
              },
            },
          },
        },
        ProblemDetails: {
          type: 'object',
          description: 'RFC 9457, sent when configured (Errors.Format problem) or asked for with Accept: application/problem+json.',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            traceId: { type: 'string' },
          },
        },
        Issue: {
          type: 'object',
          properties: {
            issueNumber: { type: 'integer' },
            subject: { type: 'string' },
            description: { type: 'string' },
            submittedBy: { type: 'string' },
            submittedDate: { type: 'string', format: 'date-time' },
            status: { type: 'string', enum: ['Open', 'In Progress', 'Closed'] },
            priority: { type: 'string' },
            assignedTo: { type: 'string', nullable: true },
            notes: {
              type: 'array',
              items: { type: 'object', properties: { noteId: { type: 'integer' }, text: { type: 'string' }, enteredDate: { type: 'string', format: 'date-time' } } },
            },
          },
        },
        IssueEnvelope: { type: 'object', required: ['traceId', 'values'], properties: { traceId: { type: 'string' }, values: ref('Issue') } },
        AuthenticateEnvelope: {
          type: 'object',
          properties: { traceId: { type: 'string' }, values: { type: 'object', properties: { isAuthenticated: { type: 'boolean' }, keyName: { type: 'string' } } } },
        },
        IssuePageEnvelope: {
          type: 'object',
          required: ['traceId', 'values', 'pagingInformation'],
          properties: {
            traceId: { type: 'string' },
            values: { type: 'array', items: ref('Issue') },
            pagingInformation: {
              type: 'object',
              properties: { page: { type: 'integer' }, itemTotal: { type: 'integer' }, pageCount: { type: 'integer' } },
            },
          },
        },
        CreateIssue: {
          type: 'object',
          required: ['Subject'],
          properties: {
            Subject: { type: 'string', maxLength: 255 },
            Description: { type: 'string', maxLength: 4000 },
            SubmittedBy: { type: 'string', maxLength: 100 },
            Priority: { type: 'string', maxLength: 50 },
            AssignedTo: { type: 'string', maxLength: 100 },
          },
        },
        SearchIssues: {
          type: 'object',
          properties: {
            PageNumber: { type: 'integer', minimum: 1, default: 1 },
            PageSize: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
            SubjectContains: { type: 'string' },
            Status: { type: 'string', enum: ['Open', 'In Progress', 'Closed'] },
          },
        },
        PatchOperation: {
          type: 'object',
          required: ['op', 'path'],
          properties: {
            op: { type: 'string', enum: ['Add', 'Replace', 'Remove'] },
            path: { type: 'string', example: '/Note', description: '/Subject, /Description, /Status, /Priority, /AssignedTo, /Note, /Note/{noteId} (Remove)' },
            value: { type: 'string' },
          },
        },
      },
    },
  };
}
