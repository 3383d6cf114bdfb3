#!/usr/bin/env bash
# The weekly chattag job, for cron or a systemd timer: import the exports dropped into a
# folder since last time (and, when asked, the Bitrix24 Open Lines chats and the CRM's deal
# outcomes), tag what is new, write last week's report as HTML, Markdown and CSV, and (when
# asked) send its missed leads to Bitrix24. Settings come from the environment (an
# EnvironmentFile or the crontab):
#
#   CHATTAG          the chattag binary                     (default: chattag on PATH)
#   CHATTAG_DB       the database                           (default: /var/lib/chattag/chattag.db)
#   CHATTAG_TZ       the business's zone                    (default: Europe/Moscow)
#   CHATTAG_EXPORTS  folder the week's chat exports go into (default: /var/lib/chattag/exports)
#   CHATTAG_REPORTS  folder for the reports                 (default: /var/lib/chattag/reports)
#   CHATTAG_PROMPT   template to tag with, NAME@VERSION     (default: the declared instrument, see below)
#   CHATTAG_MODEL    model to tag with                      (default: the declared instrument; baseline runs offline)
#   CHATTAG_STAFF    comma-separated staff names for WhatsApp/Telegram exports
#   CHATTAG_BOTS     comma-separated bot names for WhatsApp/Telegram exports
#   CHATTAG_KEEP_EXPORTS=1  keep imported exports in $CHATTAG_EXPORTS/imported/ (default: delete
#                    them once imported — they hold raw personal data chattag never stores)
#   CHATTAG_WEEK     the week to report                     (default: last)
#   OPENAI_BASE_URL, OPENAI_API_KEY or CHATTAG_API_KEY_FILE  the endpoint
#
# Bitrix24 (docs/crm.md), each step off unless switched on with 1:
#   CHATTAG_BITRIX24_IMPORT=1    import Open Lines sessions since CHATTAG_BITRIX24_SINCE (default: 14 days ago)
#   CHATTAG_BITRIX24_OUTCOMES=1  set dialogue outcomes from the CRM's deals (after the imports, so new dialogues match)
#   CHATTAG_BITRIX24_PUSH=1      send the reported week's missed leads to the CRM (after the report)
#   CHATTAG_BITRIX24_WEBHOOK_FILE  a file (mode 0600) holding the inbound webhook, or CHATTAG_BITRIX24_WEBHOOK
#
# The report reads the production instrument declared with `chattag instrument set NAME@VERSION MODEL`.
# When none is declared yet and both CHATTAG_PROMPT and CHATTAG_MODEL are set, the job declares them.
#
# Exit status: 0 all done, 1 some dialogues failed to tag (the report is still written);
# otherwise the first failing chattag command's code (65 a bad export, which stays in
# $CHATTAG_EXPORTS; 69 the endpoint or Bitrix24 refused; 75 another run holds the database).
# A failing Bitrix24 step is reported and the job goes on with the next one.
set -uo pipefail

chattag=${CHATTAG:-chattag}
export CHATTAG_DB=${CHATTAG_DB:-/var/lib/chattag/chattag.db}
export CHATTAG_TZ=${CHATTAG_TZ:-Europe/Moscow}
exports=${CHATTAG_EXPORTS:-/var/lib/chattag/exports}
reports=${CHATTAG_REPORTS:-/var/lib/chattag/reports}
prompt=${CHATTAG_PROMPT:-}
model=${CHATTAG_MODEL:-}
week=${CHATTAG_WEEK:-last}
status=0

if [[ ! -f "/usr/share/zoneinfo/$CHATTAG_TZ" ]]; then
    echo "chattag-weekly: CHATTAG_TZ=$CHATTAG_TZ is not a time zone; use an IANA name such as Europe/Moscow" >&2
    exit 2
fi
mkdir -p "$exports" "$reports" || exit 70
mapfile -d '' files < <(find "$exports" -maxdepth 1 -type f ! -name '.*' -print0 | sort -z)
sides=()
[[ -n "${CHATTAG_STAFF:-}" ]] && sides+=(--staff "$CHATTAG_STAFF")
[[ -n "${CHATTAG_BOTS:-}" ]] && sides+=(--bots "$CHATTAG_BOTS")
for file in "${files[@]}"; do
    "$chattag" import "${sides[@]}" "$file"
    import_status=$?
    if ((import_status != 0)); then
        echo "chattag-weekly: $file was not imported (exit $import_status); it stays in $exports" >&2
        ((status == 0)) && status=$import_status
    elif [[ "${CHATTAG_KEEP_EXPORTS:-}" == 1 ]]; then
        mkdir -p "$exports/imported" && mv -- "$file" "$exports/imported/$(date +%Y%m%d-%H%M%S)-$(basename -- "$file")"
    else
        rm -f -- "$file"
    fi
done

bitrix=()
[[ -n "${CHATTAG_BITRIX24_WEBHOOK_FILE:-}" ]] && bitrix=(--webhook-file "$CHATTAG_BITRIX24_WEBHOOK_FILE")
# Runs one Bitrix24 step; a failure is reported and kept as the job's status, and the job goes on.
crm_step() {
    "$chattag" crm bitrix24 "$@" "${bitrix[@]}"
    local crm_status=$?
    if ((crm_status != 0)); then
        echo "chattag-weekly: chattag crm bitrix24 $1 exited $crm_status" >&2
        ((status == 0 || status == 1)) && status=$crm_status
    fi
}
if [[ "${CHATTAG_BITRIX24_IMPORT:-}" == 1 ]]; then
    since=${CHATTAG_BITRIX24_SINCE:-$(TZ="$CHATTAG_TZ" date -d '14 days ago' +%Y-%m-%d)}
    crm_step import --since "$since"
fi
[[ "${CHATTAG_BITRIX24_OUTCOMES:-}" == 1 ]] && crm_step outcomes

key=()
[[ -n "${CHATTAG_API_KEY_FILE:-}" ]] && key=(--api-key-file "$CHATTAG_API_KEY_FILE")
if [[ -n "$prompt" && -n "$model" ]] && "$chattag" instrument show --json 2>/dev/null | grep -q '^\[\]$'; then
    "$chattag" instrument set "$prompt" "$model" --from 2000-01-01 || status=$?
fi
instrument=()
[[ -n "$prompt" ]] && instrument+=(--prompt "$prompt")
[[ -n "$model" ]] && instrument+=(--model "$model")
"$chattag" run "${instrument[@]}" "${key[@]}"
run_status=$?
if ((run_status != 0 && run_status != 1)); then
    echo "chattag-weekly: chattag run exited $run_status; the report below uses the tags there are" >&2
fi
((status == 0)) && status=$run_status

if [[ "$week" == "last" ]]; then
    label=$(TZ="$CHATTAG_TZ" date -d '7 days ago' +%G-W%V)
else
    label=$week
fi
for format in html md csv; do
    "$chattag" report --week "$label" --format "$format" --out "$reports/chattag-$label.$format" --quiet
    report_status=$?
    ((report_status != 0 && (status == 0 || status == 1))) && status=$report_status
done
[[ "${CHATTAG_BITRIX24_PUSH:-}" == 1 ]] && crm_step push --week "$label"
echo "chattag-weekly: $label reports in $reports (exit $status)"
exit "$status"
