/**
 * The lines printed under an error when the database refused a statement: the statement's line
 * with a caret under the position, `detail:`, `hint:`, the internal query and `context:`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnosticLines } from '../../src/cli/diagnostics.js';
import { redact, registerSecret } from '../../src/config/secrets.js';
import { StatementError, type StatementDiagnostics } from '../../src/dialects/dialect.js';
import { MigratorError } from '../../src/errors.js';

/** A statement's error wrapped as the runner wraps it. */
function failed(statement: string, diagnostics: StatementDiagnostics): MigratorError {
  return new MigratorError('upgrade a -> b failed', { cause: new StatementError(statement, new Error('boom'), diagnostics) });
}

/** The column of the caret on the line after `label`, and the character above it. */
function pointed(lines: string[]): string {
  const caret = lines[1].indexOf('^');
  assert.equal(lines[1].trim(), '^');
  return [...lines[0]][caret];
}

describe('what the database said about a failed statement', () => {
  it('nothing for errors without a failed statement, or without diagnostics', () => {
    assert.deepEqual(diagnosticLines(new MigratorError('plain')), []);
    assert.deepEqual(diagnosticLines(new Error('plain')), []);
    assert.deepEqual(diagnosticLines(failed('SELECT 1', {})), []);
  });

  it('the position: the line with a caret under the character, then detail and hint', () => {
    const lines = diagnosticLines(failed('SELECT nosuchfunc(1)', { position: 8, detail: 'A detail.', hint: 'No function matches.' }));
    assert.deepEqual(lines, ['  line 1: SELECT nosuchfunc(1)', '                 ^', '  detail: A detail.', '  hint: No function matches.']);
  });

  it('a statement of several lines: the line that holds the position, numbered; tabs as one column', () => {
    const sql = 'SELECT 1;\n\tSELECT *\n\t  FORM t';
    const lines = diagnosticLines(failed(sql, { position: sql.indexOf('FORM') + 1 }));
    assert.equal(lines[0], '  line 3:    FORM t');
    assert.equal(pointed(lines), 'F');
  });

  it('counts characters as PostgreSQL does, not UTF-16 units', () => {
    const sql = "SELECT '😀é' FORM t";
    const lines = diagnosticLines(failed(sql, { position: [...sql].indexOf('F') + 1 }));
    assert.equal(pointed(lines), 'F');
  });

  it('a position just past the end (syntax error at end of input) points past the last character', () => {
    const lines = diagnosticLines(failed('SELECT (1', { position: 10 }));
    assert.deepEqual(lines, ['  line 1: SELECT (1', '                   ^']);
  });

  it('a long line is cut around the position', () => {
    const sql = `SELECT ${Array.from({ length: 60 }, (_, i) => `c${i}`).join(', ')} FORM t WHERE ${'x = 1 AND '.repeat(20)}y = 2`;
    const lines = diagnosticLines(failed(sql, { position: sql.indexOf('FORM') + 1 }));
    assert.ok(lines[0].length <= 120, lines[0]);
    assert.match(lines[0], /^ {2}line 1: \.\.\..*\.\.\.$/);
    assert.equal(pointed(lines), 'F');
  });

  it('the caret follows a password masked before it', () => {
    registerSecret('hunter2-secret');
    const sql = "ALTER ROLE app PASSWORD 'hunter2-secret' VALID UNTIL FORM";
    const lines = diagnosticLines(failed(sql, { position: sql.indexOf('FORM') + 1 })).map(redact);
    assert.equal(lines[0], "  line 1: ALTER ROLE app PASSWORD '***' VALID UNTIL FORM");
    assert.equal(pointed(lines), 'F');
  });

  it('an internal query with its own caret, and the context; a detail of several lines indented', () => {
    const lines = diagnosticLines(
      failed("DO $$ BEGIN EXECUTE 'SELECT * FROM nope'; END $$", {
        detail: 'Process 1 waits for ShareLock.\nProcess 2 waits for ShareLock.',
        internalQuery: 'SELECT * FROM nope',
        internalPosition: 15,
        context: 'PL/pgSQL function inline_code_block line 1 at EXECUTE',
      }),
    );
    assert.deepEqual(lines, [
      '  detail: Process 1 waits for ShareLock.',
      '    Process 2 waits for ShareLock.',
      '  query line 1: SELECT * FROM nope',
      '                              ^',
      '  context: PL/pgSQL function inline_code_block line 1 at EXECUTE',
    ]);
  });
});
