/**
 * A project: its config, its revision graph (read from file headers on first use) and its
 * database. What every command starts from.
 */
import { existsSync } from 'node:fs';
import { loadConfig, type LoadConfigOptions, type ResolvedConfig } from './config/config.js';
import { redact } from './config/secrets.js';
import type { DatabaseTarget } from './config/url.js';
import type { Connection, Dialect } from './dialects/dialect.js';
import { dialectNamed, parseDatabaseUrl } from './dialects/index.js';
import { MigratorError, messageOf, withCleanup, withCode } from './errors.js';
import { RevisionGraph } from './revisions/graph.js';
import { VersionTable } from './runner/version-table.js';
import type { Recorder } from './runner/runner.js';
import { scanRevisions } from './script/scan.js';
import { cloneSchema, type Schema } from './schema/schema.js';

export interface ConnectOptions {
  /** Fail when a SQLite file does not exist yet. */
  mustExist?: boolean;
  /** The command only reads: a SQLite file that does not exist reads as an empty database. */
  readOnly?: boolean;
}

/**
 * Connections a fleet run keeps open between its targets: a connection done with one schema of a
 * database serves the next schema of that database, sparing a connection to the server each.
 */
export interface ConnectionPool {
  take(location: string): Connection | undefined;
  give(location: string, conn: Connection): void;
}

/**
 * What the targets of one fleet run share besides connections: the models, read once per dialect,
 * and the revision files' operations, recorded once per revision and direction.
 */
export interface FleetShared {
  models: Map<string, Promise<Schema>>;
  record?: Recorder;
}

export class Project {
  private graphCache?: RevisionGraph;
  private targetCache?: DatabaseTarget;

  constructor(readonly config: ResolvedConfig) {}

  static async load(options: LoadConfigOptions): Promise<Project> {
    try {
      return new Project(await loadConfig(options));
    } catch (error) {
      throw withCode(error, 'CONFIG_INVALID');
    }
  }

  /** The revision graph of the version folders; integrity errors name the files. */
  get graph(): RevisionGraph {
    if (!this.graphCache) {
      this.graphCache = new RevisionGraph(scanRevisions(this.config.versions));
    }
    return this.graphCache;
  }

  /**
   * The same project on another database (a scratch one): the same config, revisions and models.
   * A relative SQLite path in `url` resolves from `baseDir`.
   */
  onDatabase(url: string, baseDir: string): Project {
    const other = new Project({ ...this.config, database: url, databaseBase: baseDir });
    other.graphCache = this.graphCache;
    return other;
  }

  /**
   * The same project on one target of a fleet: a database, and on PostgreSQL perhaps one schema
   * of it, named `name` in messages.
   */
  onTarget(target: { url: string; schema?: string; name: string }, baseDir: string, pool?: ConnectionPool, fleet?: FleetShared): Project {
    const { schema: _schema, ...config } = this.config;
    const other = new Project({ ...config, database: target.url, databaseBase: baseDir, ...(target.schema !== undefined ? { schema: target.schema } : {}) });
    other.graphCache = this.graphCache;
    other.modelCache = fleet?.models;
    other.recorder = fleet?.record;
    other.targetName = target.name;
    if (target.schema !== undefined) other.pool = pool;
    return other;
  }

  /** What output calls this project's database: a fleet target's name, else its masked URL. */
  get displayName(): string {
    return this.targetName ?? this.target.display;
  }

  private targetName?: string;
  /** Where connections come from and go back to, on a fleet target that is a schema. */
  private pool?: ConnectionPool;

  /**
   * The models' schema on this project's dialect, a copy of its own (callers fit and settle it in
   * place). The targets of one fleet run read the same files once.
   */
  async models(): Promise<Schema> {
    const dialect = this.dialect.name;
    let read = this.modelCache?.get(dialect);
    if (!read) {
      // The model readers (and the TypeScript compiler they use) load only for commands that read models.
      const { config } = this;
      read = import('./models/index.js').then(({ readModels }) =>
        readModels(config.models, dialect, config.file, this.target.display, { namingStrategy: config.namingStrategy, dataSources: config.dataSources }),
      );
      // A failure is not kept: each target reports its own.
      const cache = this.modelCache;
      if (cache) {
        read.catch(() => void (cache.get(dialect) === read && cache.delete(dialect)));
        cache.set(dialect, read);
      }
    }
    // Shared by a fleet run's targets, each gets a copy; read for this call alone, it is its own.
    return this.modelCache ? cloneSchema(await read) : read;
  }

