/**
 * The versions-folder lock: one command at a time writes revision files, so that two commands
 * started together cannot both build on the same head. The lock is a file created exclusively,
 * holding its owner's process id; a lock whose process has died is taken over.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MigratorError, messageOf } from '../errors.js';

/** The lock file's name inside the (first) version folder. A dot file: the scan skips it. */
export const LOCK_NAME = '.migrator.lock';

/** How long a command waits for another one to finish writing before it gives up. */
const WAIT_MS = 5_000;
const POLL_MS = 50;
/** A lock file still without a process id after this long was left by a writer that died. */
const UNFINISHED_MS = 5_000;

/** Runs `body` holding the lock of the version folder `dir` (created, and removed again if left empty). */
export async function withVersionsLock<T>(dir: string, body: () => Promise<T>): Promise<T> {
  const created = mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_NAME);
  try {
    await acquire(file);
    try {
      return await body();
    } finally {
      release(file);
    }
  } finally {
    if (created) removeEmptyFolders(dir, created);
  }
}

interface Holder {
  content: string;
  pid?: number;
  ageMs: number;
}

async function acquire(file: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (create(file)) return;
    const holder = read(file);
    if (!holder) continue; // released meanwhile: try again at once
    if (holder.pid === undefined ? holder.ageMs > UNFINISHED_MS : !alive(holder.pid)) {
      takeOver(file, holder.content);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder.pid === undefined ? 'a process that has not written its id yet' : `process ${holder.pid}`;
      throw new MigratorError(
        `${file} is held by ${who} (another migrator command writing a revision); wait for it to finish and run this again, or delete the lock file if no migrator command is running`,
      );
    }
    await sleep(POLL_MS + Math.floor(Math.random() * POLL_MS));
  }
}

/** Creates the lock file if there is none; false when another holds it. */
function create(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new MigratorError(`cannot create the lock file ${file}: ${messageOf(error)}; check that the version folder is writable`, { cause: error });
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function read(file: string): Holder | undefined {
  try {
    const content = readFileSync(file, 'utf8');
    const ageMs = Date.now() - statSync(file).mtimeMs;
    const pid = /^\s*(\d+)\s*$/.exec(content)?.[1];
    return { content, pid: pid === undefined ? undefined : Number(pid), ageMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a stale lock file. It is first renamed aside — atomic, so of several commands taking
 * over only one moves it — and if what was moved is not the stale file that was judged (another
 * command took over in between), it is linked back, which never replaces a newer lock.
 */
function takeOver(file: string, staleContent: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleContent) {
      try {
        linkSync(aside, file);
      } catch {
        // A newer lock is in place already; the moved one's owner finds it gone on release.
      }
    }
  } finally {
    unlinkSync(aside);
  }
}

/** Removes the lock file if it is still this process's. */
function release(file: string): void {
  if (read(file)?.pid === process.pid) unlinkSync(file);
}

/** Removes `dir` and its parents up to `top` (the first folder this command created) while empty. */
function removeEmptyFolders(dir: string, top: string): void {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top || path.dirname(d) === d) return;
  }
}
