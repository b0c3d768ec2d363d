#!/bin/sh
# Reproduces the tables in benchmarks/README.md (one process at a time: about 25 + 45 + 20 minutes).
# Seconds depend on the machine and its load: compare the "× reference" column instead.
set -e
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
# no rules, 60 s for the exact plan and 60 s for the optimiser
$PY -m makker.cli bench --sizes 16 20 24 28 32 --rules none --seeds 5 --time-limit 60 --lang en \
    --out benchmarks/results_none_60s.md
# realistic rules (2 never-together pairs, about half girls, 4 previous schools)
$PY -m makker.cli bench --sizes 15 23 26 28 30 31 --rules realistic --seeds 5 --time-limit 60 --lang en \
    --out benchmarks/results_realistic_60s.md
# every size, both rule sets, shorter budget
$PY -m makker.cli bench --rules both --seeds 1 --time-limit 15 --lang en --out benchmarks/results_all_15s.md
