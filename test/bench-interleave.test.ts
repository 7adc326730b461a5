import { describe, expect, it } from 'vitest';
import { interleave, LinePeer, parseWindow, type Peer } from '../bench/interleave.ts';
import { DownhillError } from '../src/errors.ts';

/** A peer in a child node process: greets, then answers each task from a table (a line it does not know ends it with a message). */
const fakeTorch = (answers: Record<string, string>, greeting = '{"loss":1}'): Promise<LinePeer> => LinePeer.start(process.execPath, ['-e', `
  const answers = ${JSON.stringify(answers)};
  console.log(${JSON.stringify(greeting)});
  require('node:readline').createInterface({ input: process.stdin }).on('line', (l) => {
    if (!(l in answers)) { console.error('fake-torch: no task "' + l + '"'); process.exit(3); }
    console.log(answers[l]);
  });
`]);

describe('timing two processes interleaved in time', () => {
  it('alternates own and peer windows, rotated each round, and pairs the ratios by round', async () => {
    const order: string[] = [];
    let ownCalls = 0, peerCalls = 0;
    // own windows 10, 20, 30, ... µs; peer windows 5, 40, 15, 40, ... (the peer drifts the other way)
    const ownTimes = [10, 11, 20, 21, 30, 31];
    const peerTimes = [5, 6, 40, 41, 15, 16];
    const peer: Peer = { ask: async (task) => { order.push(`peer ${task}`); const v = peerTimes[peerCalls++]!; return { cpu_us: v, wall_us: 2 * v }; } };
    const own = { grad: () => { order.push('own grad'); return ownTimes[ownCalls++]!; }, loss: () => { order.push('own loss'); return ownTimes[ownCalls++]!; } };
    const r = await interleave(own, peer, 3);
    expect(order).toEqual([
      'own grad', 'peer grad', 'own loss', 'peer loss',
      'peer grad', 'own loss', 'peer loss', 'own grad',
      'own loss', 'peer loss', 'own grad', 'peer grad',
    ]);
    // round 2 took its own loss window before its own grad
    expect(r.own).toEqual({ grad: [10, 21, 31], loss: [11, 20, 30] });
    expect(r.peer).toEqual({ grad: [5, 40, 16], loss: [6, 41, 15] });
    expect(r.peerWall.grad).toEqual([10, 80, 32]);
    expect(r.ratio.grad).toEqual([10 / 5, 21 / 40, 31 / 16]);
  });

  it('drives a child process over stdin and stdout, line by line', async () => {
    const peer = await fakeTorch({ grad: '8000.5 9000', loss: '3000 3100' }, '{"loss":2.5,"torch":"fake"}');
    expect(JSON.parse(peer.greeting)).toEqual({ loss: 2.5, torch: 'fake' });
    const r = await interleave({ grad: () => 4000, loss: () => 1500 }, peer, 4);
    await peer.close();
    expect(r.peer.grad).toEqual([8000.5, 8000.5, 8000.5, 8000.5]);
    expect(r.ratio.grad).toEqual(Array(4).fill(4000 / 8000.5));
    expect(r.ratio.loss).toEqual(Array(4).fill(0.5));
  });

  it('a peer that ends or answers nonsense is a one-line DownhillError naming the task', async () => {
    const dies = await fakeTorch({ grad: '1 1' });
    await expect(dies.ask('loss')).rejects.toThrow(/the peer ended while timing "loss": fake-torch: no task "loss"/);
    const garbles = await fakeTorch({ grad: 'fast' });
    await expect(garbles.ask('grad')).rejects.toThrow(new DownhillError('the peer answered "fast" to "grad" (expected "<CPU µs> <wall µs>")'));
    await garbles.close();
    expect(() => parseWindow('3 -1', 'loss')).toThrow(DownhillError);
    await expect(LinePeer.start(process.execPath, ['-e', 'console.error("ModuleNotFoundError: No module named \'torch\'"); process.exit(1)']))
      .rejects.toThrow("ModuleNotFoundError: No module named 'torch'");
    await expect(LinePeer.start('/nonexistent/python3', [])).rejects.toThrow(/cannot run \/nonexistent\/python3/);
  });
});
