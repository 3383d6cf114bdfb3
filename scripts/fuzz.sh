#!/usr/bin/env bash
# Fuzzes the importers and the tag parser with libFuzzer (not part of CI; see docs/fuzzing.md).
#
#   scripts/fuzz.sh                    every target, FUZZ_SECONDS (default 600) each, FUZZ_JOBS (default 2) at a time
#   FUZZ_SECONDS=60 scripts/fuzz.sh fuzz-csv fuzz-zip
#
# Builds Fuzzing/ in release with -sanitize=fuzzer,address, seeds each corpus from
# Tests/Fixtures/exports (and Tests/Fixtures/fuzz), and writes crashes, timeouts and
# out-of-memory inputs to Fuzzing/crashes/<target>/. Prints, per target, the seconds run, the
# executions (libFuzzer's stat::number_of_executed_units) and what was found.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fuzzing="$root/Fuzzing"
seconds=${FUZZ_SECONDS:-600}
jobs=${FUZZ_JOBS:-2}
all=(fuzz-jsonl fuzz-csv fuzz-telegram fuzz-whatsapp fuzz-zip fuzz-tagparser)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

echo "building Fuzzing/ (release, -sanitize=fuzzer,address)…" >&2
(cd "$fuzzing" && swift build -c release --build-path .build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 |
    grep -v "Cannot export local symbol" >&2)
bin="$fuzzing/.build/release"

exports="$root/Tests/Fixtures/exports"
seeds() {
    case $1 in
    fuzz-jsonl) echo "$exports/dialogues.jsonl" ;;
    fuzz-csv) echo "$exports/dialogues.csv" ;;
    fuzz-telegram) echo "$exports"/telegram-*.json ;;
    fuzz-whatsapp) echo "$exports"/whatsapp-*.txt ;;
    fuzz-zip) echo "$exports"/*.zip "$exports/dialogues.jsonl" "$exports/telegram-single.json" ;;
    fuzz-tagparser) echo "$fuzzing"/seeds/tagparser/* ;;
    esac
}
max_len() {
    case $1 in
    fuzz-telegram) echo 32768 ;;
    fuzz-tagparser) echo 4096 ;;
    *) echo 16384 ;;
    esac
}

run_target() {
    local target=$1 corpus="$fuzzing/corpus/$1" crashes="$fuzzing/crashes/$1/" log="$fuzzing/runs/$1.log"
    mkdir -p "$corpus" "$crashes" "$fuzzing/runs"
    # shellcheck disable=SC2046
    cp $(seeds "$target") "$corpus/"
    [ -d "$root/Tests/Fixtures/fuzz/$target" ] && cp "$root/Tests/Fixtures/fuzz/$target"/* "$corpus/" 2>/dev/null || true
    : >"$log"
    local start end left executions=0
    start=$(date +%s)
    end=$((start + seconds))
    # libFuzzer stops at the first finding: start it again until the time is up.
    while left=$((end - $(date +%s))); [ "$left" -gt 0 ]; do
        SWIFT_BACKTRACE=enable=no "$bin/$target" "$corpus" -max_total_time="$left" -max_len="$(max_len "$target")" \
            -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$crashes" \
            >"$log.run" 2>&1 || true
        executions=$((executions + $(grep -o 'number_of_executed_units: [0-9]*' "$log.run" | tail -1 | grep -o '[0-9]*$' || echo 0)))
        cat "$log.run" >>"$log"
        rm "$log.run"
    done
    local found
    found=$(find "$crashes" -type f | wc -l)
    printf '%s\t%ss\t%s executions\t%s findings\n' "$target" "$(($(date +%s) - start))" "$executions" "$found" | tee "$fuzzing/runs/$target.summary"
}

running=0
for target in "${targets[@]}"; do
    run_target "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait
echo
echo "target	time	executions	findings (Fuzzing/crashes/<target>/)"
for target in "${targets[@]}"; do cat "$fuzzing/runs/$target.summary"; done
