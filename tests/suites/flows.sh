#!/bin/sh
# flows.sh BUILD - cases run through their channel's flow (docs/semantics.md,
# section 11), on every seed regulation, driven one event at a time through
# the region binaries:
#   - for every variant and every channel with a flow, a case from its
#     submission through the intake (every check holds), the provider's steps
#     and the handover to its result;
#   - for every check of every intake, a case in which that check fails: it
#     ends `intake_refused`, naming the check and the process that ended it,
#     and `status` says so;
#   - the documents' arrival: 002's first step counts from the end of the
#     intake; a timer after the intake's deadline marks the case late;
#     004 through the portal passes over the seventh action;
#   - a case in a flow survives the store (status reads it back).
# The seed models come from generated/<region>/<service>.json.
set -u
BUILD=${1:?usage: flows.sh BUILD}
BIN="$BUILD/bin"
export REG_CALENDAR="${REG_CALENDAR:-rules/calendar/kz.cal}"
tmp=$(mktemp -d /tmp/regc-flows.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
expect() {
    if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', expected '$3'"; failed=$((failed + 1)); fi
}
command -v jq > /dev/null 2>&1 || { echo "FAIL jq is missing (make deps)"; echo "0 passed, 1 failed"; exit 1; }

n=0
# send REGION JSON: one event through the region binary; its answer in $tmp/a
send() {
    n=$((n + 1))
    printf '%s\n' "$2" | "$BIN/$1" run --store "$tmp/cases.db" > "$tmp/a" 2> /dev/null
}
field() { jq -r "$1" "$tmp/a"; }

# minutes after 10:00 on the case's day, as a time
at() { printf '%sT%02d:%02d' "$day" $((10 + $1 / 60)) $(($1 % 60)); }

for model in generated/*/*.json; do
    service=$(jq -r '.regulation // empty' "$model")
    [ -n "$service" ] || continue
    region=$(basename "$(dirname "$model")")
    day=$(jq -r '.valid.from_certain // .valid.from // "2026-03-03"' "$model")
    nvariants=$(jq '.variants | length' "$model")
    for channel in $(jq -r '.flows | keys[]' "$model"); do
        # ---- the whole path, every check holding ----
        v=0
        while [ "$v" -lt "$nvariants" ]; do
            variant=$(jq -r ".variants[$v].name" "$model")
            want=$(jq -r ".variants[$v].result" "$model")
            case_id="$service-$variant-$channel"
            send "$region" "{\"event_id\":\"$case_id-0\",\"case\":\"$case_id\",\"type\":\"submit\",\"service\":\"$service\",\"variant\":\"$variant\",\"channel\":\"$channel\",\"at\":\"$(at 0)\"}"
            expect "$case_id: starts in the intake" "$(field '.phase // "steps"')" intake
            t=1 k=0 walked=""
            while [ "$(field .status)" = accepted ] && [ "$(field .finished)" = false ] && [ "$k" -lt 40 ]; do
                k=$((k + 1))
                item=$(field '.item // empty')
                if [ -n "$item" ]; then
                    kind=$(jq -r --arg c "$channel" --arg i "$item" '.flows[$c].items[] | select(.id == $i) | .kind' "$model")
                    outcome=""
                    [ "$kind" = check ] && outcome=",\"outcome\":\"holds\""
                    walked="$walked $item"
                    send "$region" "{\"event_id\":\"$case_id-$k\",\"case\":\"$case_id\",\"type\":\"flow\",\"item\":\"$item\"$outcome,\"at\":\"$(at $t)\"}"
                else
                    step=$(field .step)
                    walked="$walked $step"
                    send "$region" "{\"event_id\":\"$case_id-$k\",\"case\":\"$case_id\",\"type\":\"complete\",\"step\":\"$step\",\"at\":\"$(at $t)\"}"
                fi
                t=$((t + 7))
            done
            expect "$case_id: every event accepted ($walked)" "$(field .status)" accepted
            expect "$case_id: ends with the variant's result" "$(field .result)" "$want"
            v=$((v + 1))
        done

        # ---- an intake refusal for every check of the intake ----
        variant=$(jq -r '.variants[0].name' "$model")
        for check in $(jq -r --arg c "$channel" '.flows[$c].items | (map(.kind) | index("steps")) as $s
                                                  | to_entries[] | select(($s == null or .key < $s) and .value.kind == "check") | .value.id' "$model"); do
            case_id="$service-$channel-$check-fails"
            send "$region" "{\"event_id\":\"$case_id-0\",\"case\":\"$case_id\",\"type\":\"submit\",\"service\":\"$service\",\"variant\":\"$variant\",\"channel\":\"$channel\",\"at\":\"$(at 0)\"}"
            k=0
            while [ "$(field '.item // empty')" != "$check" ] && [ "$(field .phase)" = intake ] && [ "$k" -lt 40 ]; do
                k=$((k + 1))
                item=$(field .item)
                kind=$(jq -r --arg c "$channel" --arg i "$item" '.flows[$c].items[] | select(.id == $i) | .kind' "$model")
                outcome=""
                [ "$kind" = check ] && outcome=",\"outcome\":\"holds\""
                send "$region" "{\"event_id\":\"$case_id-$k\",\"case\":\"$case_id\",\"type\":\"flow\",\"item\":\"$item\"$outcome,\"at\":\"$(at $k)\"}"
            done
            expect "$case_id: the intake reaches $check" "$(field .item)" "$check"
            send "$region" "{\"event_id\":\"$case_id-f\",\"case\":\"$case_id\",\"type\":\"flow\",\"item\":\"$check\",\"outcome\":\"fails\",\"at\":\"$(at 30)\"}"
            expect "$case_id: result" "$(field '[.finished, .result, .phase] | map(tostring) | join(" ")')" "true intake_refused intake_refused"
            expect "$case_id: names the check" "$(field '.intake_refusal.check.id')" "$check"
            process=$(field '.intake_refusal.process.id')
            expect "$case_id: names the process that ended the intake" \
                "$(jq -r --arg c "$channel" --arg p "$process" '.flows[$c].items[] | select(.id == $p) | .next' "$model")" error
            "$BIN/$region" status "$case_id" --store "$tmp/cases.db" > "$tmp/s" 2>&1
            expect "$case_id: status says so" \
                "$(grep -c "ended with intake_refused, refused at intake through $channel (.*): check $check (.*) failed, then process $process" "$tmp/s")" 1
        done
    done
done

# ---- the documents' arrival: 002 through the State Corporation ----
day=2016-03-01
send zhambyl "{\"event_id\":\"a0\",\"case\":\"A\",\"type\":\"submit\",\"service\":\"bus_transport_licence\",\"variant\":\"issue\",\"channel\":\"state_corporation\",\"at\":\"$(at 0)\"}"
expect "002: in the intake, the deadline is the intake's 20 minutes" "$(field '[.state, .step_deadline] | join(" ")')" \
    "state_corporation/c1 2016-03-01T10:20"
send zhambyl "{\"event_id\":\"a1\",\"case\":\"A\",\"type\":\"flow\",\"item\":\"c1\",\"outcome\":\"holds\",\"at\":\"$(at 12)\"}"
expect "002: the first step counts from the arrival (5-т. 1))" "$(field '[.step, .step_deadline] | join(" ")')" \
    "register 2016-03-01T11:12"
send zhambyl "{\"event_id\":\"b0\",\"case\":\"B\",\"type\":\"submit\",\"service\":\"bus_transport_licence\",\"variant\":\"issue\",\"channel\":\"state_corporation\",\"at\":\"$(at 0)\"}"
send zhambyl "{\"event_id\":\"b1\",\"case\":\"B\",\"type\":\"timer\",\"at\":\"$(at 15)\"}"
expect "002: a timer before the intake's deadline is refused" "$(field .reason)" not_due
send zhambyl "{\"event_id\":\"b2\",\"case\":\"B\",\"type\":\"timer\",\"at\":\"$(at 25)\"}"
expect "002: a timer after it marks the case late, still in the intake" "$(field '[.late, .phase] | map(tostring) | join(" ")')" "true intake"
send zhambyl "{\"event_id\":\"b3\",\"case\":\"B\",\"type\":\"complete\",\"step\":\"register\",\"at\":\"$(at 26)\"}"
expect "002: a step event in the intake" "$(field .reason)" wrong_step
"$BIN/zhambyl" status B --store "$tmp/cases.db" --at "$(at 30)" > "$tmp/s"
expect "002: status of a case in the intake" "$(grep -c 'state      state_corporation/c1: in the intake of the state_corporation flow, at check c1 (1-шарт)' "$tmp/s")" 1
"$BIN/zhambyl" overdue --store "$tmp/cases.db" --at "$(at 30)" --json > "$tmp/o"
expect "002: overdue lists the case late in its intake" \
    "$(jq -r '.cases[] | select(.case == "B") | [.state, .phase, .item, .step_deadline] | join(" ")' "$tmp/o")" \
    "state_corporation/c1 intake c1 2016-03-01T10:20"

# ---- show lists the flows as a case runs them ----
"$BIN/zhambyl" show bus_transport_licence > "$tmp/show"
expect "show: the check the intake waits at" \
    "$(grep -c '^  intake   check c1      waits for {"type":"flow","item":"c1","outcome":"holds"|"fails"}; fails -> p4  1-шарт$' "$tmp/show")" 1
expect "show: the timed handover" \
    "$(grep -c '^  handover process p9    takes 20m, waits for {"type":"flow","item":"p9"}; -> end  9-үдеріс$' "$tmp/show")" 1

# ---- the handover: 002 hands the result over within 20 minutes (10-т.) ----
t=20
for step in register head_review department_review prepare sign deliver; do
    t=$((t + 10))
    send zhambyl "{\"event_id\":\"a-$step\",\"case\":\"A\",\"type\":\"complete\",\"step\":\"$step\",\"at\":\"$(at $t)\"}"
done
expect "002: after the last step, the handover" "$(field '[.finished, .phase, .item, .result, .step_deadline] | map(tostring) | join(" ")')" \
    "false handover p9 licence 2016-03-01T11:40"
"$BIN/zhambyl" status A --store "$tmp/cases.db" --at "$(at 85)" --json > "$tmp/s"
expect "002: status --json reads the handover back" "$(jq -r '[.state, .phase, .overdue] | map(tostring) | join(" ")' "$tmp/s")" \
    "state_corporation/p9 handover false"
send zhambyl "{\"event_id\":\"a-p9\",\"case\":\"A\",\"type\":\"flow\",\"item\":\"p9\",\"at\":\"$(at 95)\"}"
expect "002: the result handed over" "$(field '[.finished, .state, .result] | map(tostring) | join(" ")')" "true result.licence licence"

# ---- 004 through the portal: no seventh action (5-т. 7-іс-қимыл: only when the applicant
# went to the provider's office) ----
"$BIN/east_kazakhstan" timeline cotton_warehouse_licence --channel portal --submitted 2016-03-01T10:00 --json > "$tmp/t"
expect "004: the portal's timeline passes over the office's action" "$(jq -r '.skipped | join(" ")' "$tmp/t")" deliver
"$BIN/east_kazakhstan" timeline cotton_warehouse_licence --channel provider --submitted 2016-03-01T10:00 --json > "$tmp/t"
expect "004: the provider's office's does not" "$(jq -r '(.skipped // []) | length' "$tmp/t")" 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
