"Everything public in `learner_scratch`: `from learner_scratch.all import *`"
from .data import *
from .module import *
from .loss import *
