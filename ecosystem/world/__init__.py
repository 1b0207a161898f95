"""The world: its vocabulary, mazes, worlds with their objects, and the environment presets (the shift as data)."""
