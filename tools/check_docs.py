"""Check what the docs site will show, without Quarto: the notebooks, nbdev's processed copies in `_proc/` (run
`nbdev_proc_nbs` first), the package's index and the README. Prints one line per defect and exits 1 if any.

usage: python tools/check_docs.py [--root DIR]

Defects found:
- import cells that do more than import (nbdev's docs build runs every cell with an import in it, alone);
- raw link syntax inside an API signature (a backquoted name in a parameter comment becomes a markdown link there),
  and entries with no real signature or docstring;
- an API entry shown twice;
- links to pages or anchors the site will not have (in every notebook, in API entries, and in the README);
- public names of the package with no API entry;
- paths of a developer's machine in notebook text or outputs;
- notebooks and README speaking of issues or sessions instead of the project;
- what a reader of the site meets: shown code lines over 100 characters (and package lines over 120), backticks
  or `NoneType` in a rendered signature, a heading whose anchor is an API entry's, less than 90% of the chapter
  pages' exported lines shown (`#| exports`), more than 100 visible test lines on the chapter's pages, and a page
  whose last shown cell is code instead of a closing paragraph."""
import sys, re, ast, json, argparse, importlib
from pathlib import Path

SITE = 'https://learner-scratch.github.io/learner_scratch/'
DEV_PATHS = re.compile(r'(?<![\w.~>])(/root/|/home/\w+|/Users/\w+|/work/|[A-Z]:\\Users\\|/tmp/tmp\w+)')
META_WORDS = re.compile(r'\b(the issue|this issue|issues? #?\d+|this session|this task)\b', re.I)
LINK = re.compile(r'\]\(([^)\s]+)\)')            # a markdown link's target (its text may hold links too)
# public names that need no entry of their own: a protocol's methods (callback events, `forward`, `extra_repr`,
# an autograd Function's `backward`) and dunders, documented where the protocol is
SHOWN_WIDTH, PACKAGE_WIDTH = 100, 120
CHAPTER = re.compile(r'^0[0-5]_')                # the chapter's six pages
MIN_SHOWN, MAX_TESTS = 0.9, 100                  # share of their exported lines shown; visible test lines on them
TEST_LINE = re.compile(r'\s*(test_\w+|assert)\b')
PROTOCOL = re.compile(r'^(before|after)_(fit|epoch|batch|pred|loss|backward|step|cancel_\w+)$|^cleanup_fit$|^(forward|backward|extra_repr)$|^__\w+__$')

def cells(nb): return json.loads(Path(nb).read_text())['cells']
def src(c): return ''.join(c['source'])
def directives(s): return {l[2:].split()[0] for l in s.splitlines() if l.startswith('#|') and l[2:].split()}
def outputs_md(c):
    for o in c.get('outputs', []):
        d = o.get('data', {})
        for k in ('text/markdown', 'text/plain'):
            if k in d: yield k, ''.join(d[k])
        if 'text' in o: yield 'text/plain', ''.join(o['text'])

def anchor(text:str) -> str:
    "The id pandoc gives a heading with this text"
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', text)           # links keep their text
    text = re.sub(r'[^\w\s.\-]', '', text.replace('`', '')).strip().lower()
    return re.sub(r'^[^a-z]+', '', re.sub(r'\s+', '-', text))

def mixed_import_cells(nbs_dir:Path):
    "Non-export cells with an import and other code: nbdev's docs build runs them without the cells they need"
    for nb in sorted(nbs_dir.glob('*.ipynb')):
        for i, c in enumerate(cells(nb)):
            s = src(c)
            if c['cell_type'] != 'code' or 'nbdev_export'+'()' in s or directives(s) & {'export', 'exports', 'exporti'}: continue
            try: tree = ast.parse('\n'.join(l for l in s.splitlines() if not l.lstrip().startswith(('%', '!'))))
            except SyntaxError: continue
            if not any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(tree)): continue
            if any(not isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body):
                yield f"{nb.name} cell {i}: imports mixed with other code (move the imports into an import-only cell): {s.splitlines()[0][:60]!r}"

def site_pages(proc:Path):
    "{page: (notebook, heading anchors, API entries)} for every page the site will have"
    pages = {}
    for nb in sorted(proc.glob('*.ipynb')):
        cs = cells(nb)
        fm = src(cs[0]) if cs and cs[0]['cell_type'] == 'raw' else ''
        m = re.search(r'^output-file: (\S+)', fm, re.M)
        page = m.group(1) if m else nb.stem + '.html'
        anchors, entries = set(), []
        for c in cs:
            texts = [src(c)] if c['cell_type'] == 'markdown' else [t for k,t in outputs_md(c) if k == 'text/markdown']
            for t in texts:
                t = re.sub(r'```.*?```', '', t, flags=re.S)
                for h in re.findall(r'^#{1,6} (.+?)\s*(?:\{#([\w.\-]+)\})?$', t, re.M):
                    anchors.add(h[1] or anchor(h[0]))
            for k, t in outputs_md(c):
                if k == 'text/markdown' and '```python' in t:
                    h = re.search(r'^#{1,6} (\S+)$', t, re.M)
                    if h: entries.append((h.group(1), t))
        pages[page] = (nb.name, anchors, entries)
    return pages

