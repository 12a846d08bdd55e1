/** SQLite URLs: `sqlite:<path>` (relative to the config's folder), `sqlite://<path>`, `sqlite::memory:`. */
import path from 'node:path';
import { MigratorError } from '../../errors.js';
import type { DialectUrls } from '../dialect.js';

export const sqliteUrls: DialectUrls = {
  schemes: ['sqlite'],
  example: 'sqlite:<path>, sqlite::memory:',
  plain: true,
  parse(url, baseDir) {
    let file = url.slice('sqlite:'.length);
    if (file.startsWith('//')) file = file.slice(2);
    if (!file) throw new MigratorError(`database URL "${url}" names no file; use sqlite:./app.db or sqlite::memory:`);
    return { location: file === ':memory:' ? file : path.resolve(baseDir, file), display: url };
  },
};
