/**
 * The chain of revisions the squash tests share (SQLite and PostgreSQL): users, then posts
 * created and altered over three revisions, then one more revision built on the last of them.
 *
 *   A users(id, name)                                   — before the range
 *   B users.email; posts(id, user_id → users, title)     — the range: B, C, D
 *   C posts.published default false; index ix_posts_user; users.name wider
 *   D posts.title renamed headline; published default true; raw SQL
 *   E posts.body                                         — after the range, revises D
 */
export const A = 'a1a1a1a1a1a1';
export const B = 'b2b2b2b2b2b2';
export const C = 'c3c3c3c3c3c3';
export const D = 'd4d4d4d4d4d4';
export const E = 'e5e5e5e5e5e5';
export const S = '5a5a5a5a5a5a';

function file(id: string, down: string | null, message: string, up: string[], downOps: string[]): string {
  return `/**
 * ${message}
 */
import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | string[] | null = ${down === null ? 'null' : `'${down}'`};

export async function upgrade(op: Operations): Promise<void> {
${up.map((l) => `  await ${l};`).join('\n')}
}

export async function downgrade(op: Operations): Promise<void> {
${downOps.map((l) => `  await ${l};`).join('\n')}
}
`;
}

/** File name → source of each revision of the chain. */
export function chain(types: { bool: string; no: string; yes: string }): Record<string, string> {
  const int = "type: 'integer', nullable: false";
  return {
    [`${A}_users.ts`]: file(A, null, 'users', [`op.createTable('users', { columns: [{ name: 'id', ${int} }, { name: 'name', type: 'varchar(50)', nullable: false }], primaryKey: { columns: ['id'] } })`], [
      "op.dropTable('users')",
    ]),
    [`${B}_posts.ts`]: file(
      B,
      A,
      'posts and user emails',
      [
        "op.addColumn('users', { name: 'email', type: 'varchar(100)', nullable: true })",
        `op.createTable('posts', { columns: [{ name: 'id', ${int} }, { name: 'user_id', ${int} }, { name: 'title', type: 'varchar(100)', nullable: false }], primaryKey: { columns: ['id'] }, foreignKeys: [{ name: 'fk_posts_user', columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'] }] })`,
      ],
      ["op.dropTable('posts')", "op.dropColumn('users', 'email')"],
    ),
    [`${C}_published.ts`]: file(
      C,
      B,
      'published posts',
      [
        `op.addColumn('posts', { name: 'published', type: '${types.bool}', nullable: false, default: '${types.no}' })`,
        "op.createIndex('posts', { name: 'ix_posts_user', columns: ['user_id'] })",
        "op.alterColumn('users', 'name', { type: 'varchar(200)' })",
      ],
      ["op.alterColumn('users', 'name', { type: 'varchar(50)' })", "op.dropIndex('posts', 'ix_posts_user')", "op.dropColumn('posts', 'published')"],
    ),
    [`${D}_headline.ts`]: file(
      D,
      C,
      'headlines',
      ["op.renameColumn('posts', 'title', 'headline')", `op.alterColumn('posts', 'published', { default: '${types.yes}' })`, `op.execute("UPDATE posts SET published = ${types.yes}")`],
      [`op.alterColumn('posts', 'published', { default: '${types.no}' })`, "op.renameColumn('posts', 'headline', 'title')"],
    ),
    [`${E}_body.ts`]: file(E, D, 'post bodies', ["op.addColumn('posts', { name: 'body', type: 'text', nullable: true })"], ["op.dropColumn('posts', 'body')"]),
  };
}
