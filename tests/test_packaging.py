"""The wheel is the product: what a non-editable install ships and builds."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from kg.nlp.vocab import default_vocab_dir, load_vocab
from kg.resources import MissingDataFile, data_path

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "ontology"
#: Graph outputs of a build; summary.json names the input paths, which differ by install.
GRAPH_FILES = ("papers.jsonl", "graph.jsonl", "graph.ttl", "graph.graphml")


def _published_files() -> list[Path]:
    return sorted(p.relative_to(PUBLISHED) for p in PUBLISHED.rglob("*")
                  if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts)


def test_published_ontology_is_identical_to_the_packaged_one():
    packaged = data_path("ontology")
    shipped = sorted(p.relative_to(packaged) for p in packaged.rglob("*") if p.is_file()
                     and "__pycache__" not in p.parts)
    assert _published_files() == shipped, "ontology/ and kg/ontology/ list different files"
    differ = [str(rel) for rel in shipped if not filecmp.cmp(PUBLISHED / rel, packaged / rel, shallow=False)]
    assert differ == [], (f"ontology/ differs from kg/ontology/ in {differ}: kg/ontology is the source; "
                          "copy it with  cp -r kg/ontology/. ontology/")


@pytest.mark.parametrize("damage", ["missing", "empty"])
def test_a_missing_or_empty_vocabulary_file_is_an_error_naming_it(tmp_path, damage):
    vocab = tmp_path / "vocab"
    shutil.copytree(default_vocab_dir(), vocab)
    if damage == "missing":
        (vocab / "models.tsv").unlink()
    else:
        (vocab / "models.tsv").write_text("# name\taliases\tattrs\n", encoding="utf-8")
    with pytest.raises(MissingDataFile, match="models.tsv"):
        load_vocab(vocab)


def _venv_with_wheel(tmp_path: Path) -> Path:
    """A fresh venv holding the wheel built from this checkout. Its
    dependencies come from this interpreter's site-packages through a .pth
    path entry, which (unlike a site directory) runs none of that directory's
    .pth hooks, so the editable install of paperkg stays invisible."""
    # Built from a copy: setuptools builds in the source tree, and a stale
    # build/ there would hide a file the package data no longer lists.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "__pycache__", "node_modules", "kg-out", ".venv"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(src)], check=True, cwd=tmp_path)
    wheel = next(wheels.glob("paperkg-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "_host_site.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True)
    return venv


def test_wheel_install_builds_the_same_bytes_as_the_checkout(tmp_path):
    venv = _venv_with_wheel(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PAPERKG_CACHE_DIR"] = str(tmp_path / "cache")
    where = subprocess.run([venv / "bin" / "python", "-c", "import kg; print(kg.__file__)"], cwd=tmp_path,
                           check=True, capture_output=True, text=True, env=env).stdout
    assert where.startswith(str(venv)), f"the venv imported kg from {where}, not from the wheel"

    subprocess.run([venv / "bin" / "kg", "-q", "build", "-o", "wheel-out"], cwd=tmp_path, check=True, env=env)
    subprocess.run([sys.executable, "-m", "kg", "-q", "build", "-o", str(tmp_path / "checkout-out")],
                   cwd=ROOT, check=True, env=env)
    for name in GRAPH_FILES:
        assert (tmp_path / "wheel-out" / name).read_bytes() == (tmp_path / "checkout-out" / name).read_bytes(), name
    check = subprocess.run([venv / "bin" / "kg", "validate", "wheel-out"], cwd=tmp_path, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
