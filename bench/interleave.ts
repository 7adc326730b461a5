/**
 * Timing two programs interleaved in time: this process's windows and a
 * peer process's windows (PyTorch, bench/torch-layered.py) alternate round
 * by round, so that both sides see the same moments of a machine whose load
 * drifts, and each round gives a ratio of the two measured a few tens of ms
 * apart.
 *
 *   const peer = await LinePeer.start('/usr/bin/python3', ['bench/torch-layered.py', 'job.json']);
 *   // peer.greeting: the first line the peer printed once warm (JSON)
 *   const r = await interleave({ grad: () => window(grad), loss: () => window(loss) }, peer, 25);
 *   // r.own.grad, r.peer.grad: the µs per call of each round; r.ratio.grad: own / peer, round by round
 *   await peer.close();
 *
 * The protocol (one line each way): this side writes a task name ("grad",
 * "loss"); the peer times one window of that task in its own CPU time and
 * answers "<CPU µs per call> <wall µs per call>". At the end of its input
 * the peer exits. Within round r the tasks run in the order own task 1,
 * peer task 1, own task 2, peer task 2, ..., rotated by r, so that neither
 * side nor task always goes first.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { DownhillError } from '../src/errors.ts';

/** One peer window: CPU and wall µs per call. */
export interface PeerWindow { readonly cpu_us: number; readonly wall_us: number }

/** A process that answers one line per line written to it. */
export interface Peer { ask(task: string): Promise<PeerWindow> }

/** The figures of every round, by task. */
export interface Interleaved {
  readonly own: Record<string, number[]>;
  readonly peer: Record<string, number[]>;
  readonly peerWall: Record<string, number[]>;
  /** own / peer CPU time per call, round by round. */
  readonly ratio: Record<string, number[]>;
}

/** Parses a peer's answer "<cpu µs> <wall µs>"; a DownhillError naming the line otherwise. */
export function parseWindow(line: string, task: string): PeerWindow {
  const parts = line.trim().split(/\s+/).map(Number);
  if (parts.length !== 2 || !parts.every((x) => Number.isFinite(x) && x > 0)) {
    throw new DownhillError(`the peer answered "${line.slice(0, 80)}" to "${task}" (expected "<CPU µs> <wall µs>")`);
  }
  return { cpu_us: parts[0]!, wall_us: parts[1]! };
}

/** Runs `rounds` rounds; in each, every task once here (`own[task]()` returns its µs per call) and once in the peer. */
export async function interleave(own: Record<string, () => number>, peer: Peer, rounds: number): Promise<Interleaved> {
  const tasks = Object.keys(own);
  const empty = (): Record<string, number[]> => Object.fromEntries(tasks.map((t) => [t, []]));
  const result: Interleaved = { own: empty(), peer: empty(), peerWall: empty(), ratio: empty() };
  // steps of a round: (task, side), own before peer for each task, rotated by the round
  const steps = tasks.flatMap((t) => [[t, 'own'], [t, 'peer']] as const);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < steps.length; i++) {
      const [task, side] = steps[(i + r) % steps.length]!;
      if (side === 'own') result.own[task]!.push(own[task]!());
      else {
        const w = await peer.ask(task);
        result.peer[task]!.push(w.cpu_us);
        result.peerWall[task]!.push(w.wall_us);
      }
    }
    for (const t of tasks) result.ratio[t]!.push(result.own[t]![r]! / result.peer[t]![r]!);
  }
  return result;
}

/** A child process spoken to in lines over stdin/stdout (see the top of this file). */
export class LinePeer implements Peer {
  private readonly lines: Interface;
  private readonly waiting: ((line: string | null) => void)[] = [];
  private readonly buffered: string[] = [];
  private ended = false;
  private stderr = '';

  greeting = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    child.stdin.on('error', () => { /* the peer ended: the next answer is missing, which ask() reports */ });
    this.lines = createInterface({ input: child.stdout });
    this.lines.on('line', (l) => this.deliver(l));
    this.lines.on('close', () => { this.ended = true; while (this.waiting.length > 0) this.waiting.shift()!(null); });
  }

  private deliver(line: string): void {
    const w = this.waiting.shift();
    if (w) w(line);
    else this.buffered.push(line);
  }

  private next(): Promise<string | null> {
    if (this.buffered.length > 0) return Promise.resolve(this.buffered.shift()!);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The last line the peer wrote to stderr, or how it ended. */
  private why(): string {
    const last = this.stderr.trim().split('\n').pop();
    return last && last.trim() !== '' ? last : `exit code ${this.child.exitCode ?? this.child.signalCode ?? 'unknown'}`;
  }

  /** Starts the peer and waits for its first line (it prints one when warm); a DownhillError with its last stderr line if it ends first. */
  static async start(command: string, args: readonly string[]): Promise<LinePeer> {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (e) => reject(new DownhillError(`cannot run ${command}: ${e.message}`)));
    });
    const peer = new LinePeer(child);
    const first = await peer.next();
    if (first === null) {
      await peer.close();
      throw new DownhillError(peer.why());
    }
    peer.greeting = first;
    return peer;
  }

  async ask(task: string): Promise<PeerWindow> {
    this.child.stdin.write(`${task}\n`);
    const line = await this.next();
    if (line === null) {
      await this.close();
      throw new DownhillError(`the peer ended while timing "${task}": ${this.why()}`);
    }
    return parseWindow(line, task);
  }

  /** Ends the peer's input and waits for it to exit. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const closed = new Promise((resolve) => this.child.once('close', resolve));
      this.child.stdin.end();
      await closed;
    }
    this.lines.close();
  }
}
