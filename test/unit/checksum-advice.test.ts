/**
 * The advice of the error that stops a run when applied revision files are not the ones that ran:
 * `repair` for a file changed on purpose, never for a file that is gone (there is nothing to
 * record): restore it, or stamp the database at a revision the files define.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checksumError, type ChecksumProblem, type HistoryRow } from '../../src/runner/history.js';

const row = (revision: string, checksum: string): HistoryRow => ({
  id: 1,
  revision,
  direction: 'up',
  checksum,
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:01.000Z',
  durationMs: 1000,
  appliedBy: 'deploy',
  host: 'web-1',
  migratorVersion: '0.1.0',
});
const changed = (revision: string): ChecksumProblem => ({ revision, file: `versions/${revision}.ts`, recorded: 'a'.repeat(64), current: 'b'.repeat(64), row: row(revision, 'a'.repeat(64)) });
const gone = (revision: string): ChecksumProblem => ({ revision, recorded: 'c'.repeat(64), row: row(revision, 'c'.repeat(64)) });
const STAMP = "if the database's schema is that of a revision the files define, record that revision with `migrator stamp --purge <revision>`";

describe('checksumError: what to do', () => {
  it('a changed file: restore it, or record it with repair', () => {
    const e = checksumError([changed('aaaa0001')], 'migrator_history');
    assert.equal(e.code, 'CHECKSUM_MISMATCH');
    assert.match(e.message, /Restore the file as it was when applied; or, if the edit is deliberate and the database already matches it, record the file as it is with `migrator repair aaaa0001`$/);
  });

  it('a file that is gone: restore it, or stamp; no repair', () => {
    const e = checksumError([gone('bbbb0002')], 'migrator_history');
    assert.equal(e.code, 'CHECKSUM_MISMATCH');
    assert.deepEqual(e.data, { revisions: ['bbbb0002'] });
    assert.match(e.message, /^revision bbbb0002 \(no file\) is gone: it was applied on 2026-12-01 10:00:01 UTC by deploy@web-1, and no file defines it now\. Restore the file \(from version control, or the branch or copy of the project that has it\); or, /);
    assert.ok(e.message.endsWith(STAMP), e.message);
    assert.doesNotMatch(e.message, /repair/);
  });

  it('both: repair names only the changed files; the gone ones get the advice that works for them', () => {
    const e = checksumError([changed('aaaa0001'), gone('bbbb0002'), gone('cccc0003')], 'migrator_history');
    assert.deepEqual(e.data, { revisions: ['aaaa0001', 'bbbb0002', 'cccc0003'] });
    assert.match(e.message, /^3 applied revision files are not the ones the database ran \(history table migrator_history\): /);
    assert.match(e.message, /record aaaa0001 as it is with `migrator repair aaaa0001`; bbbb0002, cccc0003 have no file to record: restore the files \(from version control, or the branch or copy of the project that has them\); or, /);
    assert.ok(e.message.endsWith(STAMP), e.message);
  });
});
