"""Execute notebooks in place so their saved outputs (what the docs site shows) are fresh, then `nbdev_clean` them.

usage: python tools/execute_nbs.py nbs/05_schedule.ipynb [...] [--skip FLAG ...]

Every code cell runs, the `#| slow` and `#| imagenette` ones too (those need the Imagenette copy in the cache:
`../shared/data/install-imagenette.sh`), unless its flag is given to `--skip`; a skipped cell keeps its old
outputs. Cells run in the notebook's folder, as `nbdev_test` runs them. Stops at the first error, leaving the
notebook unchanged."""
import sys, os, time, argparse
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

def execute(fn:Path, skip=()):
    nb = read_nb(fn)
    def no_eval(cell):
        if cell.cell_type != 'code' or 'nbdev_export'+'(' in cell.source: return True
        flags = {l[2:].split()[0] for l in cell.source.splitlines() if l.startswith('#|') and l[2:].split()}
        return bool(set(skip) & flags) or 'eval: false' in cell.source
    old = {i: (c.outputs, c.get('execution_count')) for i,c in enumerate(nb.cells) if c.cell_type == 'code' and no_eval(c)}
    shell, t0 = CaptureShell(fn), time.perf_counter()
    with working_directory(fn.parent): shell.run_all(nb, exc_stop=True, preproc=no_eval)
    for i,(outs, n) in old.items(): nb.cells[i].outputs, nb.cells[i].execution_count = outs, n    # skipped: keep
    write_nb(nb, fn)
    print(f"{fn}: executed in {time.perf_counter()-t0:.0f} s")

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('nbs', nargs='+', type=Path)
    p.add_argument('--skip', nargs='*', default=[], help="flags whose cells keep their old outputs")
    a = p.parse_args()
    os.environ.pop('IN_TEST', None)
    for fn in a.nbs: execute(fn.resolve(), a.skip)
    os.system('nbdev_clean')