def check_links(where:str, text:str, pages:dict):
    for url in LINK.findall(text):
        if url.startswith(SITE): url = url[len(SITE):]
        elif re.match(r'^[a-z]+:', url) or url.startswith('#') and not url[1:]: continue
        page, _, frag = url.partition('#')
        if page.endswith('.ipynb'): page = re.sub(r'^\d+_', '', Path(page).stem) + '.html'
        if not page: continue            # an anchor on the same page: checked by the caller's page
        if not page.endswith('.html'): continue
        if page not in pages: yield f"{where}: link to a page the site does not have: {url}"
        elif frag and frag not in pages[page][1]: yield f"{where}: link to an anchor {page} does not have: {url}"

def check_proc(proc:Path, root:Path):
    pages = site_pages(proc)
    shown_classes = {n for nb in (root/'nbs').glob('*.ipynb') for n in shown_defs(nb) if '.' not in n}
    seen = {}
    for page, (nb, anchors, entries) in pages.items():
        for name, md in entries:
            if name in seen: yield f"{nb}: API entry {name} shown twice (also in {seen[name]})"
            seen.setdefault(name, nb)
            for sig in re.findall(r'```python\n(.*?)```', md, re.S):
                if re.search(r'\]\(\S+\)', sig): yield f"{nb}: raw link syntax in the signature of {name}: write parameter comments as plain text, without backquotes"
                elif '`' in sig: yield f"{nb}: backticks in the signature of {name}: write parameter comments as plain text"
                if 'NoneType' in sig: yield f"{nb}: NoneType in the signature of {name} (learner_scratch._showdoc drops it for a default of None; annotate the parameter)"
                if re.fullmatch(r'(def|class) \S+\(\s*\*args, \*\*kwargs\s*\):?\s*', sig): yield f"{nb}: the entry of {name} shows no real signature (`*args, **kwargs`)"
            if 'Call self as a function' in md: yield f"{nb}: the entry of {name} has no docstring of its own: give it one"
        for c in cells(proc/nb):
            texts = [src(c)] if c['cell_type'] == 'markdown' else [t for k,t in outputs_md(c) if k == 'text/markdown']
            for t in texts: yield from check_links(nb, t, pages)
            for k, t in ([('src', src(c))] + list(outputs_md(c))):
                m = DEV_PATHS.search(t)
                if m: yield f"{nb}: a path of a developer's machine ({m.group(0)}...) in {'the text' if k == 'src' else 'an output'}: {t[max(0,m.start()-30):m.end()+30]!r}"
            if c['cell_type'] == 'markdown' and (m := META_WORDS.search(src(c))):
                yield f"{nb}: the text speaks of {m.group(0)!r}: speak of the project"
    readme = (root/'README.md').read_text()
    yield from check_links('README.md', readme, pages)
    if m := META_WORDS.search(readme): yield f"README.md: the text speaks of {m.group(0)!r}: speak of the project"
    # every public name of the package has an entry on the page nbdev's index links it to
    sys.path.insert(0, str(root))
    cfg_lib = re.search(r'^lib_path\s*=\s*(\S+)', (root/'settings.ini').read_text(), re.M).group(1)
    syms = importlib.import_module(f'{cfg_lib}._modidx').d['syms']
    for mod, names in syms.items():
        for full, (url, _) in names.items():
            parts = full[len(mod)+1:].split('.')
            if any(p.startswith('_') and not PROTOCOL.match(p) for p in parts) or PROTOCOL.match(parts[-1]): continue
            if not _public(mod, parts): continue
            page = url.split('#')[0]
            if '.'.join(parts) not in seen and not (len(parts) > 1 and parts[0] in shown_classes):
                yield f"{mod}: {'.'.join(parts)} is public but has no API entry (add a show_doc on {page}, or make it private)"
        # names nbdev's index misses (assignments such as namedtuples)
        m = importlib.import_module(mod)
        for n in getattr(m, '__all__', []):
            o = getattr(m, n, None)
            if callable(o) and getattr(o, '__module__', None) == mod and f'{mod}.{n}' not in names and n not in seen:
                yield f"{mod}: {n} is public but has no API entry (add a show_doc, or make it private)"

