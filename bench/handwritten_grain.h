/* handwritten_grain.h - regulation 001 (rules/zhambyl/grain_warehouse_licence.reg)
 * as a switch written by hand: the limit the generated machine is measured
 * against. It knows nothing of regc: states, events and outcomes are its
 * own, numbered as the benchmark's event script numbers them. */
#ifndef BENCH_HANDWRITTEN_GRAIN_H
#define BENCH_HANDWRITTEN_GRAIN_H

#include <stdint.h>

/* Events and outcomes as the script encodes them. */
enum { HW_COMPLETE = 0, HW_BRANCH = 1, HW_REFUSE = 2, HW_TIMER = 3 };
enum { HW_INCOMPLETE = 0, HW_REJECTED = 1 };

/* Variants and results in the rule file's order. */
enum { HW_ISSUE = 0, HW_REISSUE = 1, HW_DUPLICATE = 2 };
enum { HW_LICENCE = 0, HW_REISSUED_LICENCE = 1, HW_DUPLICATE_RESULT = 2, HW_REFUSAL = 3 };

typedef struct {
    uint8_t state;   /* a step, or HW_DONE */
    uint8_t result;  /* the result the case ends with */
    uint8_t late;
} hw_case;

void hw_grain_start(hw_case *c, int variant);
/* 0 when applied, 1 when the case had ended, 2 when the event does not exist here. */
int hw_grain_apply(hw_case *c, int event, int outcome);
int hw_grain_finished(const hw_case *c);

#endif
