"Everything a notebook or script needs from `learner_scratch`: `from learner_scratch.all import *`"
from .download import *
from .workers import *
from .data import *
from .module import *
del models     # the table of models stays in learner_scratch.module (see below)
from .loss import *
from .learner import *
from .checkpoint import *
from .callbacks import *
from .schedule import *
from .recipes import *
from .distributed import *
from .mixed_precision import *
from .files import *
# the command line's pieces (learner_scratch.cli: cli, main, the parsers) and the tables of datasets, models and
# recipes stay in their modules: names like `models` or `main` would clash with a user's own
from .train import train, resolve_data, check_device
from .runs import RunFolder, UsageError
from .predict import load_learner, ClassificationInterpretation, predict_paths
