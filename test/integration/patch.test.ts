/** The example's PATCH operations: unknown paths are refused, including Object.prototype names. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IssueStore } from '../../examples/issuetrak-style/data.js';
import { applyPatch } from '../../examples/issuetrak-style/patch.js';

test('a path naming an Object.prototype member is an unknown path, not a text field', () => {
  const store = new IssueStore();
  const issue = store.get(1);
  assert.ok(issue);
  for (const path of ['/constructor', '/__proto__']) {
    for (const op of ['Replace', 'Remove']) {
      assert.throws(() => applyPatch(store, issue, [{ op, path, value: 'x' }]), { status: 400, message: /unknown path/ }, `${op} ${path}`);
    }
  }
});
