"""Overhead of `Learner.fit` against a hand-written training loop doing the same work.

Both train the same `simple_cnn` (same initial weights) with the same `SGD` and `cross_entropy` on the same
in-memory batches, one epoch (a training pass, then a validation pass under `torch.no_grad`) per run. Runs
alternate, Learner and hand loop in turn (ABBA order), for several rounds; the median ratio of the times is
reported. Two variants:

- no callbacks: batches already float NCHW, nothing but the loop;
- callbacks: uint8 HWC batches, `SetupLearnerCB` (device + normalize + NCHW), `TrackResults(show=False)` and
  `ProgressCB(bars=True)` (console bars forced on, output discarded) against a hand loop that applies the same
  batch transform and tracks nothing.

Usage: python benchmarks/learner_overhead.py [--rounds 7] [--train-batches 48] [--valid-batches 12] [--bs 64] [--threads 0]
"""
import argparse, contextlib, io, statistics, time
import torch
from learner_scratch.data import Normalize, tfm_x
from learner_scratch.module import simple_cnn
from learner_scratch.loss import cross_entropy
from learner_scratch.learner import Learner, SGD
from learner_scratch.callbacks import SetupLearnerCB, TrackResults, ProgressCB

class DLs:
    "The minimal `DataLoaders`: lists of batches, and the normalization `SetupLearnerCB` asks for"
    def __init__(self, train, valid, norm=None): self.train, self.valid, self.norm = train, valid, norm

def make_batches(n, bs, size, seed):
    g = torch.Generator().manual_seed(seed)
    return [(torch.randint(0, 256, (bs, size, size, 3), generator=g, dtype=torch.uint8),
             torch.randint(0, 10, (bs,), generator=g)) for _ in range(n)]

def hand_loop(model, dls, lr, tfm=None):
    "The training loop written out: one epoch, then validation without gradients"
    opt = SGD(model.parameters(), lr)
    model.train()
    for xb, yb in dls.train:
        if tfm: xb = tfm(xb)
        loss = cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
    model.eval()
    with torch.no_grad():
        for xb, yb in dls.valid:
            if tfm: xb = tfm(xb)
            cross_entropy(model(xb), yb)
    return model

def learner_fit(model, dls, lr, cbs):
    learn = Learner(model, dls, cross_entropy, lr, cbs=cbs)
    with contextlib.redirect_stdout(io.StringIO()): learn.fit(1)
    return model

def timed(f):
    start = time.perf_counter(); res = f()
    return time.perf_counter() - start, res

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--rounds', type=int, default=7)
    p.add_argument('--train-batches', type=int, default=48)
    p.add_argument('--valid-batches', type=int, default=12)
    p.add_argument('--bs', type=int, default=64)
    p.add_argument('--size', type=int, default=64)
    p.add_argument('--threads', type=int, default=0, help='torch threads (0: leave the default)')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    lr = 0.1
    raw = DLs(make_batches(a.train_batches, a.bs, a.size, 0), make_batches(a.valid_batches, a.bs, a.size, 1))
    raw.norm = Normalize.from_batch(torch.cat([x for x,_ in raw.train]))
    flt = DLs(*[[(tfm_x(x, raw.norm).contiguous(), y) for x,y in dl] for dl in (raw.train, raw.valid)])
    torch.manual_seed(0)
    init = simple_cnn().state_dict()
    def fresh():
        m = simple_cnn(); m.load_state_dict(init); return m

    variants = {
        'no callbacks': (lambda: learner_fit(fresh(), flt, lr, []), lambda: hand_loop(fresh(), flt, lr), 1.03),
        'SetupLearnerCB + TrackResults + ProgressCB': (
            lambda: learner_fit(fresh(), raw, lr, [SetupLearnerCB(device='cpu'), TrackResults(show=False), ProgressCB(bars=True)]),
            lambda: hand_loop(fresh(), raw, lr, tfm=lambda x: tfm_x(x, raw.norm)), 1.05),
    }
    print(f"Learner.fit vs a hand-written loop: simple_cnn, SGD lr {lr}, cross_entropy; {a.train_batches} training + "
          f"{a.valid_batches} validation batches of {a.bs} images of {a.size}px per run (one epoch); {a.rounds} rounds; "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads, CPU")
    results = {}
    for name, (fit, hand, target) in variants.items():
        _, m1 = timed(fit); _, m2 = timed(hand)                       # warm-up, and the two must agree
        same = all(torch.equal(p, q) for p, q in zip(m1.parameters(), m2.parameters()))
        fits, hands, ratios = [], [], []
        for r in range(a.rounds):
            order = (fit, hand) if r % 2 == 0 else (hand, fit)
            t = {f: timed(f)[0] for f in order}
            fits.append(t[fit]); hands.append(t[hand]); ratios.append(t[fit]/t[hand])
        results[name] = (statistics.median(hands), statistics.median(fits), statistics.median(ratios), min(ratios), max(ratios), target, same)

    w = max(len(n) for n in results)
    print(f"\n{'variant':<{w}}  {'hand loop s':>11}  {'Learner s':>9}  {'ratio':>6}  {'min':>6}  {'max':>6}  {'target':>6}  {'ok':>3}  same weights")
    for name, (h, f, r, lo, hi, target, same) in results.items():
        print(f"{name:<{w}}  {h:11.3f}  {f:9.3f}  {r:6.3f}  {lo:6.3f}  {hi:6.3f}  {target:6.2f}  {'yes' if r <= target else 'NO':>3}  {same}")
    print("\n(times and ratio: medians over the rounds; min/max: the range of the per-round ratios)")

if __name__ == '__main__': main()
