"""Our BatchNorm (hand-written backward) against the formula as written, the autograd version with torch.var_mean,
and PyTorch's fused F.batch_norm, in one run.

A six-layer conv-BatchNorm-ReLU network (widths 24-48-48-96-96-192, strides 2-2-1-2-1-2, the network of 09_recipes'
recipe) at 64px, forward and backward on batches of 128, the input channels-last as our batches are. Each version is
timed in rounds of 10 batches, the versions alternated; the best round of each is kept. Prints ms per batch and the
ratios to F.batch_norm. Target: ours within 1.25x of F.batch_norm.

usage: python benchmarks/batchnorm.py [--rounds 5] [--bs 128]"""
import argparse, time, torch, torch.nn.functional as F
import learner_scratch.module as M
from learner_scratch.module import ConvBN, Sequential, AdaptivePool, Linear, BatchNorm
from learner_scratch.loss import cross_entropy

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--rounds', type=int, default=5)
p.add_argument('--bs', type=int, default=128)
a = p.parse_args()

def formula(self, x):      # the textbook lines: four passes, autograd through each
    m, v = x.mean((0,2,3), keepdim=True), x.var((0,2,3), keepdim=True, correction=0)
    with torch.no_grad():
        n = x.numel()//self.nf
        self.running_mean.lerp_(m.flatten(), self.momentum); self.running_var.lerp_(v.flatten()*n/(n-1), self.momentum)
    return (x - m)/(v + self.eps).sqrt()*self.weight.view(1,-1,1,1) + self.bias.view(1,-1,1,1)
def var_mean_folded(self, x):   # torch.var_mean and one multiply-add, differentiated by autograd
    var, mean = torch.var_mean(x, (0,2,3), correction=0)
    with torch.no_grad():
        n = x.numel()//self.nf
        self.running_mean.lerp_(mean, self.momentum); self.running_var.lerp_(var*n/(n-1), self.momentum)
    scale = self.weight*(var + self.eps).rsqrt()
    return torch.addcmul((self.bias - mean*scale).view(1,-1,1,1), x, scale.view(1,-1,1,1))
def fused(self, x):
    return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, True, self.momentum, self.eps)
versions = {'formula': formula, 'var_mean + autograd': var_mean_folded, 'ours (hand-written backward)': BatchNorm.forward,
            'F.batch_norm': fused}

torch.manual_seed(0)
widths, strides = (24,48,48,96,96,192), (2,2,1,2,1,2)
model = Sequential(ConvBN(3, widths[0], stride=strides[0]), *[ConvBN(widths[i-1], widths[i], stride=strides[i]) for i in range(1, 6)],
                   AdaptivePool(), Linear(widths[-1], 10))
x = torch.randn(a.bs, 64, 64, 3).permute(0,3,1,2)      # channels-last, like tfm_x's output
y = torch.randint(0, 10, (a.bs,))
def step():
    loss = cross_entropy(model(x), y); loss.backward()
    for p_ in model.parameters(): p_.grad = None
orig = BatchNorm.forward
best = {k: float('inf') for k in versions}
for r in range(a.rounds + 1):
    for k, f in versions.items():
        BatchNorm.forward = f
        if r == 0: step(); continue          # warm-up
        t = time.perf_counter()
        for _ in range(10): step()
        best[k] = min(best[k], (time.perf_counter() - t)/10)
BatchNorm.forward = orig
print(f"conv-BN net, batch {a.bs} at 64px, forward + backward, best of {a.rounds} rounds of 10, torch {torch.__version__}, {torch.get_num_threads()} threads\n")
print(f"{'BatchNorm':<30} {'ms/batch':>9} {'vs F.batch_norm':>16}")
for k, t in best.items(): print(f"{k:<30} {t*1e3:>9.1f} {t/best['F.batch_norm']:>16.2f}")
r = best['ours (hand-written backward)']/best['F.batch_norm']
print(f"\nours/F.batch_norm {r:.2f} (target <= 1.25) {'ok' if r <= 1.25 else 'MISSED'}")
