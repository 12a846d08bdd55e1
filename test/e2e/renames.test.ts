/**
 * Rename detection on SQLite: the suite of rename-suite.ts, each case in its own project and
 * database file. Needs `npx tsc -p tsconfig.json` first.
 */
import { ignoringColumnOrder } from './helpers.ts';
import { renameSuite } from './rename-suite.ts';

renameSuite({
  provider: 'sqlite',
  prisma: true,
  async open(p) {
    return {
      url: 'sqlite:./app.db',
      query: async (sql) => (/^\s*select/i.test(sql) ? p.query(sql) : (p.exec(sql), [])),
      // Columns, indexes and foreign keys by PRAGMA: a rename and its reverse may requote the stored SQL.
      shape: async () => JSON.stringify(ignoringColumnOrder(p.schema()), null, 1),
      drop: async () => undefined,
    };
  },
});
