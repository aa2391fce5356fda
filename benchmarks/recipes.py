"""The chapter's recipe against the better recipe of 09_recipes, on the Imagenette copy, side by side in one run.

chapter        the chapter as written: its Dataset (`ChapterDataset`: PIL open, resize, float tensor), its DataLoader (a
               ProcessPoolExecutor per epoch mapping `collate` over chunks of indices; 'spawn' workers, because forked
               ones hang on this machine, see 00_data), normalization from the first batch, simple_cnn, our Learner,
               OneCycle(0.1), 8 epochs. This is the time budget.
chapter-ours   the same recipe on our DataLoaders, decoding every epoch (as the chapter's run in 05_schedule).
chapter-once   the same recipe on our DataLoaders, images decoded once (decoding counted).
recipe         `recipe_learner` + `recipe_schedule` for 22 epochs, as `learner-scratch train --recipe better` runs them:
               conv_bn_net with our BatchNorm, SGD momentum 0.9 and wd 5e-4, label smoothing 0.1, flips and 4px crops,
               progressive resizing 32/48/64px (40/30/30% of the epochs), flip TTA at the end, validation from 70% of
               the epochs on; images decoded once (decoding counted) and held in memory (device_dls).
recipe-everyvalid  the recipe validated after every epoch: what the skipped validation passes cost.
recipe-torchbn the recipe with PyTorch's fused F.batch_norm in place of our BatchNorm: what the from-scratch layer costs.

Wall time runs from building the data to the end of the last validation pass; the decoded-image cache is removed before
each run that decodes once. Target: recipe >= 80% valid accuracy in no more time than `chapter`.

usage: python benchmarks/recipes.py [--order chapter,chapter-ours,chapter-once,recipe,recipe-everyvalid,recipe-torchbn] [--workers 2] [--epochs 22]"""
import argparse, random, shutil, time
import torch, torch.nn.functional as F
from learner_scratch.all import *
from learner_scratch.data import ChapterDataset, ChapterDataLoader
from learner_scratch.module import BatchNorm
from learner_scratch.device_data import device_dls
from learner_scratch.train import recipes

def fit(learn, epochs, sched):
    learn.fit(epochs, cbs=[sched])
    return learn.track_results.rows[-1]['valid_acc']

def chapter(a, path):
    fns = get_image_files(path)
    split = lambda name: [f for f in fns if f.parent.parent.name == name]
    tds = ChapterDataset(split('train')); vds = ChapterDataset(split('val'), vocab=tds.vocab)
    dls = DataLoaders(*(ChapterDataLoader(d, 128, shuffle, a.workers, mp_context='spawn') for d, shuffle in ((tds, True), (vds, False))))
    norm = Normalize.from_batch(next(iter(dls.train))[0])
    learn = Learner(simple_cnn(), dls, cross_entropy, lr=0.1, cbs=[SetupLearnerCB(norm=norm), TrackResults(show=False)])
    return fit(learn, 8, OneCycle(0.1)), {}

def chapter_ours(a, path, once=False):
    if once: shutil.rmtree(cache_path('data')/'decoded', ignore_errors=True)
    dls = DataLoaders.from_folder(path, bs=128, size=64, n_workers=a.workers, seed=42, decode_once=once)
    try: return fit(Learner(simple_cnn(), dls, cross_entropy, lr=0.1, cbs=[SetupLearnerCB(), TrackResults(show=False)]), 8, OneCycle(0.1)), {}
    finally: dls.close()

def recipe(a, path, **kw):
    shutil.rmtree(cache_path('data')/'decoded', ignore_errors=True)
    dls = device_dls(DataLoaders.from_folder(path, bs=128, size=64, n_workers=a.workers, seed=42, decode_once=True), 'cpu')
    try:
        learn = recipe_learner(dls, cbs=[TrackResults(show=False)], **{**recipes['better']['learner'], **kw})
        return fit(learn, a.epochs, recipe_schedule()), {'without TTA': learn.flip_tta.plain_acc}
    finally: dls.close()

def fused_bn(self, x):
    return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, self.training, self.momentum, self.eps)
def recipe_torchbn(a, path):
    orig, BatchNorm.forward = BatchNorm.forward, fused_bn
    try: return recipe(a, path)
    finally: BatchNorm.forward = orig

runs = {'chapter': chapter, 'chapter-ours': chapter_ours, 'chapter-once': lambda a, p: chapter_ours(a, p, once=True),
        'recipe': recipe, 'recipe-everyvalid': lambda a, p: recipe(a, p, validate_from=0), 'recipe-torchbn': recipe_torchbn}

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--order', default=','.join(runs))
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--epochs', type=int, default=22, help="epochs of the recipe")
    a = p.parse_args()
    unknown = [k for k in a.order.split(',') if k not in runs]
    if unknown: p.error(f"--order: unknown runs {unknown}; choose from {list(runs)}")
    path = untar_data(URLs.IMAGENETTE_160)
    res = {}
    for k in a.order.split(','):
        torch.manual_seed(42); random.seed(42)
        start = time.perf_counter()
        acc, extra = runs[k](a, path)
        res[k] = dict(acc=acc, secs=time.perf_counter() - start, **extra)
        print(f"{k}: {acc:.1%} in {res[k]['secs']:.1f}s {extra}", flush=True)
    print(f"\nImagenette 160 at 64px, bs 128, {a.workers} workers, torch {torch.__version__}, {torch.get_num_threads()} threads\n")
    base = res.get('chapter', {}).get('secs')
    print(f"{'run':<18} {'valid acc':>9} {'seconds':>8} {'vs chapter':>11}")
    for k, r in res.items():
        print(f"{k:<18} {r['acc']:>9.1%} {r['secs']:>8.1f} {r['secs']/base if base else float('nan'):>11.2f}")
    if base and 'recipe' in res:
        r = res['recipe']
        ok = r['acc'] >= 0.8 and r['secs'] <= base
        print(f"\nrecipe: {r['acc']:.1%} valid accuracy (target >= 80%; {r['without TTA']:.1%} without TTA) in "
              f"{r['secs']/base:.2f}x the chapter's time (target <= 1) {'ok' if ok else 'MISSED'}")
