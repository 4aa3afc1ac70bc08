#!/usr/bin/env bash
# The test command (`make test`): start the services the suite needs, then run it all.
# Under CI (CI=true) a missing service is a failure, never a silent skip.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
export PYTHONHASHSEED=0
mkdir -p test-artifacts
# compile the matcher's kernels once, before pytest's workers would each wait on it
.venv/bin/python -m newsrights.core.matching.warmup
exec .venv/bin/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider "$@"
