"""The learned-optimization ecosystem: inner alignment as an agent-based model.

Evolution (the base optimizer) shapes heuristic plants and planning animals
(mesa-optimizers) in training mazes, then the environment shifts and the model
shows who generalizes, who flails and who competently pursues the wrong goal.
"""

__version__ = "0.1.0"
