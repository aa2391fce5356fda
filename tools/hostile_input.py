"""Hostile inputs that once went wrong, each tried on a tree: python tools/hostile_input.py TREE -> a line per case.
Each case runs in its own process (PYTHONPATH=TREE) with a time limit, so a hang is a result too: FIXED or DEFECT."""
import sys, os, subprocess, textwrap, tempfile, json

TREE = os.path.abspath(sys.argv[1])
CHECKS = {}
def check(name):
    def deco(src): CHECKS[name] = textwrap.dedent(src); return src
    return deco

PRE = '''
import os, sys, io, json, time, errno, shutil, signal, tempfile, warnings, contextlib, subprocess, threading
from pathlib import Path
from unittest import mock
import torch
tmp = Path(tempfile.mkdtemp()); os.environ['LEARNER_SCRATCH_HOME'] = str(tmp/'home')
def ok(cond, why=''): print('FIXED' if cond else 'DEFECT', why); sys.exit(0)
'''

check('cache keyed by file name: two URLs, one data.tgz')('''
import http.server, functools, tarfile
from learner_scratch.download import untar_data
srv = tmp/'srv'
def tar(p, classes):
    p.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(p, 'w:gz') as t:
        for c in classes:
            f = tmp/f'{c}.jpg'; f.write_bytes(b'x'); t.add(f, f'data/{c}/1.jpg')
tar(srv/'one'/'data.tgz', 'ab'); tar(srv/'two'/'data.tgz', 'abc')
h = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(srv)))
threading.Thread(target=h.serve_forever, daemon=True).start()
u = f'http://127.0.0.1:{h.server_address[1]}'
import http.server as _; http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
a = untar_data(f'{u}/one/data.tgz', progress=False); b = untar_data(f'{u}/two/data.tgz', progress=False)
ok(len(os.listdir(b)) == 3, f'second URL gives {len(os.listdir(b))} classes')
''')

check('a link to / in a class folder: the walk goes through the whole disk')('''
from PIL import Image
from learner_scratch.data import get_image_files
c = tmp/'d'/'cat'; c.mkdir(parents=True); Image.new('RGB', (8, 8)).save(c/'a.png'); (c/'root').symlink_to('/')
t = time.time(); fs = get_image_files(tmp/'d')
ok(len(fs) == 1, f'{len(fs)} files, {time.time()-t:.1f}s')
''')

check('a FIFO named .png in a class folder is opened as an image (blocks forever)')('''
from PIL import Image
from learner_scratch.data import get_image_files
c = tmp/'d'/'cat'; c.mkdir(parents=True); Image.new('RGB', (8, 8)).save(c/'a.png'); os.mkfifo(c/'p.png')
fs = get_image_files(tmp/'d')
ok(all(f.name != 'p.png' for f in fs), f'{[f.name for f in fs]}')
''')

check('no flag for a download deadline')('''
from learner_scratch.train import train
import inspect
ok('download_time' in inspect.signature(train).parameters)
''')

check('a full disk during decoding: SIGBUS (the memory map of a sparse file)')('''
from learner_scratch.data import Dataset, DecodedDataset, make_shapes, get_image_files
p = make_shapes(tmp/'s', n_train=4, n_valid=2, size=16, classes=('circle', 'square'))
fs = get_image_files(p/'train'); ds = Dataset(fs, ['circle', 'square'], size=16)
def full(fd, off, n): raise OSError(errno.ENOSPC, 'No space left on device')
try:
    with mock.patch('os.posix_fallocate', full): DecodedDataset(ds, n_workers=0)
    ok(False, 'no reservation: the space is claimed by page faults')
except OSError as e: ok(e.errno == errno.ENOSPC and 'LEARNER_SCRATCH_HOME' in str(e), str(e)[:80])
''')

check('a .partial left by a killed writer is never cleaned')('''
from learner_scratch.files import atomic_path
code = f"from learner_scratch.files import atomic_path\\nimport time\\nwith atomic_path({str(tmp/'big')!r}) as t:\\n t.write_bytes(b'x'); print(1, flush=True); time.sleep(60)"
p = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True); p.stdout.readline(); p.kill(); p.wait()
with atomic_path(tmp/'other') as t: t.write_text('y')
ok(not list(tmp.glob('.*.partial')), f'{[f.name for f in tmp.glob(".*.partial")]}')
''')

check('a zip bomb extracts without a word')('''
import zipfile
from learner_scratch.download import extract_archive
with zipfile.ZipFile(tmp/'b.zip', 'w', zipfile.ZIP_DEFLATED) as z: z.writestr('b/z.bin', bytes(150*2**20))
try: extract_archive(tmp/'b.zip', tmp/'out'); ok(False, 'extracted 150 MiB from a zip of %d kB' % ((tmp/'b.zip').stat().st_size//1024))
except Exception as e: ok('bomb' in str(e), str(e)[:80])
''')