  /** The models a fleet run has read, by dialect; shared by its targets (none outside a fleet run). */
  private modelCache?: Map<string, Promise<Schema>>;

  /**
   * How a fleet run's targets load revision files: each once for the whole run. Outside a fleet
   * run, undefined: each run reads the files afresh, so that an edit is always seen.
   */
  recorder?: Recorder;

  /** Forgets the cached graph, after a command wrote a revision file. */
  refreshGraph(): void {
    this.graphCache = undefined;
  }

  get target(): DatabaseTarget {
    if (!this.targetCache) {
      if (!this.config.database) {
        throw new MigratorError(`no database configured: set "database" in ${this.config.file ?? 'migrator.config.ts'}, pass --database <url>, or set DATABASE_URL`, { code: 'CONFIG_INVALID' });
      }
      try {
        this.targetCache = parseDatabaseUrl(this.config.database, this.config.databaseBase);
      } catch (error) {
        throw withCode(error, 'CONFIG_INVALID');
      }
    }
    return this.targetCache;
  }

  get dialect(): Dialect {
    return dialectNamed(this.target.dialect);
  }

  versionTable(dialect: Dialect = this.dialect): VersionTable {
    const place = { database: this.config.database ? this.target.display : undefined, configFile: this.config.file };
    return new VersionTable(dialect, this.config.versionTable, place, this.config.historyTable);
  }

  /** The schema the project works in: a fleet target's, else the one the URL names; undefined for the connection's own. */
  get schema(): string | undefined {
    return this.config.schema ?? this.target.schema;
  }

  /** Opens the database; an unreachable one is an error naming the URL (password masked). */
  async connect(options: ConnectOptions = {}): Promise<Connection> {
    const target = this.target;
    let location = target.location;
    const { fileDatabase, scratchDatabase } = this.dialect.capabilities;
    if (fileDatabase && location !== scratchDatabase && !existsSync(location)) {
      if (options.mustExist) throw new MigratorError(`database ${target.display} does not exist yet; run \`migrator migrate\` to create it`);
      // A command that only reads sees a database file that is not there yet as empty, and
      // leaves no file behind.
      if (options.readOnly && scratchDatabase) location = scratchDatabase;
    }
    let conn: Connection;
    try {
      conn = this.pool?.take(location) ?? (await this.dialect.connect(location));
    } catch (error) {
      // A driver message may echo the URL or the password it was given.
      throw new MigratorError(`cannot connect to ${target.display}: ${redact(messageOf(error).split(target.location).join(target.display))}`, { cause: error, code: 'CONNECTION_FAILED' });
    }
    const schema = this.schema;
    if (schema === undefined) return conn;
    try {
      if (!conn.useSchema) throw new MigratorError(`${target.display} has no schemas: ${conn.dialect.title} runs revisions in the database the URL names`, { code: 'CONFIG_INVALID' });
      await conn.useSchema(schema);
    } catch (error) {
      await conn.close().catch(() => undefined);
      throw error instanceof MigratorError ? new MigratorError(error.message.replace('this database', target.display), { cause: error, code: error.code }) : error;
    }
    return conn;
  }

  /** Runs `body` with an open connection, closed afterwards. */
  async withConnection<T>(body: (conn: Connection) => Promise<T>, options: ConnectOptions = {}): Promise<T> {
    const conn = await this.connect(options);
    let done = false;
    return withCleanup(
      async () => {
        const result = await body(conn);
        done = true;
        return result;
      },
      async () => {
        // A pooled connection that served its body whole goes back for the next schema (which
        // sets its own search_path and lock); after a failure it is closed, whatever its state.
        if (this.pool && done && !conn.lost) return this.pool.give(this.target.location, conn);
        // A connection the server already ended has nothing left to close.
        await (conn.lost ? conn.close().catch(() => undefined) : conn.close());
      },
    );
  }
}
