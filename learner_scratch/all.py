"Everything a notebook or script needs from `learner_scratch`: `from learner_scratch.all import *`"
from .files import *
from .download import *
from .workers import *
from .data import *
from .module import *
from .loss import *
from .fast_sgd import *
from .torch_optim import *
from .learner import *
from .checkpoint import *
from .callbacks import *
from .schedule import *
from .recipes import *
from .distributed import *
from .mixed_precision import *
from .device_data import *
from .runs import *
from .train import *
from .predict import *
# the command line's own functions (cli, main, the parsers) stay in learner_scratch.cli: `main` would clash
