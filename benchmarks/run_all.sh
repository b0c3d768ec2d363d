#!/bin/sh
# Reproduces the tables in benchmarks/README.md (one process at a time; takes about an hour).
# Seconds depend on the machine and its load: compare the "× reference" column instead.
set -e
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
# issue 5 must-show: no rules, 60 s for the exact plan and 60 s for the optimiser
$PY -m makker.cli bench --sizes 16 20 24 28 32 --rules none --seeds 1 --time-limit 60 --lang en \
    --out benchmarks/results_none_60s.md
# issue 5 must-show: realistic rules (2 never-together pairs, about half girls, 4 previous schools)
$PY -m makker.cli bench --sizes 15 23 26 28 30 31 --rules realistic --seeds 1 --time-limit 60 --lang en \
    --out benchmarks/results_realistic_60s.md
# issue 3: every size, both rule sets, shorter budget
$PY -m makker.cli bench --rules both --seeds 1 --time-limit 15 --lang en --out benchmarks/results_all_15s.md
# n = 28, three seeds
$PY -m makker.cli bench --sizes 28 --rules both --seeds 3 --time-limit 60 --lang en \
    --out benchmarks/results_28_3seeds_60s.md
