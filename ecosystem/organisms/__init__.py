"""Organisms: genomes, mesa-objectives, the cost of cognition, planning, the two agent kinds and their episodes."""
