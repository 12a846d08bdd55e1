/**
 * The child process's side of its two pipes to migrator: messages out on descriptor 3, naming
 * replies in on descriptor 4. TypeORM asks its naming strategy synchronously while it builds the
 * metadata, so a call to the config's strategy (which lives in migrator's process) blocks on the
 * reply.
 */
import fs from 'node:fs';
import { encodeArg, FROM_PARENT_FD, TO_PARENT_FD, type ChildMessage, type NamingReply } from './description.js';

function writeAll(fd: number, text: string): void {
  const data = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < data.length; ) offset += fs.writeSync(fd, data, offset);
}

let pending = '';
const chunk = Buffer.alloc(64 * 1024);
const pause = new Int32Array(new SharedArrayBuffer(4));

function readLine(): string {
  for (;;) {
    const nl = pending.indexOf('\n');
    if (nl >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      return line;
    }
    let n: number;
    try {
      n = fs.readSync(FROM_PARENT_FD, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
      continue;
    }
    if (n === 0) throw new Error('migrator closed the naming channel');
    pending += chunk.toString('utf8', 0, n);
  }
}

/** Sends one message to migrator. */
export function send(message: ChildMessage): void {
  writeAll(TO_PARENT_FD, `${JSON.stringify(message)}\n`);
}

/** Thrown inside TypeORM when the config's naming strategy failed; migrator holds the reason. */
export class NamingFailed extends Error {}

/** Calls `method` of the config's naming strategy in migrator's process and waits for the name. */
export function callNaming(method: string, args: unknown[]): unknown {
  send({ t: 'name', method, args: args.map(encodeArg) });
  const reply = JSON.parse(readLine()) as NamingReply;
  if (!reply.ok) throw new NamingFailed(`namingStrategy.${method} failed`);
  return reply.value;
}

/**
 * A naming strategy for TypeORM whose `methods` are the config's (called through the bridge) and
 * whose other methods are TypeORM's DefaultNamingStrategy — which reach the config's through `this`.
 */
export function bridgedStrategy(DefaultNamingStrategy: new () => object, methods: string[], properties: Record<string, unknown>): object {
  const Bridged = class extends DefaultNamingStrategy {};
  for (const method of methods) {
    Object.defineProperty(Bridged.prototype, method, {
      value: (...args: unknown[]) => callNaming(method, args),
      writable: true,
      configurable: true,
    });
  }
  const strategy = new Bridged();
  // Methods of the config's strategy win over data TypeORM's default sets on its instances.
  for (const method of methods) delete (strategy as Record<string, unknown>)[method];
  return Object.assign(strategy, properties);
}
