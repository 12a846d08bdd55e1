/**
 * Yes/no questions on a terminal. There are none without one: when stdin or stdout is not a TTY
 * (CI, a pipe) nothing is asked and the command must be answered by its flags.
 */
import { createInterface, type Interface } from 'node:readline';

export interface Questions {
  /** Asks until the answer is yes or no (empty is no); undefined when the input closes first. */
  ask(question: string): Promise<boolean | undefined>;
  /** Lets go of the terminal. */
  close(): void;
}

/** Questions on this process's terminal, or undefined when it has none. */
export function terminalQuestions(): Questions | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  let rl: Interface | undefined;
  let closed = false;
  // One interface for all questions: an answer typed ahead is not lost between two of them.
  const open = (): Interface => {
    if (!rl) {
      const r = createInterface({ input: process.stdin, output: process.stdout });
      r.on('close', () => void (closed = true));
      // Ctrl-C gives no answer, as a closed input does (readline would otherwise only pause).
      r.on('SIGINT', () => r.close());
      rl = r;
    }
    return rl;
  };
  return {
    ask(question) {
      const r = open();
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const onClose = (): void => {
          process.stdout.write('\n');
          resolve(undefined);
        };
        r.once('close', onClose);
        const put = (q: string): void =>
          r.question(`${q} `, (answer) => {
            const a = answer.trim().toLowerCase();
            if (a !== '' && a !== 'y' && a !== 'yes' && a !== 'n' && a !== 'no') return put('Please answer y or n:');
            r.off('close', onClose);
            resolve(a === 'y' || a === 'yes');
          });
        put(question);
      });
    },
    close() {
      rl?.close();
    },
  };
}
