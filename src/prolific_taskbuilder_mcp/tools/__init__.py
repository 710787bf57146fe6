"""The tools, one module per family. Which families a server exposes is declared in `server/toolsets.py`."""
