"`python -m learner_scratch train ...`: the `learner-scratch` command"
from .cli import main
main()
