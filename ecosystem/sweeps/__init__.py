"""Parameter sweeps: specs, running them on a process pool or Dask, their figures and benchmark."""
