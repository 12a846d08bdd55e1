/**
 * Running a command in a pseudo-terminal, as a user at a keyboard would, through python3's `pty`
 * module (no native Node addon): each `[y/N]` question gets the next answer, and once the answers
 * run out the input is closed (Ctrl-D).
 */
import { spawnSync } from 'node:child_process';

export interface TerminalRun {
  status: number;
  /** Everything the command wrote (stdout and stderr share the terminal), escape codes removed. */
  output: string;
  /** How many questions were asked. */
  asked: number;
  /** Everything the command wrote, as written: escape codes kept. */
  raw: string;
}

const DRIVER = String.raw`
import json, os, pty, select, sys
spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec['cwd'])
    os.execvpe(spec['argv'][0], spec['argv'], spec['env'])
answers = spec['answers']
asked = 0
out = b''
while True:
    ready, _, _ = select.select([fd], [], [], 120)
    if not ready:
        os.kill(pid, 9)
        break
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
    while out.count(b'[y/N]') + out.count(b'Please answer y or n:') > asked:
        os.write(fd, (answers[asked] + '\r').encode() if asked < len(answers) else b'\x04')
        asked += 1
_, status = os.waitpid(pid, 0)
sys.stdout.write(json.dumps({'status': os.waitstatus_to_exitcode(status), 'output': out.decode('utf8', 'replace'), 'asked': asked}))
`;

/**
 * Runs `argv` in `cwd` on a pseudo-terminal, answering its questions with `answers` in turn. A
 * variable of `env` set to undefined is left out of the child's environment.
 */
export function runInTerminal(argv: string[], cwd: string, answers: string[], env: Record<string, string | undefined> = {}): TerminalRun {
  const spec = { argv, cwd, answers, env: { ...process.env, ...env } };
  const r = spawnSync('python3', ['-c', DRIVER, JSON.stringify(spec)], { encoding: 'utf8', timeout: 180_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`the terminal driver failed (exit ${r.status}): ${r.stderr}`);
  const result = JSON.parse(r.stdout) as Omit<TerminalRun, 'raw'>;
  // eslint-disable-next-line no-control-regex
  return { ...result, raw: result.output, output: result.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '') };
}
