/**
 * Hand-written revision files for the online-DDL tests (pg-online, sqlite-online): a1 creates
 * `parents` and `items`, b2 changes `items` with every online operation.
 */

/** A revision file: its docstring message, ids, and the lines of upgrade() and downgrade(); `head` goes after the ids. */
export const revisionFile = (id: string, down: string | null, message: string, up: string[], downOps: string[], head = ''): string => `/**
 * ${message}
 */
import type { Operations } from 'migrator';

export const revision = '${id}';
export const downRevision: string | string[] | null = ${down === null ? 'null' : `'${down}'`};
${head}
export async function upgrade(op: Operations): Promise<void> {
${up.map((l) => `  ${l}`).join('\n')}
}

export async function downgrade(op: Operations): Promise<void> {
${downOps.map((l) => `  ${l}`).join('\n')}
}
`;

/** a1: parents(id) and items(id, parent_id, qty, code), all of items' columns nullable. */
export const TABLES = revisionFile(
  'a1',
  null,
  'tables',
  [
    "await op.createTable('parents', { columns: [{ name: 'id', type: 'integer', nullable: false }], primaryKey: { columns: ['id'] } });",
    "await op.createTable('items', {",
    "  columns: [",
    "    { name: 'id', type: 'integer', nullable: false },",
    "    { name: 'parent_id', type: 'integer', nullable: true },",
    "    { name: 'qty', type: 'integer', nullable: true },",
    "    { name: 'code', type: 'text', nullable: true },",
    '  ],',
    "  primaryKey: { columns: ['id'] },",
    '});',
  ],
  ["await op.dropTable('items');", "await op.dropTable('parents');"],
);

/** b2: an index built concurrently, a foreign key and a check validated apart, NOT NULL through a check. */
export const ONLINE_UP = [
  "await op.createIndex('items', { name: 'items_qty_idx', columns: ['qty'], concurrently: true });",
  "await op.createForeignKey('items', { name: 'items_parent_fk', columns: ['parent_id'], referencedTable: 'parents', referencedColumns: ['id'] }, { validate: false });",
  "await op.validateConstraint('items', 'items_parent_fk');",
  "await op.createCheckConstraint('items', { name: 'items_qty_positive', expression: 'qty > 0' }, { validate: false });",
  "await op.validateConstraint('items', 'items_qty_positive');",
  "await op.alterColumn('items', 'code', { nullable: false }, { throughCheck: true });",
];
export const ONLINE_DOWN = [
  "await op.alterColumn('items', 'code', { nullable: true });",
  "await op.dropConstraint('items', 'items_qty_positive', 'check');",
  "await op.dropConstraint('items', 'items_parent_fk', 'foreignKey');",
  "await op.dropIndex('items', 'items_qty_idx', { concurrently: true });",
];
export const ONLINE = revisionFile('b2', 'a1', 'online', ONLINE_UP, ONLINE_DOWN);
/** The phases b2 runs in on PostgreSQL: the index; the foreign key; its validation; the check; its validation; the NOT NULL check; its validation; SET NOT NULL. */
export const ONLINE_PHASES = 8;