def shown_defs(nb:Path):
    "Names whose code a notebook shows: classes and functions defined in its `#| exports` cells"
    for c in cells(nb):
        s = src(c)
        if c['cell_type'] != 'code' or 'exports' not in directives(s): continue
        try: tree = ast.parse(s)
        except SyntaxError: continue
        for n in tree.body:
            if isinstance(n, (ast.ClassDef, ast.FunctionDef)): yield n.name

def exported_lines(nb:Path):
    "(shown, hidden): the notebook's exported lines in `#| exports` cells, and in `#| export`/`exporti` ones"
    shown = hidden = 0
    for c in cells(nb):
        s = src(c); d = directives(s)
        if c['cell_type'] != 'code' or 'default_exp' in d: continue
        n = sum(1 for l in s.splitlines() if l.strip() and not l.startswith('#|'))
        if 'exports' in d: shown += n
        elif d & {'export', 'exporti'}: hidden += n
    return shown, hidden

def shown_code(c) -> list:
    "The lines of a processed cell's code that the site shows (none for a cell it runs but hides)"
    s = src(c)
    if c['cell_type'] != 'code' or re.search(r'^#\|\s*(echo|include):\s*false', s, re.M): return []
    return [l for l in s.splitlines() if not l.startswith('#|')]

def check_reading(proc:Path, root:Path):
    "What a reader meets: lines that fit, the chapter's code shown and its tests out of the way, pages that end on prose"
    tests, shown, total = 0, 0, 0
    for nb in sorted(proc.glob('*.ipynb')):
        cs = cells(nb)
        for c in cs:
            for l in shown_code(c):
                if len(l) > SHOWN_WIDTH: yield f"{nb.name}: a shown line of {len(l)} characters (at most {SHOWN_WIDTH}): {l[:60]!r}..."
            if CHAPTER.match(nb.name): tests += sum(bool(TEST_LINE.match(l)) for l in shown_code(c))
        last = [c for c in cs if c['cell_type'] == 'markdown' or shown_code(c)]
        if nb.name != 'index.ipynb' and last and last[-1]['cell_type'] != 'markdown':
            yield f"{nb.name}: the page ends on a code cell; end it on a paragraph saying what it built and where to go next"
        if CHAPTER.match(nb.name):
            s, h = exported_lines(root/'nbs'/nb.name); shown += s; total += s + h
        # a heading whose anchor is an API entry's: pandoc renames the second one, and links to the entry land on the prose
        entries = {anchor(name) for name, _ in site_pages_of(nb)}
        for c in cs:
            if c['cell_type'] != 'markdown': continue
            for h in re.findall(r'^#{1,6} (.+?)\s*$', re.sub(r'```.*?```', '', src(c), flags=re.S), re.M):
                if anchor(h) in entries: yield f"{nb.name}: the heading {h!r} takes the anchor #{anchor(h)} of an API entry: reword it"
    if total and shown/total < MIN_SHOWN:
        yield f"the chapter's pages show {shown} of their {total} exported lines ({shown/total:.0%}; at least {MIN_SHOWN:.0%}): use `#| exports`"
    if tests > MAX_TESTS: yield f"the chapter's pages show {tests} test lines (at most {MAX_TESTS}): move the checks into `#| hide` cells"
    for f in sorted((root/'learner_scratch').glob('*.py')):
        if f.name == '_modidx.py': continue          # nbdev's generated index
        for i, l in enumerate(f.read_text().splitlines(), 1):
            # nbdev writes __all__ wrapped at 120 after its 10-character `__all__ = `
            if len(l) > PACKAGE_WIDTH and not re.match(r"(__all__ = \[| {11}')", l): yield f"{f.relative_to(root)}:{i}: a line of {len(l)} characters (at most {PACKAGE_WIDTH})"

def site_pages_of(nb:Path):
    "The API entries (name, markdown) of one processed notebook"
    for c in cells(nb):
        for k, t in outputs_md(c):
            if k == 'text/markdown' and '```python' in t:
                h = re.search(r'^#{1,6} (\S+)$', t, re.M)
                if h: yield h.group(1), t

def _public(mod:str, parts:list) -> bool:
    "Is the top-level name in the module's `__all__` (nbdev's `_modidx` also lists helpers kept out of it)?"
    m = importlib.import_module(mod)
    return parts[0] in getattr(m, '__all__', [parts[0]])

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--root', type=Path, default=Path(__file__).resolve().parent.parent)
    root = p.parse_args().root.resolve()
    proc = root/'_proc'
    if not proc.exists(): sys.exit("check_docs: no _proc folder: run `nbdev_proc_nbs` first")
    problems = [*mixed_import_cells(root/'nbs'), *check_proc(proc, root), *check_reading(proc, root)]
    for l in problems: print(l)
    print(f"check_docs: {len(problems)} problem{'s'*(len(problems)!=1)}" if problems else "check_docs: the docs are clean")
    sys.exit(1 if problems else 0)

if __name__ == '__main__': main()
