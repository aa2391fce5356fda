"`python -m learner_scratch train ...`: the `learner-scratch` command"
from .train import main
main()
