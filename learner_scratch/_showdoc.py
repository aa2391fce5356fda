"How the docs site shows an API entry: nbdev's `show_doc`, with classes written as classes (set as `renderer` in settings.ini)"
import re, inspect
from nbdev.showdoc import BasicMarkdownRenderer

class ShowDocRenderer(BasicMarkdownRenderer):
    "nbdev's markdown for `show_doc`, but `class X(...)` for a class; one that takes only `*args, **kwargs` shows its fields or bases"
    def _repr_markdown_(self):
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
