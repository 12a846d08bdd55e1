/**
 * Revision headers kept between runs, so that a long history's files are looked at (`stat`), not
 * opened and read, at every command. Each version folder has a cache file in the project's
 * `node_modules/.cache/migrator/headers`, holding for each file what `stat` said of it when it was
 * read (size, modification and change times, inode) and the header read from it. An entry serves
 * only while all four are unchanged — an edit, a replaced file, a `touch` or a checkout changes
 * the change time, which no tool can set back — and only for a file changed well before the run
 * that wrote the cache began looking: one changed within the same clock tick as it was looked at
 * could look unchanged (git's index treats such "racy" entries the same way). Without a node_modules folder, or when the cache cannot be
 * read or written, every file is read.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { cacheDirOf, writeCacheFile } from '../loader.js';
import type { Revision } from '../revisions/graph.js';

/** What a header is kept as: all but its path, which is the entry's key. */
type Header = Omit<Revision, 'path'>;
/** size, mtimeMs, ctimeMs, ino, header. */
type Entry = [number, number, number, number, Header];

interface CacheFile {
  /** Changes with what a header holds or how it is read. */
  format: string;
  /**
   * When the run that wrote it began looking at the files (ms since the epoch): a file changed
   * after it looked was changed after this.
   */
  written: number;
  entries: Record<string, Entry>;
}

const FORMAT = 'headers 1';
/**
 * How long before the run that wrote the cache began a file's last change must be for its entry
 * to serve (ms): more than the coarsest file-system clock (2 s on FAT).
 */
const RACY_MS = 3000;

export class HeaderCache {
  private readonly fresh: Record<string, Entry> = {};
  private changed = false;
  /** When this run began looking at the files. */
  private readonly began = Date.now();

  private constructor(
    private readonly file: string | undefined,
    private readonly kept: CacheFile | undefined,
  ) {}

  /** The cache of the version folder `dir`; one that keeps nothing when the project has no node_modules. */
  static of(dir: string): HeaderCache {
    const folder = path.resolve(dir);
    const cacheDir = cacheDirOf(folder, 'headers');
    const file = cacheDir && path.join(cacheDir, `${createHash('sha256').update(folder).digest('hex').slice(0, 32)}.json`);
    return new HeaderCache(file, file ? readCache(file) : undefined);
  }

  /** The header of revision file `file` (named `name` in the folder): kept, or read with `read`. */
  header(file: string, name: string, read: (file: string) => Revision): Revision {
    if (!this.file) return read(file);
    let stats: Stats | undefined;
    try {
      stats = statSync(file);
    } catch {
      // read reports it
    }
    const kept = this.kept?.entries[name];
    if (stats && kept && this.serves(kept, stats)) {
      this.fresh[name] = kept;
      return { ...kept[4], path: file };
    }
    const revision = read(file);
    if (stats) {
      const { path: _, ...header } = revision;
      this.fresh[name] = [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino, header];
    }
    this.changed = true;
    return revision;
  }

  private serves([size, mtime, ctime, ino]: Entry, stats: Stats): boolean {
    return size === stats.size && mtime === stats.mtimeMs && ctime === stats.ctimeMs && ino === stats.ino && Math.max(mtime, ctime) < this.kept!.written - RACY_MS;
  }

  /** Writes the cache when a file was read or one is gone; a cache that cannot be written is left. */
  save(): void {
    if (!this.file) return;
    const gone = this.kept && Object.keys(this.kept.entries).some((name) => !(name in this.fresh));
    if (!this.changed && !gone) return;
    writeCacheFile(this.file, JSON.stringify({ format: FORMAT, written: this.began, entries: this.fresh } satisfies CacheFile));
  }
}

function readCache(file: string): CacheFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    return parsed.format === FORMAT && typeof parsed.written === 'number' && parsed.entries && typeof parsed.entries === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
