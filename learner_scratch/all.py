"Everything public in `learner_scratch`: `from learner_scratch.all import *`"
from importlib import import_module as _imp

__all__ = []
for _m in ('data', 'module', 'loss', 'learner', 'callbacks', 'schedule'):
    try: _mod = _imp(f'learner_scratch.{_m}')
    except ModuleNotFoundError as e:
        if e.name != f'learner_scratch.{_m}': raise
        continue
    for _n in getattr(_mod, '__all__', []): globals()[_n] = getattr(_mod, _n)
    __all__ += list(getattr(_mod, '__all__', []))
