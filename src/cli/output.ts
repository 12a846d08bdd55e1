/**
 * Output for people on a terminal: colour, step counts and times, a spinner for long phases.
 * Off a terminal (a pipe, a file) every line is plain text, as it always was.
 *
 * Colour on a stream: never with NO_COLOR set (https://no-color.org); always with FORCE_COLOR
 * set to anything but 0 or false; otherwise when the stream is a terminal that is not `dumb`.
 * The spinner goes to stderr, only when stderr is a terminal, and only for a phase that lasts
 * longer than a second.
 */
import pc from 'picocolors';
import { listenToActivity } from '../activity.js';

type Stream = NodeJS.WriteStream;
export type Colors = ReturnType<typeof pc.createColors>;

/** Whether to colour what goes to `stream`. */
export function colourOn(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Colours for stdout and for stderr, each on or off. */
export const colours: { out: Colors; err: Colors } = {
  out: pc.createColors(colourOn(process.stdout)),
  err: pc.createColors(colourOn(process.stderr)),
};

/** Whether stdout is a terminal: then step lines carry their count and time. */
export const stdoutIsTerminal = Boolean(process.stdout.isTTY);

/** `12 ms`, `1.4 s`, `2 min 5 s`. */
export function shownDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A unified diff with its removed lines red, added lines green, hunk headers cyan. */
export function colouredDiff(text: string, c: Colors = colours.out): string {
  if (!c.isColorSupported) return text;
  return text
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('===') || line.startsWith('Index:')) return c.bold(line);
      if (line.startsWith('@@')) return c.cyan(line);
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      return line;
    })
    .join('\n');
}

/** How long a phase runs before the spinner shows. */
const SPINNER_DELAY_MS = 1000;

interface SpinnerLike {
  text: string;
  start(): unknown;
  stop(): unknown;
}

/**
 * The phases under way, and a spinner naming the oldest once it has lasted over a second; only
 * when stderr is a terminal. `label` as a phase starts, `done` as it ends.
 */
export class Activity {
  private readonly phases: { label: string; since: number }[] = [];
  private spinner?: SpinnerLike;
  private timer?: NodeJS.Timeout;

  // As the spinner itself judges a terminal it can redraw: not a dumb one, not under CI.
  constructor(private readonly enabled = Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb' && !('CI' in process.env)) {}

  start(label: string): void {
    if (!this.enabled) return;
    this.phases.push({ label, since: Date.now() });
    this.schedule();
  }

  end(label: string): void {
    if (!this.enabled) return;
    const i = this.phases.findIndex((p) => p.label === label);
    if (i >= 0) this.phases.splice(i, 1);
    if (this.phases.length === 0) this.stop();
    else if (this.spinner) this.spinner.text = this.text();
  }

  /** Ends every phase and takes the spinner away (before an error is printed, at exit). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.phases.length = 0;
    this.spinner?.stop();
    this.spinner = undefined;
  }

  /** Listens to the phases commands mark (reading models, reading the database). */
  listen(): void {
    if (this.enabled) listenToActivity({ start: (l) => this.start(l), end: (l) => this.end(l) });
  }

  private text(): string {
    return this.phases.map((p) => p.label).join(', ');
  }

  private schedule(): void {
    if (this.timer || this.spinner) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.phases.length) void this.show();
    }, SPINNER_DELAY_MS);
    // A pending spinner never keeps the process alive.
    this.timer.unref();
  }

  private async show(): Promise<void> {
    // The spinner's module loads only when a phase is long enough to need it.
    const { default: yoctoSpinner } = await import('yocto-spinner');
    if (this.spinner || this.phases.length === 0) return;
    this.spinner = yoctoSpinner({ text: this.text(), stream: process.stderr });
    this.spinner.start();
  }
}

export const activity = new Activity();
