/**
 * Applies Issuetrak's JSON-Patch-like update: an array of `{op, path, value}` with op `Add`,
 * `Replace` or `Remove` (case-insensitive). Paths name issue fields; `Add /Note` appends a note and
 * `Remove /Note/{noteId}` deletes one. The whole patch is checked before anything changes.
 */
import type { Issue, IssueStatus, IssueStore } from './data.js';
import { field, invalid } from './validate.js';

type Op = 'add' | 'replace' | 'remove';

const STATUSES: readonly IssueStatus[] = ['Open', 'In Progress', 'Closed'];
const TEXT_FIELDS = { subject: 255, description: 4000, priority: 50, assignedto: 100 } as const;
type TextField = keyof typeof TEXT_FIELDS;

function stringValue(value: unknown, where: string, max: number): string {
  if (typeof value !== 'string') throw invalid(`${where}: value must be a string.`);
  if (value.length > max) throw invalid(`${where}: value must be at most ${max} characters.`);
  return value;
}

function applyText(issue: Issue, name: TextField, op: Op, value: unknown, where: string): void {
  if (op === 'remove') {
    if (name === 'subject') throw invalid(`${where}: Subject cannot be removed.`);
    if (name === 'assignedto') issue.assignedTo = null;
    else issue[name] = name === 'priority' ? 'Normal' : '';
    return;
  }
  const text = stringValue(value, where, TEXT_FIELDS[name]);
  if (name === 'subject' && text.trim() === '') throw invalid(`${where}: Subject cannot be empty.`);
  if (name === 'assignedto') issue.assignedTo = text;
  else issue[name] = text;
}

/** Returns the patched copy of `issue`; throws a Validation ApiError naming the bad operation. */
export function applyPatch(store: IssueStore, issue: Issue, body: unknown): Issue {
  if (!Array.isArray(body) || body.length === 0) {
    throw invalid('The request body must be a non-empty array of operations like [{"op":"Add","path":"/Note","value":"..."}].');
  }
  if (body.length > 50) throw invalid('At most 50 operations are accepted per request.');
  const next = structuredClone(issue);
  body.forEach((raw: unknown, index) => {
    const where = `Operation ${index}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`${where} must be an object with op, path and value.`);
    const operation = raw as Record<string, unknown>;
    const opText = field(operation, 'op');
    const op = typeof opText === 'string' ? opText.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw invalid(`${where}: op must be Add, Replace or Remove.`);
    const pathText = field(operation, 'path');
    if (typeof pathText !== 'string' || !pathText.startsWith('/')) throw invalid(`${where}: path must look like "/Note" or "/Subject".`);
    const [name = '', extra] = pathText.slice(1).toLowerCase().split('/');
    const value = field(operation, 'value');

    if (name === 'note') {
      if (op === 'remove') {
        const noteId = Number(extra);
        const at = next.notes.findIndex((note) => note.noteId === noteId);
        if (at < 0) throw invalid(`${where}: no note ${extra ?? '(missing id)'} on issue ${issue.issueNumber}; use "/Note/{noteId}".`);
        next.notes.splice(at, 1);
      } else {
        if (op === 'replace') throw invalid(`${where}: notes cannot be replaced; Add a new note instead.`);
        const text = stringValue(value, where, 4000);
        if (text.trim() === '') throw invalid(`${where}: a note cannot be empty.`);
        next.notes.push(store.newNote(text));
      }
    } else if (name === 'status') {
      if (op === 'remove') throw invalid(`${where}: Status cannot be removed.`);
      const status = STATUSES.find((s) => typeof value === 'string' && s.toLowerCase() === value.toLowerCase());
      if (!status) throw invalid(`${where}: Status must be one of ${STATUSES.join(', ')}.`);
      next.status = status;
    } else if (extra === undefined && Object.hasOwn(TEXT_FIELDS, name)) {
      applyText(next, name as TextField, op, value, where);
    } else {
      throw invalid(`${where}: unknown path ${pathText}; use /Subject, /Description, /Status, /Priority, /AssignedTo or /Note.`);
    }
  });
  return next;
}
