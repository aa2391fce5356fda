"""Speed of prediction: `get_preds` against the validation pass of `fit`, and `learner-scratch predict` against `import torch`.

1. `get_preds` over the validation loader, against the validation pass that `fit` makes over the same loader with the
   usual callbacks (`SetupLearnerCB`, `TrackResults`, `Recorder`). Both run the same model on the same batches; the
   passes alternate (a `fit` epoch, then `get_preds`) for several rounds, and the median of each is compared. The
   training part of each `fit` epoch is cut short (one batch), so the rounds are quick.
2. `learner-scratch predict IMAGE --model EXPORT` from a shell, start-up included, against `python -c "import torch"`
   and against the same ending with `os._exit(0)` (which skips unloading PyTorch, as `learner-scratch predict` does): the
   least any PyTorch program takes to start. Runs alternate, and the medians are compared.

Data: Imagenette 160 resized to 64px (decoded once) if it is in the cache (`../shared/data/install-imagenette.sh`),
else generated shapes. Usage: python benchmarks/predict.py [--rounds 5] [--cli-runs 7] [--data imagenette|shapes]
"""
import argparse, statistics, subprocess, sys, tempfile, time
from pathlib import Path
import torch
from learner_scratch.data import DataLoaders, make_shapes
from learner_scratch.download import URLs, cache_path, archive_stem
from learner_scratch.module import simple_cnn
from learner_scratch.loss import cross_entropy
from learner_scratch.learner import Learner, Callback, CancelEpochException
from learner_scratch.callbacks import SetupLearnerCB, TrackResults, Recorder
from learner_scratch.predict import load_learner

class Timer(Callback):
    "Cut the training pass to one batch; time each validation pass"
    order = 100
    def __init__(self): self.secs = []
    def before_epoch(self): self.start = time.perf_counter()
    def after_batch(self):
        if self.model.training: raise CancelEpochException()
    def after_epoch(self):
        if not self.model.training: self.secs.append(time.perf_counter() - self.start)

def data(which:str, tmp:Path):
    im = cache_path('data')/archive_stem(URLs.IMAGENETTE_160.rsplit('/', 1)[-1])
    if which == 'imagenette' or (which == 'auto' and (im/'train').is_dir()):
        if not (im/'train').is_dir(): sys.exit(f"no Imagenette in {im}: run ../shared/data/install-imagenette.sh, or pass --data shapes")
        return 'Imagenette 160 at 64px', im
    return 'generated shapes (4,000 validation images at 64px)', make_shapes(tmp/'shapes', n_train=100, n_valid=400, size=64)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--rounds', type=int, default=5); p.add_argument('--cli-runs', type=int, default=7)
    p.add_argument('--data', default='auto', choices=('auto', 'imagenette', 'shapes'))
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp())
    name, path = data(a.data, tmp)
    dls = DataLoaders.from_folder(path, bs=128, size=64, n_workers=2, seed=0, decode_once=True)
    torch.manual_seed(0)
    timer = Timer()
    learn = Learner(simple_cnn(n_out=len(dls.vocab)), dls, cross_entropy, lr=0.01, path=tmp,
                    cbs=[SetupLearnerCB('cpu'), TrackResults(show=False), Recorder(), timer])
    gp = []
    learn.fit(1); learn.get_preds()     # warm up: first passes allocate
    timer.secs.clear()
    for _ in range(a.rounds):
        learn.fit(1)
        t = time.perf_counter(); learn.get_preds(); gp.append(time.perf_counter() - t)
    v, g = statistics.median(timer.secs), statistics.median(gp)
    print(f"{name}: {len(dls.valid.ds)} validation images, {a.rounds} rounds, CPU, {torch.get_num_threads()} threads")
    print(f"  validation pass of fit  {v:.3f}s (median)")
    print(f"  get_preds               {g:.3f}s (median)   get_preds / validation pass = {g/v:.2f}")

    exp = learn.export(tmp/'export.pth', arch='simple_cnn')
    img = str(dls.valid.ds.fns[0])
    exe = Path(sys.executable).parent/'learner-scratch'
    cmds = {'import torch': [sys.executable, '-c', 'import torch'],
            'import torch, os._exit': [sys.executable, '-c', 'import torch, os; os._exit(0)'],    # the floor: start-up without the unloading
            'learner-scratch predict': [str(exe) if exe.exists() else 'learner-scratch', 'predict', img, '--model', str(exp)]}
    secs = {k: [] for k in cmds}
    for _ in range(a.cli_runs):
        for k, c in cmds.items():
            t = time.perf_counter(); r = subprocess.run(c, capture_output=True, text=True); secs[k].append(time.perf_counter() - t)
            if r.returncode: sys.exit(f"{k} failed: {r.stderr.strip()}")
    med = {k: statistics.median(v) for k, v in secs.items()}
    print(f"one image from the shell ({a.cli_runs} runs each, alternating):")
    for k, v in secs.items(): print(f"  {k:24s} {med[k]:.2f}s (median; {min(v):.2f} to {max(v):.2f})")
    floor = med['import torch, os._exit']
    print(f"  predict / import torch = {med['learner-scratch predict']/med['import torch']:.2f}; "
          f"predict takes {med['learner-scratch predict']-floor:+.2f}s beyond starting PyTorch (the floor)")
    dls.close()

if __name__ == '__main__': main()
