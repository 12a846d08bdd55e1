/**
 * Views, materialized views and triggers that a revision's own SQL made (`op.execute`), which no
 * model states, over columns and tables that a later model change retypes or drops (PostgreSQL):
 * PostgreSQL refuses the change while they stand, so `makemigrations` says which of them depend
 * on what, as a data-dependent finding, and writes nothing; with `--accept-data-loss` the revision
 * is written with the finding above the operation, and fails at `migrate`, rolled back. A trigger
 * of a table that is dropped goes with it and is not a finding. One database, dropped at the end.
 * Build first: `npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { configSource, explain, generatedFile, projects } from './helpers.ts';

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase('migrator_dependents');
});
after(async () => {
  await db?.drop();
});

const newProject = projects();

const round = (reward: string, extra = ''): string => `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('qf_round')
export class QfRound {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('text')
  name!: string;

  ${reward}
  maximumReward!: number;
${extra}}
`;

const label = `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('labels')
export class Label {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('text')
  name!: string;
}
`;

describe('objects a revision made by hand over what the models change, on PostgreSQL', () => {
  it('are named as data-dependent findings, and nothing is written without --accept-data-loss', async () => {
    const p = newProject('migrator-dependents-');
    p.write('migrator.config.ts', configSource({ database: db.url }));
    p.write('entities/round.ts', round("@Column('float')"));
    p.write('entities/label.ts', label);
    p.ok(['makemigrations', '-m', 'tables']);
    p.ok(['migrate']);
    // A revision of the project's own: a view, a materialized view and a trigger.
    const made = p.ok(['revision', '-m', 'views']);
    const file = generatedFile(made);
    p.write(
      file,
      p.read(file).replace(
        /export async function upgrade\(op: Operations\): Promise<void> \{[\s\S]*?\n\}/,
        `export async function upgrade(op: Operations): Promise<void> {
  await op.execute('CREATE VIEW qf_round_reward_view AS SELECT id, "maximumReward" FROM qf_round');
  await op.execute('CREATE MATERIALIZED VIEW round_names AS SELECT name FROM qf_round');
  await op.execute("CREATE FUNCTION label_touched() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'");
  await op.execute('CREATE TRIGGER label_renamed AFTER UPDATE ON labels FOR EACH ROW WHEN (OLD.name <> NEW.name) EXECUTE FUNCTION label_touched()');
}`,
      ).replace(/export async function downgrade\(op: Operations\): Promise<void> \{[\s\S]*?\n\}/, `export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DROP TRIGGER label_renamed ON labels');
  await op.execute('DROP FUNCTION label_touched()');
  await op.execute('DROP MATERIALIZED VIEW round_names');
  await op.execute('DROP VIEW qf_round_reward_view');
}`),
    );
    p.ok(['migrate']);
    assert.match(p.ok(['check']).stdout, /No changes detected/);
    const files = (): number => fs.readdirSync(p.path('versions')).filter((f) => f.endsWith('.ts')).length;
    const written = files();

    // A type change under a view, and one under a trigger's WHEN.
    p.write('entities/round.ts', round("@Column('decimal', { precision: 10, scale: 2 })"));
    p.write('entities/label.ts', label.replace("@Column('text')", "@Column('varchar', { length: 100 })"));
    const retyped = p.run(['makemigrations', '-m', 'retyped']);
    assert.notEqual(retyped.status, 0, explain(retyped, 'to refuse'));
    assert.match(retyped.stderr, /data-dependent: alter column qf_round\.maximumReward to numeric\(10,2\) \(view qf_round_reward_view depends on column maximumReward, which PostgreSQL refuses to change under it\)/);
    assert.match(retyped.stderr, /data-dependent: alter column labels\.name to character varying\(100\) \(trigger label_renamed on labels depends on column name/);
    assert.equal(files(), written);

    // Written anyway: the finding is above the operation, and migrate fails, rolled back.
    const accepted = p.ok(['makemigrations', '-m', 'retyped', '--accept-data-loss']);
    const source = p.read(generatedFile(accepted));
    assert.match(source, /\/\/ migrator: view qf_round_reward_view depends on qf_round\.maximumReward; this fails at migrate unless it is dropped before \(op\.execute\) and made again after\n\s*await op\.alterColumn\('qf_round', 'maximumReward'/);
    const failed = p.run(['migrate']);
    assert.notEqual(failed.status, 0, explain(failed, 'to fail at migrate'));
    assert.match(failed.stderr, /depends on column|used by a view or rule|used in a trigger definition/);
    p.remove(generatedFile(accepted));

    // The column dropped, then the table: the views that read it are named; not a table's own trigger.
    p.write('entities/label.ts', label);
    p.write('entities/round.ts', round("@Column('float')").replace(/\n  @Column\('float'\)\n  maximumReward!: number;\n/, '\n'));
    const dropped = p.run(['makemigrations', '-m', 'dropped', '--accept-data-loss']);
    assert.equal(dropped.status, 0, explain(dropped, 'to write the revision'));
    assert.match(dropped.stdout, /data-dependent: drop column qf_round\.maximumReward \(view qf_round_reward_view depends on column maximumReward/);
    p.remove(generatedFile(dropped));
    p.remove('entities/round.ts');
    p.remove('entities/label.ts');
    p.write('entities/other.ts', "import { Entity, PrimaryGeneratedColumn } from 'typeorm';\n\n@Entity()\nexport class Other {\n  @PrimaryGeneratedColumn()\n  id!: number;\n}\n");
    const gone = p.run(['makemigrations', '-m', 'gone', '--accept-data-loss']);
    assert.equal(gone.status, 0, explain(gone, 'to write the revision'));
    assert.match(gone.stdout, /data-dependent: drop table qf_round \(materialized view round_names, view qf_round_reward_view depend on the table/);
    assert.doesNotMatch(gone.stdout, /trigger label_renamed/);
  });
});
