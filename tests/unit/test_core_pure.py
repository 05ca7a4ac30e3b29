"""core/ is the app's logic without Streamlit: no module in it imports streamlit, not even lazily."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"
MODULES = sorted(f"core.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__")


def test_importing_every_core_module_loads_no_streamlit():
    code = (f"import importlib, sys\nfor name in {MODULES!r}:\n    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _imports(tree: ast.AST) -> list[str]:
    """Every module an import statement names, wherever it sits (top level, function, try)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            names.append(str(node.args[0].value))
    return names


def test_no_core_file_imports_streamlit():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 20
    found = [f"{path.relative_to(ROOT)}: {name}" for path in files
             for name in _imports(ast.parse(path.read_text(encoding="utf-8")))
             if name == "streamlit" or name.startswith("streamlit.")]
    assert found == []
