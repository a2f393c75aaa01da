import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
project = "Tabs"
extensions = ["sphinx_inline_tabs", "sphinx_design", "tablike"]
