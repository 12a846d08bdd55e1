/**
 * A database upgraded to a revision no file defines — the file of another branch, of a copy of the
 * project, or deleted since — through the built CLI on SQLite, as a user meets it:
 *  - makemigrations and revision --autogenerate refuse in one line naming the revision, the
 *    database and what to do (`UNKNOWN_REVISION`), writing nothing and changing nothing;
 *  - check, upgrade, migrate and downgrade say the applied file is gone (`CHECKSUM_MISMATCH`) and
 *    advise what works — restoring the file, or `stamp --purge` — never `repair`, which records
 *    the checksum of a file that is there;
 *  - stamp and lint refuse it (`UNKNOWN_REVISION`);
 *  - repair, asked about such a revision, says why it cannot and what to do instead;
 *  - the views that only list (current, heads, history, showmigrations, status, log) still answer;
 *  - and the advice works: the file restored, or the database stamped where its schema is.
 * Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertUserError, explain, projects, sqlRevision, type RunResult, type TempProject } from './helpers.ts';

const newProject = projects();

const PRODUCT = `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity()
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 64 })
  sku!: string;
}
`;

const BASE = 'base00000001';
/** The revision of another branch: applied to the database, its file not in this checkout. */
const LOST = 'lost00000002';
const LOST_FILE = 'versions/lost00000002_other_branch.ts';
/** A data step only: the database's schema stays that of BASE. */
const LOST_SOURCE = sqlRevision(LOST, BASE, 'other branch', ["UPDATE product SET sku = sku || ''"], []);

/** Runs `body`, asserting the database and versions/ are the same afterwards. */
function leavesProjectAlone(p: TempProject, body: () => void): void {
  const db = p.dump();
  const files = p.versionFiles();
  body();
  assert.equal(p.dump(), db, 'the database is unchanged');
  assert.deepEqual(p.versionFiles(), files, 'versions/ is unchanged');
}

/** The error document `--json` prints on stderr. */
function jsonError(r: RunResult): { code: string; message: string; data?: Record<string, unknown> } {
  assert.equal(r.status, 2, explain(r, 'to exit 2'));
  assert.equal(r.stdout, '', explain(r, 'to print nothing on stdout'));
  return (JSON.parse(r.stderr) as { error: { code: string; message: string; data?: Record<string, unknown> } }).error;
}

const STAMP_ADVICE = "if the database's schema is that of a revision the files define, record that revision with `migrator stamp --purge <revision>`";

