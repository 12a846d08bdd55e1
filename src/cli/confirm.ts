/** The question autogenerate asks on a terminal before writing a revision that loses data. */
import type { Finding } from '../diff/data-loss.js';

/**
 * The data-loss flags, and on a terminal (stdin and stdout both) a question about the findings.
 * Without a terminal nothing is asked: findings refuse the revision unless --accept-data-loss.
 */
export function safety(o: { acceptDataLoss?: boolean; allowEmpty?: boolean }): { acceptDataLoss?: boolean; allowEmpty?: boolean; confirm?: (findings: readonly Finding[]) => Promise<boolean> } {
  const interactive = !!process.stdin.isTTY && !!process.stdout.isTTY;
  return { acceptDataLoss: o.acceptDataLoss, allowEmpty: o.allowEmpty, ...(interactive ? { confirm: ask } : {}) };
}

async function ask(findings: readonly Finding[]): Promise<boolean> {
  const { formatFinding } = await import('../diff/data-loss.js');
  for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  // End of input (Ctrl-D) is a no.
  const answer = await new Promise<string>((resolve) => {
    rl.once('close', () => resolve(''));
    rl.question('Generate it anyway? [y/N] ', resolve);
  });
  rl.close();
  return /^\s*y(es)?\s*$/i.test(answer);
}
