"""The `platform/` folder must never shadow the standard-library module (DESIGN.md §3)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_platform_is_the_standard_library_from_project_root() -> None:
    code = "import platform, uuid; print(platform.system()); print(platform.__file__); print(uuid.uuid4())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    system, path, _uuid = result.stdout.splitlines()
    assert system  # e.g. "Linux"
    assert not path.startswith(str(ROOT)), path


def test_platform_in_test_process_is_stdlib() -> None:
    import platform

    assert callable(platform.system) and platform.system()
    assert not str(getattr(platform, "__file__", "")).startswith(str(ROOT / "platform"))


def test_project_package_importable_under_its_own_name() -> None:
    import sigobito_platform.settings as settings_module

    assert Path(settings_module.__file__).resolve().parent == ROOT / "platform" / "settings"
    assert not (ROOT / "platform" / "__init__.py").exists()
