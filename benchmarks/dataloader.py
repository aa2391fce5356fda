"""DataLoader throughput on the Imagenette copy, side by side in one run.

Pipelines (2 workers, bs 128, 64px, two passes over the training set each, best pass reported):
  ours         learner_scratch Dataset + DataLoader
  torch+chap   the chapter's Dataset in torch.utils.data.DataLoader (persistent workers)
  torch+ours   learner_scratch Dataset in torch.utils.data.DataLoader (persistent workers)
  decoded      learner_scratch DecodedDataset (decoded once into the cache, memory-mapped) in our DataLoader, in-process
and the limit: one core decoding with our Dataset, in this process, times the number of workers.

usage: python benchmarks/dataloader.py [--workers 2] [--bs 128] [--size 64] [--passes 2]
Needs the Imagenette copy in the cache (../shared/data/install-imagenette.sh)."""
import argparse, time, statistics
import torch, torch.utils.data as tud
from learner_scratch.data import *
from learner_scratch.download import *

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--workers', type=int, default=2)
p.add_argument('--bs', type=int, default=128)
p.add_argument('--size', type=int, default=64)
p.add_argument('--passes', type=int, default=2)
a = p.parse_args()

path = untar_data(URLs.IMAGENETTE_160)
fns = get_image_files(path/'train')
ours_ds, chap_ds = Dataset(fns, size=a.size), ChapterDataset(fns, size=a.size)

def decode_rate(ds, n=2000):
    "Images per second decoding `ds[i]` in this process (one core)"
    idxs = torch.randperm(len(ds), generator=torch.Generator().manual_seed(0))[:n].tolist()
    start = time.perf_counter()
    for i in idxs: ds[i]
    return n/(time.perf_counter()-start)

def pass_rate(dl):
    start = time.perf_counter(); n = 0
    for xb, yb in dl: n += len(xb)
    assert n == len(fns), n
    return n/(time.perf_counter()-start)

loaders = {
    'ours':       lambda: DataLoader(ours_ds, bs=a.bs, shuffle=True, n_workers=a.workers, seed=0),
    'torch+chap': lambda: tud.DataLoader(chap_ds, batch_size=a.bs, shuffle=True, num_workers=a.workers, persistent_workers=True),
    'torch+ours': lambda: tud.DataLoader(ours_ds, batch_size=a.bs, shuffle=True, num_workers=a.workers, persistent_workers=True),
}
decode_rate(ours_ds, 300)   # warm the page cache
limit = statistics.median(decode_rate(ours_ds) for _ in range(3))
start = time.perf_counter()
dec_ds = DecodedDataset(ours_ds, n_workers=a.workers)
dec_secs = time.perf_counter() - start
loaders['decoded'] = lambda: DataLoader(dec_ds, bs=a.bs, shuffle=True, n_workers=0, seed=0)
dls = {k: f() for k,f in loaders.items()}
for dl in dls.values(): next(iter(dl))   # start every pool before timing
rates = {k: [] for k in dls}
for _ in range(a.passes):                 # alternate pipelines so that machine noise hits all of them
    for k, dl in dls.items(): rates[k].append(pass_rate(dl))
best = {k: max(v) for k,v in rates.items()}
print(f"{len(fns)} images, {a.workers} workers, bs {a.bs}, {a.size}px, {a.passes} passes each (best shown)\n")
print(f"{'pipeline':<12} {'images/s':>9}   passes")
for k,v in rates.items(): print(f"{k:<12} {best[k]:>9,.0f}   {', '.join(f'{r:,.0f}' for r in v)}")
print(f"{'decode/core':<12} {limit:>9,.0f}   (one core, in-process; limit = {limit*a.workers:,.0f} for {a.workers} workers)\n")
checks = [('ours / torch+chap', best['ours']/best['torch+chap'], 1.5),
          ('ours / torch+ours', best['ours']/best['torch+ours'], 1.0),
          (f'ours / (decode/core x {a.workers})', best['ours']/(limit*a.workers), 0.8)]
print(f"decoded once in {dec_secs:.1f}s (0 if its file was already in the cache); then {best['decoded']/best['ours']:.1f}x ours per epoch\n")
for name, r, target in checks: print(f"{name:<28} {r:5.2f}  (target >= {target})  {'ok' if r >= target else 'MISSED'}")
