"""torch.compile on the project's models: compile time, and a training step's time with and without it, side by side.

usage: python benchmarks/compile.py [--device cpu|cuda|auto] [--rounds 5] [--steps 10] [--bs 64] [--size 64]

For each model, two copies start from the same weights: one eager, one after `Module.compile()` (inductor, the
default backend). The compiled copy's first steps (the compilation, forward and backward) are timed apart. Then
rounds of `--steps` training steps (forward, cross-entropy, backward, SGD step) alternate between the two, and the
medians are compared: a ratio under 1 means the compiled model trains faster. Also checks that both give the same
loss on the first batch, within float tolerance."""
import argparse, statistics, time, sys
import torch
from learner_scratch.module import models
from learner_scratch.loss import cross_entropy
from learner_scratch.learner import SGD

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--device', default='auto')
p.add_argument('--rounds', type=int, default=5)
p.add_argument('--steps', type=int, default=10)
p.add_argument('--bs', type=int, default=64)
p.add_argument('--size', type=int, default=64)
p.add_argument('--models', nargs='+', default=['simple_cnn', 'small_resnet'])
a = p.parse_args()
dev = torch.device('cuda' if a.device == 'auto' and torch.cuda.is_available() else
                   'cpu' if a.device == 'auto' else a.device)
sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
name = torch.cuda.get_device_name(dev) if dev.type == 'cuda' else f'CPU, {torch.get_num_threads()} threads'
print(f"torch {torch.__version__} on {name}; batches of {a.bs} images of {a.size}px; "
      f"{a.rounds} rounds of {a.steps} steps")

def step(m, opt, x, y):
    loss = cross_entropy(m(x), y); loss.backward(); opt.step(); opt.zero_grad()
    return loss

print(f"{'model':14s} {'compile s':>9s} {'eager ms/step':>14s} {'compiled ms/step':>17s} {'ratio':>6s}  same loss")
for mname in a.models:
    torch.manual_seed(0)
    eager = models[mname](n_out=10).to(dev)
    torch.manual_seed(0)
    comp = models[mname](n_out=10).to(dev)
    x = torch.randn(a.bs, 3, a.size, a.size, device=dev); y = torch.randint(0, 10, (a.bs,), device=dev)
    with torch.no_grad(): same = torch.allclose(eager(x), comp(x))
    comp.compile()
    oe, oc = SGD(eager.parameters(), lr=1e-3), SGD(comp.parameters(), lr=1e-3)
    l0 = step(eager, oe, x, y).item()
    sync(); t0 = time.perf_counter()
    try: l1 = step(comp, oc, x, y).item()
    except Exception as e:
        print(f"{mname:14s} torch.compile failed: {type(e).__name__}: {str(e).splitlines()[0][:120]}"); continue
    sync(); ctime = time.perf_counter() - t0
    step(comp, oc, x, y); sync()                  # a second call can still compile (the optimizer's graph)
    te, tc = [], []
    for _ in range(a.rounds):
        for m, o, ts in ((eager, oe, te), (comp, oc, tc)):
            sync(); t0 = time.perf_counter()
            for _ in range(a.steps): step(m, o, x, y)
            sync(); ts.append((time.perf_counter() - t0)/a.steps*1e3)
    me, mc = statistics.median(te), statistics.median(tc)
    print(f"{mname:14s} {ctime:9.1f} {me:14.1f} {mc:17.1f} {mc/me:6.2f}  {same and abs(l0 - l1) < 1e-3}")
sys.stdout.flush()
