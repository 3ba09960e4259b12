#!/bin/sh
# Install one image's Python environment: binary wheels only (the images carry no compiler), headless OpenCV
# only, then citylens itself without dependencies. The Dockerfiles run this; tests/test_images.py runs it in a
# clean venv, so both install from the same requirement lines.
#   usage: docker/install-python.sh ROLE [SOURCE]     ROLE = edge | gpu | center
#   SOURCE: a citylens checkout to install too (without it: dependencies only, the Dockerfiles' cached layer)
set -eu
role="$1"
src="${2:-}"
here="$(cd "$(dirname "$0")" && pwd)"
req="$here/requirements-$role.txt"
test -f "$req" || { echo "install-python.sh: no $req (roles: edge, gpu, center)" >&2; exit 2; }
py="${PYTHON:-python}"
"$py" -m pip install --only-binary=:all: -r "$req"
# supervision and trackers depend on opencv-python, which needs libGL and an X stack the slim images lack.
# Both distributions ship the same cv2 package, so removing opencv-python deletes files of the headless one
# too: reinstall the pinned headless wheel afterwards.
"$py" -m pip uninstall -y opencv-python opencv-contrib-python >/dev/null 2>&1 || true
"$py" -m pip install --only-binary=:all: --force-reinstall --no-deps "$(grep -i '^opencv-python-headless==' "$req")"
if [ -n "$src" ]; then
  "$py" -m pip install --no-deps "$src"
fi
