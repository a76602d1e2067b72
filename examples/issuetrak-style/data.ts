/**
 * The example's in-memory issue store, seeded with a few issues. It stands in for the Issuetrak
 * database so the example runs on a fresh machine; a real host would query SQL Server here.
 */

export type IssueStatus = 'Open' | 'In Progress' | 'Closed';

export interface IssueNote {
  readonly noteId: number;
  readonly text: string;
  readonly enteredDate: string;
}

export interface Issue {
  issueNumber: number;
  subject: string;
  description: string;
  submittedBy: string;
  submittedDate: string;
  status: IssueStatus;
  priority: string;
  assignedTo: string | null;
  notes: IssueNote[];
}

export interface NewIssue {
  readonly subject: string;
  readonly description?: string;
  readonly submittedBy?: string;
  readonly priority?: string;
  readonly assignedTo?: string | null;
}

export interface SearchCriteria {
  readonly subjectContains?: string;
  readonly status?: string;
}

const SEED: readonly NewIssue[] = [
  { subject: 'Printer on floor 2 is jammed', description: 'Paper tray 3 jams on every job.', submittedBy: 'jsmith', priority: 'Normal' },
  { subject: 'VPN drops every hour', description: 'Disconnects at :00 past the hour.', submittedBy: 'mlee', priority: 'High' },
  { subject: 'New hire laptop', description: 'Set up a laptop for the new analyst.', submittedBy: 'hr', priority: 'Low' },
  { subject: 'Password reset for the payroll app', submittedBy: 'akumar', priority: 'High' },
  { subject: 'Monitor flickers', description: 'Second monitor flickers after lunch.', submittedBy: 'jsmith', priority: 'Normal' },
];

/** A small repository over an array; every method returns copies so callers cannot mutate the store. */
export class IssueStore {
  readonly #issues = new Map<number, Issue>();
  #nextIssueNumber = 1;
  #nextNoteId = 1;

  constructor(seed: readonly NewIssue[] = SEED) {
    for (const issue of seed) this.create(issue, new Date(Date.UTC(2024, 0, this.#nextIssueNumber)));
  }

  get(issueNumber: number): Issue | undefined {
    const issue = this.#issues.get(issueNumber);
    return issue && structuredClone(issue);
  }

  create(input: NewIssue, now: Date = new Date()): Issue {
    const issue: Issue = {
      issueNumber: this.#nextIssueNumber++,
      subject: input.subject,
      description: input.description ?? '',
      submittedBy: input.submittedBy ?? 'api',
      submittedDate: now.toISOString(),
      status: 'Open',
      priority: input.priority ?? 'Normal',
      assignedTo: input.assignedTo ?? null,
      notes: [],
    };
    this.#issues.set(issue.issueNumber, issue);
    return structuredClone(issue);
  }

  /** Matching issues in issue-number order, and the total before paging. */
  search(criteria: SearchCriteria, page: number, pageSize: number): { items: Issue[]; total: number } {
    const needle = criteria.subjectContains?.toLowerCase();
    const status = criteria.status?.toLowerCase();
    const matches = [...this.#issues.values()].filter(
      (issue) =>
        (needle === undefined || issue.subject.toLowerCase().includes(needle)) &&
        (status === undefined || issue.status.toLowerCase() === status),
    );
    const start = (page - 1) * pageSize;
    return { items: structuredClone(matches.slice(start, start + pageSize)), total: matches.length };
  }

  /** Replaces the stored issue with `next` (already validated by the caller). */
  save(next: Issue): Issue {
    this.#issues.set(next.issueNumber, structuredClone(next));
    return structuredClone(next);
  }

  newNote(text: string, now: Date = new Date()): IssueNote {
    return { noteId: this.#nextNoteId++, text, enteredDate: now.toISOString() };
  }
}
