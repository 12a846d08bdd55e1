/**
 * Rename detection on MySQL/MariaDB: the suite of rename-suite.ts (its entity-class cases; migrator
 * reads no Prisma schema for MySQL), each case in a database of its own (test/support/mysql.ts),
 * compared before and after by its information_schema catalog. The suite's SQL quotes names in
 * double quotes, so its queries run with ANSI_QUOTES. Needs `npx tsc -p tsconfig.json` first.
 */
import { mysqlCatalogText, readMysqlCatalog } from '../support/mysql-catalog.ts';
import { createMysqlTestDatabase } from '../support/mysql.ts';
import type { Row } from './helpers.ts';
import { renameSuite } from './rename-suite.ts';

renameSuite({
  provider: 'mysql',
  prisma: false,
  async open() {
    const db = await createMysqlTestDatabase('migrator_renames');
    return {
      url: db.url,
      async query(sql) {
        // Every query: reading the catalog ends the session, and with it the mode.
        await db.query("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',ANSI_QUOTES')");
        return db.query<Row>(sql);
      },
      shape: async () => mysqlCatalogText(await readMysqlCatalog(db)),
      drop: () => db.drop(),
    };
  },
});
