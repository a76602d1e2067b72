/**
 * The Issuetrak-style API v2 handlers (everything behind X-Api-Key). Handlers throw ApiError for
 * anything the client can fix; the guard's error mapper renders it in the configured envelope.
 */
import { Router } from 'express';
import { ApiError } from '../../lib/index.js';
import type { IssueStore } from './data.js';
import { sendPage, sendValues } from './envelopes.js';
import { applyPatch } from './patch.js';
import { integerIn, issueNumber, jsonBody, jsonObject, optionalString, requiredString } from './validate.js';

function notFoundIssue(iid: number): ApiError {
  return new ApiError(`Issue ${iid} was not found.`, { status: 404, type: 'NotFound' });
}

export function issueRoutes(store: IssueStore): Router {
  const router = Router();

  router.get('/Authenticate/test', (_req, res) => {
    sendValues(res, { isAuthenticated: true, keyName: res.locals.apiKeyName as string });
  });

  router.post('/Issues/Create', (req, res) => {
    const body = jsonObject(req);
    const issue = store.create({
      subject: requiredString(body, 'Subject', 255),
      description: optionalString(body, 'Description', 4000),
      submittedBy: optionalString(body, 'SubmittedBy', 100) ?? (res.locals.apiKeyName as string),
      priority: optionalString(body, 'Priority', 50),
      assignedTo: optionalString(body, 'AssignedTo', 100),
    });
    res.location(`${req.baseUrl}/Issues/${issue.issueNumber}`);
    sendValues(res, issue, 201);
  });

  router.post('/Issues/Search', (req, res) => {
    const body = jsonObject(req);
    const page = integerIn(body, 'PageNumber', 1, 1_000_000, 1);
    const pageSize = integerIn(body, 'PageSize', 1, 100, 25);
    const { items, total } = store.search(
      { subjectContains: optionalString(body, 'SubjectContains', 255), status: optionalString(body, 'Status', 50) },
      page,
      pageSize,
    );
    sendPage(res, items, { page, itemTotal: total, pageCount: Math.ceil(total / pageSize) });
  });

  router.get('/Issues/:iid', (req, res) => {
    const iid = issueNumber(req.params.iid);
    const issue = store.get(iid);
    if (!issue) throw notFoundIssue(iid);
    sendValues(res, issue);
  });

  router.patch('/Issues/:iid', (req, res) => {
    const iid = issueNumber(req.params.iid);
    const body = jsonBody(req);
    const issue = store.get(iid);
    if (!issue) throw notFoundIssue(iid);
    sendValues(res, store.save(applyPatch(store, issue, body)));
  });

  return router;
}
