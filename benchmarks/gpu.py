"""Speed on a GPU: a plain PyTorch baseline, our chapter recipe and the better recipes at 64 and 128px in fp32 and bf16,
and the GPU recipe end to end, side by side in one run on one device.

torch            the chapter's recipe (simple_cnn, 64px, bs 128, one cycle at 0.1, 8 epochs) in idiomatic PyTorch, as
                 benchmarks/end_to_end.py writes it: torch.utils.data.DataLoader over a PIL dataset with --workers
                 processes, pinned memory and non_blocking copies, nn.Conv2d/nn.Linear, torch.optim.SGD, F.cross_entropy.
chapter          the same recipe with learner_scratch.train.train(): images decoded once and held on the device.
chapter-pinned   the same, with the images in pinned host memory, copied batch by batch (the fallback for big data).
better-64-fp32   --recipe better (conv_bn_net, 22 epochs) at 64px in float32; -bf16: under bf16 autocast;
better-128-...   the same at 128px; -nchw: batches and weights in plain NCHW instead of channels-last;
                 -torchbn: PyTorch's fused F.batch_norm in place of our BatchNorm; -compile: the model's forward
                 pass compiled with torch.compile (its compilation counted in the time). Only when named in --runs:
                 with torch 2.13, torch.compile fails on a model whose weights are our `Parameter` (a Tensor subclass
                 made with _make_subclass, which AOTAutograd can't dispatch: "Multiple dispatch failed for
                 aten.convolution"); nn.Parameter weights compile.
gpu              `learner-scratch train --recipe gpu` run as a command, timed from its start to its exit, the
                 decoded-image cache removed first: start-up, decoding, training and the final files all count.

For each: valid accuracy, seconds (from building the data to the last validation pass; for `gpu` the whole
command), training images per second, and the share of one training epoch (the second to last) in which the GPU
runs a kernel, from the profiler's CUDA activity. Targets on one H100/H200: chapter <= 1/3 of torch's time; the GPU
busy >= 80% of the better-128 epochs; bf16 faster than fp32 at 128px; the gpu recipe >= 90% without TTA in <= 60 s.

--smoke runs every line for one epoch on the generated shapes at small sizes, on any device (the CPU too): a check
that the script works, not a measurement.
A run that fails is reported and the others go on; the exit status is then 1.

usage: python benchmarks/gpu.py [--device cuda] [--data imagenette-160] [--workers N] [--runs torch,chapter,...] [--smoke]"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from functools import partial
from pathlib import Path
import torch, torch.nn.functional as F
import learner_scratch.train as T
from learner_scratch.data import get_image_files
from learner_scratch.download import cache_path
from learner_scratch.workers import default_workers
from learner_scratch.learner import Callback
from learner_scratch.module import BatchNorm
import end_to_end      # benchmarks/end_to_end.py: the same recipe in plain PyTorch

def busy_share(prof, wall:float) -> float:
    "The share of `wall` seconds covered by the CUDA kernels and copies the profiler `prof` recorded"
    spans = sorted((e.time_range.start, e.time_range.end) for e in prof.events() if e.device_type == torch.autograd.DeviceType.CUDA)
    busy, end = 0., -float('inf')
    for s, e in spans:                 # the union of the intervals, in microseconds
        if e <= end: continue
        busy += e - max(s, end); end = e
    return busy/1e6/wall if wall > 0 else float('nan')

class GPUBusy(Callback):
    "The share of the wall time of one training epoch (the second to last) during which the GPU is busy"
    order = 1000
    def __init__(self): self.share, self._prof = None, None
    def before_epoch(self):
        if not self.model.training or self.epoch != max(0, self.n_epochs-2) or not torch.cuda.is_available(): return
        torch.cuda.synchronize()
        self._prof = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA]); self._prof.__enter__()
        self._t0 = time.perf_counter()
    def after_epoch(self):
        if self._prof is None or not self.model.training: return
        torch.cuda.synchronize(); wall = time.perf_counter() - self._t0
        self._prof.__exit__(None, None, None)
        self.share, self._prof = busy_share(self._prof, wall), None
    def cleanup_fit(self):
        if self._prof is not None: self._prof.__exit__(None, None, None); self._prof = None

def fused_bn(self, x):
    return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, self.training, self.momentum, self.eps)

def ours(a, recipe, size=None, precision=None, nchw=False, torchbn=False, store='auto', compile=False):
    "One run of train() with a GPUBusy probe; `nchw`, `torchbn`, `store` and `compile` change one thing each"
    probe, orig_learner, orig_dls, orig_bn = GPUBusy(), T._learner, T.device_dls, BatchNorm.forward
    def learner(*args, **kw):
        learn = orig_learner(*args, **kw)
        learn.add_cbs([probe])
        if nchw: learn.setup_learner.channels_last = False
        if compile: learn.model.forward = torch.compile(learn.model.forward)   # the model's forward pass through torch.compile
        return learn
    T._learner, T.device_dls = learner, partial(orig_dls, store=store)
    if torchbn: BatchNorm.forward = fused_bn
    out = tempfile.mkdtemp()
    try:
        kw = dict(epochs=1, size=16 if (size or 64) <= 64 else 24) if a.smoke else dict(size=size) if size else {}
        r = T.train(a.data, recipe=recipe, device=a.device, workers=a.workers, precision=precision, out=out, overwrite=True, quiet=True, **kw)
    finally:
        T._learner, T.device_dls, BatchNorm.forward = orig_learner, orig_dls, orig_bn
        shutil.rmtree(out, ignore_errors=True)
    n_train = len(get_image_files(T.resolve_data(a.data)/'train'))
    train_secs = sum(e['secs'] for e in r['epochs'])
    return dict(acc=r['valid_acc'], plain=r.get('valid_acc_without_tta'), secs=r['secs'], ips=n_train*len(r['epochs'])/train_secs,
                busy=probe.share, precision=r['precision'])

def torch_baseline(a):
    "The chapter's recipe in idiomatic PyTorch on the device (end_to_end.py's, with pinned memory on a GPU)"
    epochs, size = (1, 16) if a.smoke else (8, 64)
    r = end_to_end.torch_run(epochs, a.workers, T.resolve_data(a.data), size=size, device=a.device)
    return dict(acc=r['valid_acc'], plain=None, secs=r['secs'], ips=r['ips'], busy=None, precision='fp32')

def gpu_command(a):
    "`learner-scratch train --recipe gpu` as a command, the decoded cache removed first: everything counts"
    shutil.rmtree(cache_path('data')/'decoded', ignore_errors=True)
    out = Path(tempfile.mkdtemp())/'run'
    cmd = [sys.executable, '-m', 'learner_scratch', 'train', '--recipe', 'gpu', '--data', a.data, '--device', a.device, '--out', str(out), '--quiet']
    if a.workers is not None: cmd += ['--workers', str(a.workers)]
    if a.smoke: cmd += ['--epochs', '1', '--size', '16', '--bs', '64']
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - start
    if p.returncode: raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()[-500:]}")
    r = json.loads((out/'metrics.json').read_text())
    shutil.rmtree(out.parent, ignore_errors=True)
    n_train = len(get_image_files(T.resolve_data(a.data)/'train'))
    return dict(acc=r['valid_acc'], plain=r.get('valid_acc_without_tta'), secs=secs, ips=n_train*len(r['epochs'])/sum(e['secs'] for e in r['epochs']),
                busy=None, precision=r['precision'])

runs = {'torch': torch_baseline,
        'chapter': lambda a: ours(a, 'chapter'),
        'chapter-pinned': lambda a: ours(a, 'chapter', store='pinned'),
        'better-64-fp32': lambda a: ours(a, 'better', 64, 'fp32'),
        'better-64-bf16': lambda a: ours(a, 'better', 64, 'bf16'),
        'better-128-fp32': lambda a: ours(a, 'better', 128, 'fp32'),
        'better-128-bf16': lambda a: ours(a, 'better', 128, 'bf16'),
        'better-128-bf16-nchw': lambda a: ours(a, 'better', 128, 'bf16', nchw=True),
        'better-128-bf16-torchbn': lambda a: ours(a, 'better', 128, 'bf16', torchbn=True),
        'better-128-bf16-compile': lambda a: ours(a, 'better', 128, 'bf16', compile=True),
        'gpu': gpu_command}

def pct(v): return '' if v is None else f'{v:.1%}'

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--data', default=None, help="imagenette-160 (default), or shapes with --smoke")
    p.add_argument('--workers', type=int, default=None, help="DataLoader workers (default: the cores, at most 16)")
    p.add_argument('--runs', default=','.join(k for k in runs if not k.endswith('-compile')))
    p.add_argument('--smoke', action='store_true', help="one epoch of each on the generated shapes at small sizes: a check, not a measurement")
    a = p.parse_args()
    a.data = a.data or ('shapes' if a.smoke else 'imagenette-160')
    a.workers = default_workers() if a.workers is None else a.workers
    unknown = [k for k in a.runs.split(',') if k not in runs]
    if unknown: p.error(f"--runs: unknown runs {unknown}; choose from {', '.join(runs)}")
    T.check_device(a.device)
    name = torch.cuda.get_device_name(torch.device(a.device)) if a.device.startswith('cuda') else 'CPU'
    res, failed = {}, {}
    for k in a.runs.split(','):
        try: res[k] = runs[k](a)
        except Exception as e:           # one run's failure must not cost the others (a GPU lend is short)
            failed[k] = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
            print(f"{k}: FAILED {failed[k]}", flush=True); continue
        print(f"{k}: {json.dumps(res[k])}", flush=True)
    print(f"\n{a.data} on {name} ({a.device}), torch {torch.__version__}, {a.workers} workers{' (smoke: one epoch at small sizes)' if a.smoke else ''}\n")
    print(f"{'run':<24} {'valid acc':>9} {'no TTA':>7} {'seconds':>8} {'images/s':>9} {'GPU busy':>8} {'precision':>9}")
    for k, r in res.items():
        print(f"{k:<24} {r['acc']:>9.1%} {pct(r['plain']):>7} {r['secs']:>8.1f} {r['ips']:>9,.0f} {pct(r['busy']):>8} {r['precision']:>9}")
    for k, why in failed.items(): print(f"{k:<24} failed: {why}")
    def ratio(x, y, what, target, ok):
        if x in res and y in res:
            v = res[x]['secs']/res[y]['secs']
            print(f"{what}: {v:.2f} (target {target}) {'ok' if ok(v) else 'MISSED'}")
    print()
    ratio('chapter', 'torch', 'time chapter/torch', '<= 0.33', lambda v: v <= 1/3)
    ratio('better-128-bf16', 'better-128-fp32', 'time bf16/fp32 at 128px', '< 1', lambda v: v < 1)
    ratio('better-128-bf16-nchw', 'better-128-bf16', 'time NCHW/channels-last at 128px', 'kept if > 1', lambda v: v > 1)
    ratio('better-128-bf16', 'better-128-bf16-torchbn', 'time our BatchNorm/fused at 128px', '<= 1.10', lambda v: v <= 1.10)
    ratio('better-128-bf16-compile', 'better-128-bf16', 'time compiled/eager at 128px', 'kept if < 1', lambda v: v < 1)
    ratio('chapter-pinned', 'chapter', 'time pinned/device images', 'device kept if > 1', lambda v: v > 1)
    for k in ('better-128-fp32', 'better-128-bf16'):
        if k in res and res[k]['busy'] is not None:
            print(f"GPU busy in {k}: {res[k]['busy']:.0%} (target >= 80%) {'ok' if res[k]['busy'] >= 0.8 else 'MISSED'}")
    if 'gpu' in res:
        r = res['gpu']
        print(f"gpu recipe: {pct(r['plain'])} without TTA in {r['secs']:.0f}s (target >= 90% in <= 60 s) "
              f"{'ok' if (r['plain'] or 0) >= 0.9 and r['secs'] <= 60 else 'MISSED'}")
    sys.exit(1 if failed else 0)
