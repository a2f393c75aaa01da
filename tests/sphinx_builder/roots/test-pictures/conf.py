import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "Pictures"
extensions = ["mermaid_nodes"]

# The source notice has tests of its own (test_source_notice.py); off here.
confluence_source_notice = False
