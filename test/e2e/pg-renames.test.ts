/**
 * Rename detection on PostgreSQL: the suite of rename-suite.ts, each case in a database of its
 * own (test/support/pg.ts), compared before and after by its catalog. Needs
 * `npx tsc -p tsconfig.json` first.
 */
import { pgCatalogText, readPgCatalog } from '../support/pg-catalog.ts';
import { createTestDatabase } from '../support/pg.ts';
import { renameSuite } from './rename-suite.ts';

renameSuite({
  provider: 'postgresql',
  prisma: true,
  async open() {
    const db = await createTestDatabase('migrator_renames');
    return {
      url: db.url,
      query: (sql) => db.query(sql),
      shape: async () => pgCatalogText(await readPgCatalog(db)),
      drop: () => db.drop(),
    };
  },
});
