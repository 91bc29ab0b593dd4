"""The extractor imports spaCy without spaCy's command line (kg.nlp.light_spacy): a third of the
import's time in every extraction worker. The command line still loads when asked for."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHECK = """
import sys
import kg.nlp.pipeline
loaded = sorted(m for m in ("typer", "requests", "weasel", "spacy.cli") if m in sys.modules)
print("loaded with the pipeline:", loaded)
assert not loaded
nlp = kg.nlp.pipeline.build_pipeline()
assert [t.text for t in nlp.make_doc("A test, e.g. this one.")] == ["A", "test", ",", "e.g.", "this", "one", "."]
import spacy
assert spacy.info()["spacy_version"] == spacy.__version__  # the real command line's, loaded now
import spacy.cli
assert spacy.cli.download is not None and "typer" in sys.modules
"""


def test_the_pipeline_imports_spacy_without_its_command_line_which_still_loads_on_demand():
    proc = subprocess.run([sys.executable, "-c", _CHECK], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
