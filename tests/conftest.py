import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
EXAMPLES = ROOT / "examples"
os.environ.setdefault("NO_COLOR", "1")
sys.path.insert(0, str(ROOT / "tests"))
