/**
 * Bad input, as users make it: every case must exit 2 with a clear `error: …` line on stderr
 * naming what is wrong, no stack trace, and leave the database (and versions/) as it was.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { assertUserError, configSource, explain, projects, sqlRevision, type RunResult, type TempProject } from './helpers.ts';

const newProject = projects();

const PRODUCT = `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity()
export class Product {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 64 })
  sku!: string;

  @Column({ nullable: true })
  title!: string | null;
}
`;

const BASE = 'base00000001';

/** Writes `rel` for the duration of `body`, then puts back what was there (or removes it). */
function withFile<T>(p: TempProject, rel: string, content: string, body: () => T): T {
  const had = p.exists(rel) ? p.read(rel) : undefined;
  p.write(rel, content);
  try {
    return body();
  } finally {
    if (had === undefined) p.remove(rel);
    else p.write(rel, had);
  }
}

/** Runs `body`, asserting the database and versions/ are the same afterwards. */
function leavesProjectAlone(p: TempProject, body: () => void): void {
  const db = p.dump();
  const files = p.versionFiles();
  body();
  assert.equal(p.dump(), db, 'the database is unchanged');
  assert.deepEqual(p.versionFiles(), files, 'versions/ is unchanged');
}

describe('errors', () => {
  // One project at its head revision, with rows; each case breaks one thing and restores it.
  const p = newProject();
  before(() => {
    p.writeConfig();
    p.writeEntity('product', PRODUCT);
    p.ok(['makemigrations', '-m', 'init', '--rev-id', BASE]);
    p.ok(['migrate']);
    p.exec("INSERT INTO product (sku, title) VALUES ('P-1', 'Pen'), ('P-2', NULL)");
  });

  describe('malformed config', () => {
    const CONFIG = 'migrator.config.ts';

    it('a syntax error names the config file', () => {
      const broken = `import { defineConfig } from 'migrator';\n\nexport default defineConfig({\n  database: 'sqlite:./app.db',\n  models: ['entities/*.ts'\n});\n`;
      leavesProjectAlone(p, () =>
        withFile(p, CONFIG, broken, () => {
          const line = assertUserError(p.run(['migrate']));
          assert.match(line, /migrator\.config\.ts/);
        }),
      );
    });

    it('an unknown option is named, with the options there are', () => {
      const config = configSource().replace(/^(\s*versions: .*)$/m, '$1\n  colour: "blue",');
      assert.match(config, /colour/, 'the test config has the unknown option');
      leavesProjectAlone(p, () =>
        withFile(p, CONFIG, config, () => {
          const line = assertUserError(p.run(['migrate']));
          assert.match(line, /migrator\.config\.ts/);
          assert.match(line, /"?colour"?/);
          assert.match(line, /models/, 'lists the known options');
        }),
      );
    });

    it('models that are not an array of strings are named', () => {
      const config = configSource().replace(/models: \[[^\]]*\]/, 'models: [42, "entities/*.ts"] as any');
      assert.match(config, /models: \[42/);
      leavesProjectAlone(p, () =>
        withFile(p, CONFIG, config, () => {
          const line = assertUserError(p.run(['makemigrations']));
          assert.match(line, /migrator\.config\.ts/);
          assert.match(line, /"?models"?/);
        }),
      );
    });
  });

  describe('bad model files', () => {
    it('classes the reader cannot take are all named in one run, a line each with file:line', () => {
      const odd = (name: string, length: string): string => `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity()
export class ${name} {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: ${length} })
  code!: string;
}
`;
      leavesProjectAlone(p, () =>
        withFile(p, 'entities/coupon.ts', odd('Coupon', 'Math.max(8, 12)'), () =>
          withFile(p, 'entities/voucher.ts', odd('Voucher', 'Math.min(8, 12)'), () => {
            const r = p.run(['makemigrations', '-m', 'x']);
            const first = assertUserError(r, { oneLine: false });
            assert.equal(first, 'error: 2 entity classes cannot be read:');
            const lines = r.stderr.split('\n').filter((l) => l.trim() !== '').slice(1).map((l) => l.trim());
            assert.equal(lines.length, 2, explain(r, 'to name both classes'));
            assert.match(lines[0], /entities\/coupon\.ts:8: `Math` is a global/);
            assert.match(lines[1], /entities\/voucher\.ts:8: `Math` is a global/);
          }),
        ),
      );
    });

    it('a syntax error names file:line', () => {
      const broken = `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity()
export class Broken {
  @PrimaryGeneratedColumn()
  id!: number;
  @Column(
  name!: string;
}
`;
      leavesProjectAlone(p, () =>
        withFile(p, 'entities/broken.ts', broken, () => {
          for (const command of ['makemigrations', 'check']) {
            const line = assertUserError(p.run([command]));
            assert.match(line, /entities[\\/]broken\.ts:[78]\b/, `${command}: names the file and line`);
            assert.match(line, /syntax/i);
          }
        }),
      );
    });

    it('an unsupported decorator names file:line and the decorator', () => {
      const tree = `import { Entity, PrimaryGeneratedColumn, Tree, TreeLevelColumn } from 'typeorm';

@Entity()
@Tree('closure-table')
export class Category {
  @PrimaryGeneratedColumn()
  id!: number;
  @TreeLevelColumn()
  level!: number;
}
`;
      leavesProjectAlone(p, () =>
        withFile(p, 'entities/category.ts', tree, () => {
          const line = assertUserError(p.run(['makemigrations']));
          assert.match(line, /entities[\\/]category\.ts:8\b/);
          assert.match(line, /@?TreeLevelColumn\b/);
        }),
      );
    });

    it('an unsupported @Column option names file:line and the option', () => {
      const generated = `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity()
export class Person {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 80, asExpression: 'upper(name)' })
  name!: string;
}
`;
      leavesProjectAlone(p, () =>
        withFile(p, 'entities/person.ts', generated, () => {
          const line = assertUserError(p.run(['makemigrations']));
          assert.match(line, /entities[\\/]person\.ts:8\b/);
          assert.match(line, /asExpression/);
        }),
      );
    });
  });

  describe('unknown revision', () => {
    it('upgrade deadbeef0000 names the revision', () => {
      leavesProjectAlone(p, () => {
        const r = p.run(['upgrade', 'deadbeef0000']);
        assert.equal(r.status, 2, explain(r, 'to exit 2'));
        assert.match(r.stderr, /deadbeef0000/);
        assertUserError(r);
      });
    });

    it('show zzzz names the revision', () => {
      const r = p.run(['show', 'zzzz']);
      assert.equal(r.status, 2, explain(r, 'to exit 2'));
      assert.match(r.stderr, /zzzz/);
      assert.equal(r.stdout, '', 'prints nothing on stdout');
      assertUserError(r);
    });

    it('stamp deadbeef0000 names the revision and stamps nothing', () => {
      leavesProjectAlone(p, () => {
        const r = p.run(['stamp', 'deadbeef0000']);
        assert.equal(r.status, 2, explain(r, 'to exit 2'));
        assert.match(r.stderr, /deadbeef0000/);
        assertUserError(r);
      });
    });
  });

  describe('database not at head', () => {
    it('makemigrations refuses and says to run migrate', () => {
      // A teammate's revision arrived with a pull; the database has not been migrated yet.
      const teammate = sqlRevision('mate00000002', BASE, 'teammate', ['CREATE TABLE mate (id integer)'], ['DROP TABLE mate']);
      const changed = PRODUCT.replace('  title!: string | null;\n', '  title!: string | null;\n\n  @Column({ default: 0 })\n  stock!: number;\n');
      assert.notEqual(changed, PRODUCT);
      withFile(p, 'entities/product.ts', changed, () =>
        withFile(p, 'versions/mate00000002_teammate.ts', teammate, () =>
          leavesProjectAlone(p, () => {
            const line = assertUserError(p.run(['makemigrations', '-m', 'add stock']));
            assert.match(line, /migrate/);
            assert.match(line, /mate00000002/, 'names the head the database is not at');
            assert.match(line, new RegExp(BASE), 'names the revision the database is at');
          }),
        ),
      );
    });
  });

  describe('unreachable database', () => {
    it('a SQLite file in a missing folder is named and nothing is created', () => {
      const url = 'sqlite:/nonexistent-dir/x/y.db';
      leavesProjectAlone(p, () => {
        const line = assertUserError(p.run(['--database', url, 'migrate']));
        assert.ok(line.includes(url), `names ${url}: ${line}`);
      });
      assert.ok(!existsSync('/nonexistent-dir'), 'no folder was created');
    });

    const PG = 'postgres://bob:s3cret@127.0.0.1:1/db';
    const noPassword = (r: RunResult): void => {
      assert.ok(!r.stdout.includes('s3cret') && !r.stderr.includes('s3cret'), explain(r, 'never to print the password'));
    };

    for (const command of [['migrate'], ['current'], ['check'], ['stamp', 'heads']]) {
      it(`${command.join(' ')} with a postgres URL in --database never shows its password`, () => {
        leavesProjectAlone(p, () => {
          const r = p.run(['--database', PG, ...command]);
          noPassword(r);
          const line = assertUserError(r);
          assert.match(line, /postgres/, 'names the database');
        });
      });
    }

    it('sqlmigrate with a postgres URL in --database never shows its password', () => {
      // Offline SQL needs no connection, so this may succeed; either way no password.
      const r = p.run(['--database', PG, 'sqlmigrate', BASE]);
      noPassword(r);
      assert.ok(r.status === 0 || r.status === 2, explain(r, 'to exit 0 or 2'));
      assert.ok(!r.stderr.includes('    at '), explain(r, 'to print no stack trace'));
    });

    it('a postgres URL from DATABASE_URL or the config never shows its password, not even with --verbose', () => {
      const noDatabase = configSource().replace(/^\s*database: .*\n/m, '');
      assert.doesNotMatch(noDatabase, /database:/);
      leavesProjectAlone(p, () => {
        withFile(p, 'migrator.config.ts', noDatabase, () => {
          const r = p.run(['migrate'], { DATABASE_URL: PG });
          noPassword(r);
          assert.match(assertUserError(r), /postgres/);
          const verbose = p.run(['--verbose', 'migrate'], { DATABASE_URL: PG });
          assert.equal(verbose.status, 2, explain(verbose, 'to exit 2'));
          noPassword(verbose);
        });
        withFile(p, 'migrator.config.ts', configSource({ database: PG }), () => {
          const r = p.run(['current']);
          noPassword(r);
          assert.match(assertUserError(r), /postgres/);
        });
      });
    });
  });
});