describe('the database at a revision no file defines', () => {
  const p = newProject();
  before(() => {
    p.writeConfig();
    p.writeEntity('product', PRODUCT);
    p.ok(['makemigrations', '-m', 'init', '--rev-id', BASE]);
    p.write(LOST_FILE, LOST_SOURCE);
    p.ok(['migrate']);
    p.exec("INSERT INTO product (sku) VALUES ('P-1')");
    assert.deepEqual(p.versions(), [LOST]);
    // Another branch checked out: the file goes, the database stays where it is.
    p.remove(LOST_FILE);
  });

  for (const command of [['makemigrations'], ['makemigrations', '-m', 'next'], ['revision', '-m', 'next', '--autogenerate']]) {
    it(`${command.join(' ')}: one line naming the revision, the database and what to do; nothing written`, () => {
      leavesProjectAlone(p, () => {
        const line = assertUserError(p.run(command));
        assert.match(line, new RegExp(`^error: the database sqlite:\\./app\\.db is at revision ${LOST}, which no file in \\S+versions defines \\(applied from another branch or copy of the project, or its file deleted since\\); `));
        assert.ok(line.includes('restore the file (from version control, or the branch or copy of the project that has it)'), line);
        assert.ok(line.includes(STAMP_ADVICE), line);
        assert.doesNotMatch(line, /Cannot read properties|undefined|repair/);

        const error = jsonError(p.run([...command, '--json']));
        assert.equal(error.code, 'UNKNOWN_REVISION');
        assert.deepEqual(error.data, { ref: LOST });
        assert.equal(`error: ${error.message}`, line, 'the same message as without --json');

        // --verbose adds a stack, never a TypeError's.
        const verbose = p.run([...command, '--verbose']);
        assert.equal(verbose.status, 2, explain(verbose, 'to exit 2'));
        assert.doesNotMatch(verbose.stderr, /TypeError|Cannot read properties/, explain(verbose, 'to be no crash'));
      });
    });
  }

  it('check, upgrade, migrate, downgrade: the applied file is gone, and the advice is what works, not repair', () => {
    leavesProjectAlone(p, () => {
      for (const command of [['check'], ['upgrade', 'head'], ['migrate'], ['downgrade', '-1'], ['downgrade', 'base']]) {
        const line = assertUserError(p.run(command));
        assert.match(line, new RegExp(`^error: revision ${LOST} \\(no file\\) is gone: it was applied on .* UTC by .*, and no file defines it now\\. Restore the file \\(from version control, or the branch or copy of the project that has it\\); or, `), line);
        assert.ok(line.endsWith(STAMP_ADVICE), line);
        assert.doesNotMatch(line, /repair/, `${command.join(' ')}: repair cannot record a file that is gone`);
      }
      const error = jsonError(p.run(['check', '--json']));
      assert.equal(error.code, 'CHECKSUM_MISMATCH');
      assert.deepEqual(error.data, { revisions: [LOST] });
    });
  });

  it('stamp and lint, which must place the database in the graph, refuse with UNKNOWN_REVISION', () => {
    leavesProjectAlone(p, () => {
      for (const command of [['stamp', 'head'], ['lint']]) {
        assert.match(assertUserError(p.run(command)), new RegExp(`is at revision ${LOST}, which no file in \\S+versions defines; restore the file`));
        const error = jsonError(p.run([...command, '--json']));
        assert.equal(error.code, 'UNKNOWN_REVISION', command.join(' '));
      }
    });
  });

  it('repair, asked about it by id, by prefix or not at all, says why it cannot and what to do', () => {
    leavesProjectAlone(p, () => {
      for (const command of [['repair'], ['repair', LOST], ['repair', LOST.slice(0, 6)]]) {
        const line = assertUserError(p.run(command));
        assert.equal(
          line,
          `error: revision ${LOST} is applied to sqlite:./app.db, but no file in ${p.path('versions')} defines it: repair records the checksum of a revision file as it is, and there is none to record. ` +
            `Restore the file (from version control, or the branch or copy of the project that has it); or, ${STAMP_ADVICE}`,
        );
        const error = jsonError(p.run([...command, '--json']));
        assert.equal(error.code, 'UNKNOWN_REVISION');
        assert.deepEqual(error.data, { ref: LOST });
      }
      // An id nobody knows is still just unknown.
      assert.match(assertUserError(p.run(['repair', 'zzzz9999'])), /no revision "zzzz9999"/);
    });
  });

  it('the views that only list still answer, and status names the revision', () => {
    leavesProjectAlone(p, () => {
      assert.equal(p.ok(['current']).stdout, `${LOST}\n`);
      assert.match(p.ok(['heads']).stdout, new RegExp(`^${BASE} \\(head, base\\)`));
      assert.match(p.ok(['history']).stdout, new RegExp(`-> ${BASE}`));
      assert.match(p.ok(['showmigrations']).stdout, new RegExp(`^\\[ \\] ${BASE}`, 'm'));
      assert.match(p.ok(['log']).stdout, new RegExp(`up\\s+${LOST}`));
      p.ok(['graph']);
      const status = p.run(['status']);
      assert.equal(status.status, 1, explain(status, 'to exit 1: not up to date'));
      assert.match(status.stdout, new RegExp(`^! the database is at ${LOST}, which no revision file defines$`, 'm'));
      assert.doesNotMatch(status.stdout, /run `migrator migrate`/, 'migrating would not help');
    });
  });

  it('the advice works: with the file restored, every command goes on', () => {
    p.write(LOST_FILE, LOST_SOURCE);
    try {
      leavesProjectAlone(p, () => {
        assert.match(p.ok(['makemigrations', '-m', 'next']).stdout, /No changes detected/);
        p.ok(['check']);
        assert.match(p.ok(['repair']).stdout, /^Nothing to repair/m);
        assert.match(p.ok(['history', '-i']).stdout, new RegExp(`${LOST} \\(head, current\\)`));
      });
    } finally {
      p.remove(LOST_FILE);
    }
  });

  it('the advice works: stamped at the revision whose schema the database has, it is in order again', () => {
    assert.match(p.ok(['stamp', '--purge', BASE]).stdout, new RegExp(`${LOST} -> ${BASE}`));
    assert.deepEqual(p.versions(), [BASE]);
    p.ok(['check']);
    p.ok(['status']);
    assert.match(p.ok(['makemigrations', '-m', 'next']).stdout, /No changes detected/);
    assert.match(p.ok(['upgrade', 'head']).stdout, /./);
    assert.deepEqual(p.query("SELECT sku FROM product"), [{ sku: 'P-1' }], 'the rows are where they were');
    assert.match(p.ok(['log', '-n', '1']).stdout, new RegExp(`stamp\\s+${BASE}`));
  });
});