check('a full disk: the line does not say that --resume finishes the run')('''
from learner_scratch.cli import _error
e = OSError(errno.ENOSPC, 'No space left on device', 'runs/x/model.pth')
(tmp/'run').mkdir(); (tmp/'run'/'model.pth').write_bytes(b'x'); e.run_folder = str(tmp/'run')
msg = _error(e)[0]; ok('--resume' in msg, msg)
''')

check('an export.pth with 30 flipped bytes loads and predicts')('''
import zipfile
from learner_scratch.module import simple_cnn
from learner_scratch.learner import Learner
from learner_scratch.data import DataLoaders, make_shapes
import learner_scratch.predict as P
dls = DataLoaders.from_folder(make_shapes(tmp/'s', n_train=4, n_valid=2, size=16, classes=('a_circle', 'square'), ) if False else make_shapes(tmp/'s', n_train=4, n_valid=2, size=16, classes=('circle', 'square')), bs=4, size=16, n_workers=0)
from learner_scratch.callbacks import SetupLearnerCB
l = Learner(simple_cnn(2), dls, cbs=[SetupLearnerCB('cpu')]); f = l.export(tmp/'e.pth')
data = f.read_bytes()
with zipfile.ZipFile(f) as z: big = max(z.infolist(), key=lambda i: i.file_size)
w = big.header_offset + 30 + len(big.filename.encode()) + len(big.extra) + 100
f.write_bytes(data[:w] + bytes(b ^ 0xFF for b in data[w:w+30]) + data[w+30:])
try: P.load_learner(f); ok(False, 'loaded')
except ValueError as e: ok('damaged' in str(e), str(e)[:80])
''')

check('a NaN model.pth resumes (then blames the learning rate)')('''
from learner_scratch.module import Sequential, Linear
from learner_scratch.learner import Learner
import learner_scratch.checkpoint
from learner_scratch.test_utils import synth_dls
l = Learner(Sequential(Linear(2, 3)), synth_dls(), path=tmp); l.fit(1)
with torch.no_grad():
    for p in l.model.parameters(): p.fill_(float('nan'))
l.save('nan')
try: Learner(Sequential(Linear(2, 3)), synth_dls(), path=tmp).load('nan'); ok(False, 'loaded NaN weights')
except ValueError as e: ok('not finite' in str(e), str(e)[:80])
''')

check('a malformed export field prints a traceback (not one line)')('''
from learner_scratch.module import simple_cnn
from learner_scratch.learner import Learner
from learner_scratch.data import DataLoaders, make_shapes
from learner_scratch.callbacks import SetupLearnerCB
import learner_scratch.predict as P
dls = DataLoaders.from_folder(make_shapes(tmp/'s', n_train=4, n_valid=2, size=16, classes=('circle', 'square')), bs=4, size=16, n_workers=0)
f = Learner(simple_cnn(2), dls, cbs=[SetupLearnerCB('cpu')]).export(tmp/'e.pth')
s = torch.load(f, weights_only=True); s['size'] = 'big'; s.pop('checksum', None)
try:
    from learner_scratch.files import seal; s = seal(s)
except ImportError: pass
torch.save(s, f)
try: l = P.load_learner(f); l.predict(dls.valid.ds.fns[0]); ok(False, 'loaded and predicted')
except ValueError as e: ok('malformed' in str(e), str(e)[:80])
except Exception as e: ok(False, f'{type(e).__name__}: {str(e)[:60]}')
''')

check('1,000 classes: the confusion matrix asks for a 552-inch figure')('''
import matplotlib; matplotlib.use('Agg')
from learner_scratch.predict import ClassificationInterpretation as CI
it = CI.__new__(CI); it.vocab = [f'c{i}' for i in range(1000)]
it.targs = torch.randint(0, 1000, (5000,)); it.decoded = torch.randint(0, 1000, (5000,))
with mock.patch('matplotlib.figure.Figure.tight_layout', lambda self, *a, **k: None):   # what takes the time: the figure's size is the point
    fig = it.plot_confusion_matrix()
ok(max(fig.get_size_inches()) <= 20, f'{fig.get_size_inches()} inches')
''')

check('a plot that fails leaves no metrics.json (run.json stays at running)')('''
from learner_scratch.train import train
from learner_scratch.data import make_shapes
from learner_scratch.predict import ClassificationInterpretation
p = make_shapes(tmp/'s', n_train=8, n_valid=4, size=16, classes=('circle', 'square'))
def boom(*a, **k): raise MemoryError('too big')
with mock.patch.object(ClassificationInterpretation, 'plot_confusion_matrix', boom), warnings.catch_warnings():
    warnings.simplefilter('ignore')
    try: train(str(p), out=str(tmp/'r'), epochs=1, workers=0, quiet=True, bs=4)
    except MemoryError: pass
ok((tmp/'r'/'metrics.json').exists(), json.loads((tmp/'r'/'run.json').read_text())['status'])
''')

