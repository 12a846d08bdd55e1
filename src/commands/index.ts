/** One function per CLI command; each returns data and prints nothing. */
export { init } from './init.js';
export { upgrade, downgrade, moveSql, offlineSql, stamp, stampSql, stampedHeads } from './migrate.js';
export { branches, current, databaseHeads, heads, history, show, showmigrations } from './inspect.js';
export { makemigrations, revision, merge, check, sqlmigrate } from './generate.js';
export { lint } from './lint.js';
export { log, repair, status } from './history.js';
export { squash } from './squash.js';
export { verify } from './verify.js';
