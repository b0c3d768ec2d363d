"""makker: planning makkerpar and makkergrupper for VIP Makkerskap.

The package is a pure Python core (no ipywidgets import outside ``makker.app``).
"""

__version__ = "0.1.0"
