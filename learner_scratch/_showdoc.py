"How the docs site shows an API entry: nbdev's `show_doc`, classes written as classes (settings.ini: renderer)"
import re, inspect
from nbdev.showdoc import BasicMarkdownRenderer

class ShowDocRenderer(BasicMarkdownRenderer):
    "nbdev's markdown for `show_doc`, with signatures that read as plain code and fit the page"
    def __init__(self, sym, name=None, title_level=3, maxline=90):
        super().__init__(sym, name=name, title_level=title_level, maxline=maxline)
        for p in self.dm.dm.values():
            # fastcore writes the type of an unannotated default: `x:NoneType=None` says nothing, drop it
            if p.get('anno') is type(None): p['anno'] = inspect.Parameter.empty
            # a backquoted name in a parameter comment shows as raw link syntax inside the code box
            if p.get('docment'): p['docment'] = p['docment'].replace('`', '')

    def _repr_markdown_(self):
        "`class X(...)` for a class; a class that takes only `*args, **kwargs` shows its fields or bases"
        md, cls = super()._repr_markdown_(), self.sym
        if not inspect.isclass(cls): return md
        md = md.replace('```python\ndef ', '```python\nclass ', 1)
        m = re.search(r'```python\nclass \w+\(\s*\*args, \*\*kwargs\s*\):?\n```', md)
        if m:
            if hasattr(cls, '_fields'): head = f"{cls.__name__}({', '.join(cls._fields)})"       # a namedtuple
            else:
                bases = ', '.join(b.__name__ for b in cls.__bases__ if b is not object)
                head = f"{cls.__name__}({bases})" if bases else cls.__name__
            md = md[:m.start()] + f'```python\nclass {head}\n```' + md[m.end():]
        return md
