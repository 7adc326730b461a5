"""PyTorch's float64, one-thread loss and gradient of a layered downhill model, timed by bench/layered.ts.

    /usr/bin/python3 bench/torch-layered.py job.json
    # once warm, prints one JSON line: {"loss": .., "max_rel_grad": .., "torch": "1.13.0", "threads": 1}
    # then answers each line of its input: "grad" or "loss" -> times one window of >= 20 ms of CPU time
    # of that call and prints "<CPU us per call> <wall us per call>"; exits at the end of its input

bench/layered.ts keeps this process alive and asks for one window of grad and one of loss per round, between
windows of its own (bench/interleave.ts), so that downhill and PyTorch are timed at the same moments of a
machine whose load drifts; it takes the medians and the median of the per-round ratios.

Times are CPU time of this process (time.process_time), not wall time: on a shared machine wall time mostly
measures the wait for a core. Before the first line: 20 warm-up calls of each. PyTorch's CPU time per call
used to move between 11 and 48 ms in one run
(and its wall time between 5.5 and 140 ms from run to run) while its loss alone stayed at 3 ms: each backward
pass allocates its large temporaries (the im2col columns of 32 images, 3.7 MB) and glibc's malloc hands blocks
that size back to the system at every free (mmap / munmap), so every call paid for fresh zeroed pages, more or
fewer as the machine was busy. The script therefore runs itself with glibc's thresholds raised
(MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_), so that freed memory is kept and reused, as downhill's
compiled gradient keeps its buffers from call to call: then it is steady (8 ms, 7-11 ms over the windows).

job.json holds the description's blocks (as src/nn/spec.ts parses them), N, and the paths of three
files of little-endian float64: p (the parameters in downhill's order), the batch (N rows: inputs,
then one-hot targets) and downhill's gradient, compared with PyTorch's.
"""
import json
import math
import os
import sys
import time

# glibc reads these when the process starts: run again with them set (see the top of this file)
KEEP_FREED = {'MALLOC_MMAP_THRESHOLD_': str(2 ** 32), 'MALLOC_TRIM_THRESHOLD_': str(2 ** 32)}
if any(os.environ.get(k) != v for k, v in KEEP_FREED.items()):
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, **KEEP_FREED})

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def read(path):
    with open(path, 'rb') as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float64)


def activation(name):
    table = {'identity': lambda z: z, 'relu': torch.relu, 'tanh': torch.tanh, 'sigmoid': torch.sigmoid}
    if name not in table:
        raise SystemExit(f'torch-layered: no activation "{name}" here')
    return table[name]


def forward(job, p, x):
    """The logits of the batch x (N × inputs) under parameters p, block by block in downhill's parameter order."""
    N = job['N']
    inp = job['input']
    a = x.reshape(N, inp['C'], inp['H'], inp['W']) if inp['kind'] == 'image' else x.reshape(N, inp['T'], inp['d'])
    k = 0

    def take(*shape):
        nonlocal k
        n = math.prod(shape)
        t = p[k:k + n].reshape(*shape)
        k += n
        return t

    for b in job['blocks']:
        if b['kind'] == 'conv':
            g = b['geom']
            K = take(g['F'], g['C'], g['kh'], g['kw'])
            bias = take(g['F']) if b['bias'] else None
            a = activation(b['activation'])(F.conv2d(a, K, bias, stride=g['stride'], padding=g['pad']))
        elif b['kind'] == 'pool':
            g = b['geom']
            pool = F.max_pool2d if b['mode'] == 'max' else F.avg_pool2d
            a = pool(a, g['k'], g['stride'])
        elif b['kind'] == 'attention':
            d = b['d']
            Wq, Wk, Wv, Wo = take(d, d), take(d, d), take(d, d), take(d, d)
            q, kk, v = a @ Wq.T, a @ Wk.T, a @ Wv.T
            s = (q @ kk.transpose(-1, -2)) / math.sqrt(d)
            if b['causal']:
                T = b['T']
                s = s.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), float('-inf'))
            a = a + (torch.softmax(s, -1) @ v) @ Wo.T
        elif b['kind'] == 'mean':
            a = a.mean(1)
        elif b['kind'] == 'dense':
            l = b['layer']
            W = take(l['out'], l['in'])
            bias = take(l['out']) if l['bias'] else None
            a = activation(l['activation'])(F.linear(a.reshape(N, -1), W, bias))
    return a


def window(fn, seconds=0.02):
    """Calls fn for at least `seconds` of this process's CPU time; (CPU us, wall us) per call."""
    start, wall = time.process_time(), time.perf_counter()
    calls = 0
    while True:
        fn()
        calls += 1
        now = time.process_time()
        if now - start >= seconds:
            break
    return (now - start) / calls * 1e6, (time.perf_counter() - wall) / calls * 1e6


def main():
    job = json.load(open(sys.argv[1]))
    if job['loss'] != 'softmax_ce':
        raise SystemExit('torch-layered: only softmax_ce models')
    N, D, C = job['N'], job['inputs'], job['outputs']
    p0 = read(job['p'])
    batch = read(job['batch']).reshape(N, D + C)
    g_downhill = read(job['g'])
    x, classes = batch[:, :D].contiguous(), batch[:, D:].argmax(1)
    p = p0.clone().requires_grad_(True)

    def loss_and_grad():
        p.grad = None
        loss = F.cross_entropy(forward(job, p, x), classes)
        loss.backward()
        return loss

    def loss_only():
        with torch.no_grad():
            return F.cross_entropy(forward(job, p, x), classes)

    loss = loss_and_grad().item()
    g = p.grad.detach().clone()
    scale = g.abs().max().item()
    rel = ((g - g_downhill).abs() / torch.clamp(torch.maximum(g.abs(), g_downhill.abs()), min=1e-6 * scale)).max().item()
    tasks = {'grad': loss_and_grad, 'loss': loss_only}
    for _ in range(20):
        for fn in tasks.values():
            fn()
    print(json.dumps({'loss': loss, 'max_rel_grad': rel, 'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        task = line.strip()
        if task not in tasks:
            raise SystemExit(f'torch-layered: no task "{task}" (grad, loss)')
        cpu, wall = window(tasks[task])
        print(f'{cpu:.3f} {wall:.3f}', flush=True)


main()
