"""Build hook only (metadata is in pyproject.toml): ship the demo config and sample clips inside the wheel.

``configs/`` and ``samples/`` stay at the repository root (tests and docs name them there); a wheel gets a
copy under ``citylens/_assets/`` so ``citylens demo`` works from any folder after ``pip install citylens``.
An editable install needs no copy: ``citylens.assets`` finds the repository root beside the package.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ASSETS = {"configs": ("*.yaml",), "samples": ("*.mp4", "*.md", "*.txt")}


class BuildPyWithAssets(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        for folder, patterns in ASSETS.items():
            out = Path(self.build_lib) / "citylens" / "_assets" / folder
            out.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for f in sorted((root / folder).glob(pattern)):
                    shutil.copy2(f, out / f.name)


setup(cmdclass={"build_py": BuildPyWithAssets})
