import { describe, expect, it } from 'vitest';
import { layeredMarkdown, layeredRows, layeredTargets, type LayeredRow } from '../bench/report.ts';

/** A layered row with the given figures (the rest fixed). */
const row = (id: string, grad_us: number, loss_us: number, build_ms: number, torchGrad: number | null): LayeredRow => ({
  id, description: id, P: 10, N: 2, build_ms, grad_us, loss_us, ratio: grad_us / loss_us, forward_nodes: 3, gradient_nodes: 5, source_chars: 1000,
  loss: 1, loss_rel_error: 0, retained_heap_mb: 1, peak_rss_mb: 120, warm_ms: 10, job: 'job.json',
  pytorch: torchGrad === null ? { status: 'not run', reason: 'no torch' } : { status: 'ok', loss: 1, grad_ms: torchGrad, loss_ms: 1, max_rel_grad: 1e-12, torch: '1.13', threads: 1 },
});

describe('the layered benchmark\'s targets follow from its figures', () => {
  it('grad ≤ PyTorch is met only when every model\'s grad is at most PyTorch\'s in the same run', () => {
    const met = layeredTargets([row('a', 9000, 4000, 50, 10), row('b', 4000, 2000, 50, 4)]);
    expect(met.find((t) => t.target.startsWith('grad ≤ PyTorch'))).toMatchObject({ met: true, detail: 'a 0.90×, b 1.00×' });
    const not = layeredTargets([row('a', 11000, 4000, 50, 10)]);
    expect(not.find((t) => t.target.startsWith('grad ≤ PyTorch'))).toMatchObject({ met: false, detail: 'a 1.10×' });
    expect(not.find((t) => t.target === 'grad / loss ≤ 3')).toMatchObject({ met: true, detail: 'a 2.75×' });
  });

  it('with interleaved rounds, grad/PyTorch is the median of the per-round ratios, not the ratio of the medians', () => {
    // medians 11 ms and 10 ms (1.10×), but round by round downhill was 0.95× PyTorch
    const interleaved: LayeredRow = { ...row('a', 11000, 4000, 50, 10), pytorch: { status: 'ok', loss: 1, grad_ms: 10, loss_ms: 1, max_rel_grad: 1e-12, torch: '1.13', threads: 1, grad_ratio: 0.95, rounds: 25 } };
    expect(layeredTargets([interleaved]).find((t) => t.target.startsWith('grad ≤ PyTorch'))).toMatchObject({ met: true, detail: 'a 0.95×' });
    const cells = layeredRows([interleaved]);
    expect(cells.rows[0]![cells.headers.indexOf('grad/PyTorch')]).toBe('0.95×');
    expect(cells.rows[0]![cells.headers.indexOf('PyTorch grad')]).toBe('10.0 ms');
  });

  it('without PyTorch the comparison is left out, and the page says why in the table', () => {
    const rows = [row('a', 9000, 2000, 150, null)];
    expect(layeredTargets(rows).map((t) => t.target)).not.toContain('grad ≤ PyTorch (float64, one thread, same run)');
    expect(layeredTargets(rows).find((t) => t.target === 'build ≤ 100 ms')).toMatchObject({ met: false });
    const page = layeredMarkdown({ machine: { cpu: 'cpu', cores: 2, node: '20', v8: '11', date: 'today', load: [3, 3] }, models: [], layered: rows, build_fit: null, duration_s: 1 });
    expect(page).toContain('not run: no torch');
    expect(page).toContain('Load average (1 min) at the start and the end of the run: 3.0 and 3.0');
    expect(page).toContain('The machine was busy');
  });
});
