#!/bin/sh
# generate.sh N [PREFIX] - N events (a multiple of 9 is best) for the
# east_kazakhstan service small_vessel_certificate: cases of nine events
# each (submit through the State Corporation, whose intake's two checks
# hold, then the six steps, including the courier's `deliver`, completed
# in order), interleaved in
# blocks of 50 cases so that consecutive events touch different cases.
# Event ids are PREFIX-e<case>-<k>, case ids PREFIX-c<case>.
# Used by tests/suites/store_sqlite.sh (crash and throughput checks).
set -eu
n=${1:?usage: generate.sh N [PREFIX]}
prefix=${2:-g}
awk -v n="$n" -v p="$prefix" 'BEGIN {
    split("c1 c2 register head_review department_review prepare sign deliver", step, " ")
    emitted = 0
    for (block = 0; emitted < n; block++) {
        for (k = 0; k < 9 && emitted < n; k++) {
            for (j = 0; j < 50 && emitted < n; j++) {
                c = block * 50 + j
                day = 2 + c % 20
                at = sprintf("2026-03-%02dT10:%02d", day, k * 5)
                if (k == 0)
                    printf "{\"event_id\":\"%s-e%d-0\",\"case\":\"%s-c%d\",\"type\":\"submit\",\"service\":\"small_vessel_certificate\",\"variant\":\"issue\",\"channel\":\"state_corporation\",\"at\":\"%s\"}\n", p, c, p, c, at
                else if (k <= 2)
                    printf "{\"event_id\":\"%s-e%d-%d\",\"case\":\"%s-c%d\",\"type\":\"flow\",\"item\":\"%s\",\"outcome\":\"holds\",\"at\":\"%s\"}\n", p, c, k, p, c, step[k], at
                else
                    printf "{\"event_id\":\"%s-e%d-%d\",\"case\":\"%s-c%d\",\"type\":\"complete\",\"step\":\"%s\",\"at\":\"%s\"}\n", p, c, k, p, c, step[k], at
                emitted++
            }
        }
    }
}'
