/** Worker threads of migrator's own: where their scripts are. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built worker script `name` (`pipeline-worker.js`) beside the module at `moduleUrl`; none
 * when running from the TypeScript sources, where no built script is: the work is then done on
 * the calling thread.
 */
export function builtWorkerScript(moduleUrl: string, name: string): string | undefined {
  const self = fileURLToPath(moduleUrl);
  return path.extname(self) === '.js' ? path.join(path.dirname(self), name) : undefined;
}
