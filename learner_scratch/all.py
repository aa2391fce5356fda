"Everything public in `learner_scratch`: `from learner_scratch.all import *`"
from .data import *
from .module import *
from .loss import *
from .learner import *
from .callbacks import *
from .schedule import *
from .train import *
from .distributed import *
from .predict import *
