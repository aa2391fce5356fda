"""The CLI's default recipe against the same recipe written in idiomatic PyTorch, on the Imagenette copy, in one run.

ours:  learner_scratch.train.train() with its defaults (the chapter's recipe: simple_cnn, 64px, bs 128,
       one cycle at 0.1 for 8 epochs; images decoded once into the cache), quiet.
torch: torch.utils.data.DataLoader over a PIL Dataset (resize, float, normalize), nn.Conv2d/nn.Linear with the
       chapter's initialisation, torch.optim.SGD, the chapter's one-cycle schedule through LambdaLR, F.cross_entropy,
       validation under torch.no_grad(). Same workers, seed, batch size and epochs.
Wall time includes building the loaders and, for ours, decoding once (the decoded file is removed first).
Target: same valid accuracy within 1 point in <= 0.67x the time.

usage: python benchmarks/end_to_end.py [--epochs 8] [--workers 2] [--order ours,torch]"""
import argparse, time, shutil, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F, torch.utils.data as tud
from PIL import Image
from learner_scratch.data import get_image_files, Normalize, Dataset
from learner_scratch.download import untar_data, URLs, cache_path
from learner_scratch.train import train

class ImageFolder(tud.Dataset):
    "An idiomatic PyTorch dataset: PIL decode, resize, float CHW, normalize"
    def __init__(self, root, vocab, mean, std, size=64):
        self.fns = get_image_files(root); self.o2i = {v:i for i,v in enumerate(vocab)}; self.size = size
        self.mean, self.std = torch.tensor(mean).view(3,1,1), torch.tensor(std).view(3,1,1)
    def __len__(self): return len(self.fns)
    def __getitem__(self, i):
        im = Image.open(self.fns[i]).convert('RGB').resize((self.size, self.size))
        x = torch.from_numpy(np.asarray(im).copy()).permute(2,0,1).float().div_(255)
        return (x - self.mean)/self.std, self.o2i[self.fns[i].parent.name]

def torch_run(epochs, workers, path, seed=42, lr=0.1, bs=128, size=64, device='cpu'):
    "The chapter's recipe in idiomatic PyTorch on `device` (on a GPU with pinned memory and asynchronous copies): accuracy, seconds, training images/s"
    dev = torch.device(device); pin = dev.type == 'cuda'
    torch.manual_seed(seed)
    start = time.perf_counter()
    vocab = sorted(d.name for d in (path/'train').iterdir() if d.is_dir())
    norm = Normalize.from_dataset(Dataset(get_image_files(path/'train'), vocab, size))   # the same statistics as ours
    tds, vds = (ImageFolder(path/s, vocab, norm.mean.tolist(), norm.std.tolist(), size) for s in ('train', 'val'))
    g = torch.Generator().manual_seed(seed)
    tdl = tud.DataLoader(tds, bs, shuffle=True, num_workers=workers, pin_memory=pin, persistent_workers=workers > 0, generator=g)
    vdl = tud.DataLoader(vds, bs, num_workers=workers, pin_memory=pin, persistent_workers=workers > 0)
    def conv(ci, co):
        c = nn.Conv2d(ci, co, 3, 2, 1); nn.init.kaiming_normal_(c.weight); nn.init.zeros_(c.bias)
        return [c, nn.ReLU()]
    lin = nn.Linear(128, len(vocab)); nn.init.xavier_normal_(lin.weight); nn.init.zeros_(lin.bias)
    model = nn.Sequential(*conv(3,16), *conv(16,32), *conv(32,64), *conv(64,128), nn.AdaptiveAvgPool2d(1), nn.Flatten(), lin).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    n = epochs*len(tdl)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda i: 0.1 + 0.9*i/(0.25*n) if i < 0.25*n else 1 - (i-0.25*n)/(0.75*n))
    train_secs = 0.
    for epoch in range(epochs):
        t0 = time.perf_counter(); model.train()
        for xb, yb in tdl:
            xb, yb = xb.to(dev, non_blocking=True), yb.to(dev, non_blocking=True)
            loss = F.cross_entropy(model(xb), yb); loss.backward(); opt.step(); opt.zero_grad(); sched.step()
        train_secs += time.perf_counter() - t0
        model.eval(); correct = tot = 0
        with torch.no_grad():
            for xb, yb in vdl: correct += (model(xb.to(dev, non_blocking=True)).argmax(1).cpu() == yb).sum().item(); tot += len(yb)
    return dict(valid_acc=correct/tot, secs=time.perf_counter()-start, ips=len(tds)*epochs/train_secs)

def ours_run(epochs, workers):
    shutil.rmtree(cache_path('data')/'decoded', ignore_errors=True)   # count the decoding
    out = tempfile.mkdtemp()
    r = train(epochs=epochs, workers=workers, out=out, quiet=True)
    shutil.rmtree(out)
    return dict(valid_acc=r['valid_acc'], secs=r['secs'])

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--epochs', type=int, default=8)
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--order', default='ours,torch')
    a = p.parse_args()
    path = untar_data(URLs.IMAGENETTE_160)
    runs = {'ours': lambda: ours_run(a.epochs, a.workers), 'torch': lambda: torch_run(a.epochs, a.workers, path)}
    res = {k: runs[k]() for k in a.order.split(',')}
    print(f"Imagenette 160 at 64px, simple_cnn, bs 128, one cycle 0.1, {a.epochs} epochs, {a.workers} workers, torch {torch.__version__}, {torch.get_num_threads()} threads\n")
    print(f"{'pipeline':<8} {'valid acc':>9} {'seconds':>8}")
    for k, r in res.items(): print(f"{k:<8} {r['valid_acc']:>9.1%} {r['secs']:>8.1f}")
    if {'ours', 'torch'} <= res.keys():
        t, d = res['ours']['secs']/res['torch']['secs'], 100*(res['ours']['valid_acc'] - res['torch']['valid_acc'])
        print(f"\ntime ours/torch {t:.2f} (target <= 0.67) {'ok' if t <= 0.67 else 'MISSED'};  "
              f"accuracy ours-torch {d:+.1f} points (target within 1) {'ok' if abs(d) <= 1 else 'MISSED'}")
