"""Render nbs/index.ipynb to README.md without Quarto: nbdev's processing, then nbconvert's Markdown exporter.

usage: python tools/render_readme.py [--check]   (--check: exit 1 if README.md differs from the rendering)"""
import sys, re
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parent.parent

def _directives(src):
    "nbdev's `#| name` lines at the top of a cell, as a set of names"
    return {l[2:].strip().split(' ')[0] for l in src.splitlines() if l.startswith('#|')}

def render(src=root/'nbs'/'index.ipynb') -> str:
    "The README's text: hidden cells and `#|` directives removed, outputs kept"
    nb = nbformat.read(src, as_version=4)
    cells = []
    for c in nb.cells:
        if c.cell_type == 'code':
            if _directives(c.source) & {'hide', 'export'}: continue
            c.source = '\n'.join(l for l in c.source.splitlines() if not l.startswith('#|'))
        cells.append(c)
    nb.cells = cells
    nb.metadata['language_info'] = {'name': 'python'}
    md, _ = MarkdownExporter().from_notebook_node(nb)
    md = re.sub(r'\n{3,}', '\n\n', md).strip() + '\n'
    # links to notebooks become links to their pages on the site, which drop the number: 00_data.ipynb -> data.html
    return re.sub(r'\]\((?:\d+_)?(\w+)\.ipynb\)', r'](https://learner-scratch.github.io/learner_scratch/\1.html)', md)

if __name__ == '__main__':
    text, readme = render(), root/'README.md'
    if '--check' in sys.argv:
        if readme.read_text() != text: sys.exit("README.md differs from nbs/index.ipynb: run `python tools/render_readme.py`")
        print("README.md matches nbs/index.ipynb")
    else: readme.write_text(text); print(f"wrote {readme}")
