"""Run notebooks top to bottom in a real Jupyter kernel, as a reader does, and say which fail.

usage: python tools/run_notebooks.py [nbs/05_schedule.ipynb ...] [--skip FLAG ...] [--timeout SECS]

`nbdev_test` runs the cells in execnb's shell, which is not a notebook front end: code that asks "am I in a
notebook?" (fastprogress's HTML bars, `display`) answers no there and yes here. This script runs each notebook
through nbclient with the `python3` ipykernel of this Python, in the notebook's folder (as `nbdev_test` does),
with the environment as it is. The cells flagged with a `--skip` flag (default: imagenette slow gpu) are replaced
by a cell that prints that they were skipped; `nbdev_export(` cells and `#| eval: false` ones are not run (as in
`nbdev_test`). The notebooks on disk are not changed. Prints one line per notebook and ends with
'N passed, M failed'; exits 1 if any failed."""
import re, sys, time, json, shutil, argparse, tempfile, subprocess
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import AsyncKernelManager
from nbclient.util import run_sync

ROOT = Path(__file__).resolve().parent.parent

def flags(src:str) -> list[str]:
    "The cell's `#| flag` words (the first word of each `#|` line)"
    return [l[2:].split()[0] for l in src.splitlines() if l.startswith('#|') and l[2:].split()]

def prepare(nb, skip) -> None:
    "In memory: flagged cells print that they were skipped, `nbdev_export(` and `eval: false` cells are emptied"
    for c in nb.cells:
        if c.cell_type != 'code': continue
        src = c.source
        if 'nbdev_export' + '(' in src or any(l.startswith('#|') and 'eval: false' in l for l in src.splitlines()):
            c.source = ''                                   # nbclient does not run an empty cell
            continue
        hit = [f for f in flags(src) if f in skip]
        if hit: c.source = f"print({f'skipped (#| {hit[0]}): a flagged cell (tools/run_notebooks.py --skip)'!r})"

def _runs_this_python(argv0:str) -> bool:
    "Does a kernelspec's interpreter `argv0` start this Python (this virtual environment)?"
    if argv0 in ('python', f'python{sys.version_info[0]}', 'python%i.%i' % sys.version_info[:2]):
        return True                                         # jupyter_client starts sys.executable for these
    try:
        out = subprocess.run([argv0, '-c', 'import sys; print(sys.prefix)'], capture_output=True, text=True,
                             timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError): return False
    return bool(out) and Path(out).resolve() == Path(sys.prefix).resolve()

def kernel_specs(tmp:Path) -> KernelSpecManager:
    "Kernelspecs in which `python3` starts this Python: the installed ones if so, else one written in `tmp`"
    ksm = KernelSpecManager()
    try:
        spec = ksm.get_kernel_spec('python3')
        if spec.argv and _runs_this_python(spec.argv[0]): return ksm
    except NoSuchKernel: pass
    d = tmp/'kernels'/'python3'
    d.mkdir(parents=True)
    (d/'kernel.json').write_text(json.dumps({
        'argv': [sys.executable, '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
        'display_name': 'Python 3 (ipykernel)', 'language': 'python'}))
    print(f"(kernelspec python3 did not start {sys.executable}: using one that does)")
    return KernelSpecManager(kernel_dirs=[str(tmp/'kernels')])

def _first_line(src:str) -> str:
    "A cell's first line that is not a `#|` directive"
    return next((l for l in src.splitlines() if l.strip() and not l.startswith('#|')), '').strip()[:80]

def _failing_line(tb:str) -> str:
    "The line of the cell that an IPython traceback points at first (`---->`, `---> 19`)"
    m = re.search(r'^-+>\s*(\d+)\s(.*)$', re.sub(r'\x1b\[[0-9;]*m', '', tb), re.M)
    return f"line {m[1]} `{m[2].strip()[:80]}`" if m else ''

def run(fn:Path, skip, timeout:float, ksm:KernelSpecManager, tmp:Path) -> tuple[bool, str]:
    "Execute `fn` (a copy in memory) in a fresh kernel; (passed, what happened)"
    deadline, current = time.monotonic() + timeout, {}
    where = lambda: f"cell {current.get('i')} `{_first_line(current.get('src', ''))}`"
    # over local sockets (ipykernel warns about unencrypted TCP), their files in `tmp`
    # (async, as nbclient's own: a blocking one stalls its event loop, and the timeouts with it)
    km = AsyncKernelManager(kernel_name='python3', kernel_spec_manager=ksm, transport='ipc',
                            connection_file=str(tmp/f'{fn.stem}.json'))
    try:
        nb = nbformat.read(fn, as_version=4)
        prepare(nb, skip)
        NotebookClient(nb, km=km, kernel_name='python3', resources={'metadata': {'path': str(fn.parent)}},
                       timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),   # per notebook
                       on_cell_start=lambda cell, cell_index: current.update(i=cell_index, src=cell.source),
                      ).execute()
        current['done'] = True
    except CellExecutionError as e:
        msg = ' / '.join(l.strip() for l in str(e.evalue).splitlines() if l.strip())   # test_eq's: '==: / 0 / 4'
        return False, f"{where()}: {e.ename}: {msg[:300] or 'at ' + _failing_line(e.traceback)}"
    except CellTimeoutError: return False, f"{where()}: the notebook ran past {timeout:.0f} s (--timeout)"
    except DeadKernelError as e: return False, f"{where()}: the kernel died ({e})"
    except Exception as e: return False, f"{type(e).__name__}: {e}"      # the notebook unreadable, no kernel, ...
    finally:
        # (a client given `km` leaves its kernel running); one still in a cell is stopped at once
        if km.has_kernel: run_sync(km.shutdown_kernel)(now=not current.get('done'))
    return True, 'ok'

def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('nbs', nargs='*', type=Path, help="notebooks (default: every nbs/[0-9]*.ipynb)")
    p.add_argument('--skip', nargs='*', default=['imagenette', 'slow', 'gpu'],
                   help="flags whose cells are not run (default: imagenette slow gpu)")
    p.add_argument('--timeout', type=float, default=600, help="seconds each notebook may take (default: 600)")
    a = p.parse_args(argv)
    fns = [f.resolve() for f in a.nbs] or sorted((ROOT/'nbs').glob('[0-9]*.ipynb'))
    tmp = Path(tempfile.mkdtemp(prefix='run_notebooks-'))
    passed = failed = 0
    try:
        ksm = kernel_specs(tmp)
        for fn in fns:
            t0 = time.perf_counter()
            ok, what = run(fn, set(a.skip), a.timeout, ksm, tmp)
            passed, failed = passed + ok, failed + (not ok)
            print(f"{fn.name}: {time.perf_counter() - t0:.1f} s, {what}", flush=True)
    finally: shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0

if __name__ == '__main__': sys.exit(main())