check('a class folder renamed before --resume: labels permuted without a word')('''
from learner_scratch.train import train
from learner_scratch.data import make_shapes
p = make_shapes(tmp/'s', n_train=8, n_valid=4, size=16, classes=('circle', 'square'))
train(str(p), out=str(tmp/'r'), epochs=1, workers=0, quiet=True, bs=4)
j = json.loads((tmp/'r'/'run.json').read_text()); j['status'] = 'interrupted'; j['args']['epochs'] = 2
(tmp/'r'/'run.json').write_text(json.dumps(j))
for s in ('train', 'val'): (p/s/'square').rename(p/s/'a_square')
try: train(out=str(tmp/'r'), resume=True, workers=0, quiet=True); ok(False, 'resumed')
except Exception as e: ok('changed' in str(e), str(e)[:80])
''')

check('a model with 5 outputs trains on 2 classes silently')('''
from learner_scratch.module import simple_cnn
from learner_scratch.learner import Learner
from learner_scratch.data import DataLoaders, make_shapes
from learner_scratch.callbacks import SetupLearnerCB
dls = DataLoaders.from_folder(make_shapes(tmp/'s', n_train=4, n_valid=2, size=16, classes=('circle', 'square')), bs=4, size=16, n_workers=0)
try: Learner(simple_cnn(5), dls, cbs=[SetupLearnerCB('cpu')]).fit(1); ok(False, 'trained')
except ValueError as e: ok('5 outputs' in str(e), str(e)[:80])
''')

check('a constant blue channel: "Normalize: std must be positive"')('''
from learner_scratch.data import Normalize
x = torch.randint(0, 256, (4, 8, 8, 3), dtype=torch.uint8); x[..., 2] = 0
with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    try: n = Normalize.from_batch(x); ok(torch.isfinite(n(x)).all().item())
    except ValueError as e: ok(False, str(e)[:80])
''')

check('absurd numbers (--workers 5000, --epochs 1e20) are not refused')('''
from learner_scratch.train import TrainSettings
bad = 0
for kw in (dict(workers=5000), dict(epochs=10**20), dict(seed=2**64)):
    try: TrainSettings(**kw).checked()
    except Exception as e: bad += type(e).__name__ == 'UsageError'
ok(bad == 3, f'{bad} of 3 refused')
''')

check('a run started with a relative --data cannot be resumed from another folder')('''
from learner_scratch.train import TrainSettings
from learner_scratch.data import make_shapes
make_shapes(tmp/'s', n_train=4, n_valid=2, size=16, classes=('circle', 'square'))
os.chdir(tmp); s = TrainSettings('s').checked()
ok(os.path.isabs(s.data), s.data)
''')

check('a file name with a newline breaks the line-per-result output')('''
from learner_scratch.cli import _shown
ok('\\n' not in _shown('two\\nlines.png'))
''')

check('a malformed run.json breaks --resume with a traceback')('''
from learner_scratch.train import train
(tmp/'r').mkdir(); (tmp/'r'/'model.pth').write_bytes(b'x')
(tmp/'r'/'run.json').write_text(json.dumps({'args': {'epochs': 'three'}, 'status': 'running'}))
try: train(out=str(tmp/'r'), resume=True); ok(False)
except Exception as e: ok(type(e).__name__ == 'UsageError' and 'malformed' in str(e), f'{type(e).__name__}: {str(e)[:70]}')
''')

check('no shared memory for the batches: [Errno 12] in the library\'s words')('''
from learner_scratch.data import DataLoader
from learner_scratch.test_utils import IdxDS
with mock.patch('learner_scratch.workers._shared_empty', side_effect=OSError(errno.ENOMEM, 'Cannot allocate memory')):
    try: list(DataLoader(IdxDS(40), bs=4, n_workers=2)); ok(False)
    except Exception as e: ok("can't set aside" in str(e), f'{type(e).__name__}: {str(e)[:70]}')
''')

fixed = 0
for name, src in CHECKS.items():
    env = {**os.environ, 'PYTHONPATH': TREE, 'MPLBACKEND': 'Agg'}
    try:
        r = subprocess.run([sys.executable, '-c', PRE + src], capture_output=True, text=True, timeout=120, env=env,
                           cwd=tempfile.mkdtemp())
        out = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else f'DEFECT (error: {(r.stderr.strip().splitlines() or ["?"])[-1][:90]})'
    except subprocess.TimeoutExpired: out = 'DEFECT (no answer in 120 s: it hangs)'
    fixed += out.startswith('FIXED')
    print(f"{out.split()[0]:7s} {name}: {' '.join(out.split()[1:])[:110]}", flush=True)
print(f"{fixed} of {len(CHECKS)} fixed")