describe('a revision that fails halfway', () => {
  const p = newProject();
  let result: RunResult;
  before(() => {
    p.writeConfig();
    p.write('versions/good00000001_good.ts', sqlRevision('good00000001', null, 'good', ['CREATE TABLE good_one (id integer PRIMARY KEY)'], ['DROP TABLE good_one']));
    p.write(
      'versions/bad000000002_half.ts',
      sqlRevision(
        'bad000000002',
        'good00000001',
        'half',
        ['CREATE TABLE half_done (id integer PRIMARY KEY)', 'INSERT INTO half_done (id) VALUES (1)', 'INSERT INTO no_such_table (id) VALUES (1)'],
        ['DROP TABLE half_done'],
      ),
    );
    result = p.run(['migrate']);
  });

  it('exits 2 naming the revision and the failing statement, without a stack trace', () => {
    const line = assertUserError(result);
    assert.match(line, /bad000000002/, 'names the revision');
    assert.ok(line.includes('INSERT INTO no_such_table (id) VALUES (1)'), explain(result, 'to name the failing statement'));
    assert.match(line, /no such table/);
    assert.doesNotMatch(line, /half_done \(id\) VALUES/, 'names the statement that failed, not an earlier one');
  });

  it('leaves the database at the previous revision', () => {
    assert.match(result.stdout, /Applied\s+good00000001/);
    assert.doesNotMatch(result.stdout, /Applied\s+bad000000002/);
    assert.deepEqual(p.versions(), ['good00000001']);
    assert.deepEqual(p.tables(), ['good_one', 'migrator_history', 'migrator_version'], 'the failed revision left no tables behind');
    const current = p.ok(['current']);
    assert.match(current.stdout, /^good00000001\b/m);
  });
});
