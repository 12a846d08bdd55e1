/**
 * A model its own framework would refuse for having no key is refused by makemigrations and
 * check too, before anything is written: an entity class without a primary column (TypeORM's
 * MissingPrimaryColumnError), a Prisma model without a unique criterion over required fields.
 * Exit 2, one line naming file:line and the model, no revision file, the database untouched.
 *
 * SQLite only: the refusal comes from reading the models, whatever the database. Needs
 * `npx tsc -p tsconfig.json` first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertUserError, explain, projects, type TempProject } from './helpers.ts';

const newProject = projects();

const NOTE_ENTITY = `import { Column, Entity, PrimaryGeneratedColumn } from 'migrator/decorators';

@Entity('authors')
export class Author {
  @PrimaryGeneratedColumn() id!: number;
  @Column() name!: string;
}

/** Free text, with nothing that tells one row from another. */
@Entity('notes')
export class Note {
  @Column() body!: string;
}
`;

const NOTE_PRISMA = `datasource db {
  provider = "sqlite"
}

model Author {
  id   Int    @id
  name String
}

model Note {
  body String
  code String? @unique
}
`;

/** makemigrations and check both fail with `pattern`; versions/ stays empty and the database as it was. */
function refusedEverywhere(p: TempProject, pattern: RegExp): void {
  const before = p.dump();
  for (const command of [['makemigrations', '-m', 'notes'], ['check']]) {
    const line = assertUserError(p.run(command));
    assert.match(line, pattern, `migrator ${command.join(' ')}: ${line}`);
  }
  assert.deepEqual(p.versionFiles(), []);
  assert.equal(p.dump(), before);
}

describe('a model without a key is refused before anything is written', () => {
  it('an entity class without a primary column: the file and line of the class, and what to add', () => {
    const p = newProject('migrator-nokey-entity-');
    p.writeConfig();
    p.writeEntity('notes', NOTE_ENTITY);
    p.ok(['migrate']); // the version table exists: the database has something to keep
    const file = p.path('entities', 'notes.ts');
    refusedEverywhere(p, new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:10: entity Note has no primary column, which TypeORM refuses.*@PrimaryGeneratedColumn\\(\\)`));

    // With a key, the same project goes through.
    p.writeEntity('notes', NOTE_ENTITY.replace('@Column() body', '@PrimaryGeneratedColumn() id!: number;\n  @Column() body'));
    const r = p.ok(['makemigrations', '-m', 'notes']);
    assert.match(r.stdout, /create table notes/, explain(r, 'to create the notes table'));
  });

  it('a Prisma model whose only unique field is optional: the file and line of the model, as Prisma says', () => {
    const p = newProject('migrator-nokey-prisma-');
    p.writeConfig({ models: ['schema.prisma'] });
    p.write('schema.prisma', NOTE_PRISMA);
    p.ok(['migrate']);
    const file = p.path('schema.prisma');
    refusedEverywhere(p, new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:10: model Note has no unique criterion over required fields.*@@unique`));

    p.write('schema.prisma', NOTE_PRISMA.replace('code String? @unique', 'code String  @unique'));
    const r = p.ok(['makemigrations', '-m', 'notes']);
    assert.match(r.stdout, /create table Note/, explain(r, 'to create the Note table'));
  });
});
