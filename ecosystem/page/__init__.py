"""The browser page (Mesa SolaraViz) and serving it on this machine."""
