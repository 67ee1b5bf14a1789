/* handwritten_grain.c - regulation 001 written by hand from its rule file
 * (see handwritten_grain.h). Each variant has its own steps (5-т.); the
 * branches prepare a refusal that is still signed and delivered. */
#include "handwritten_grain.h"

enum {
    /* issue: 7 steps */
    I_REGISTER, I_HEAD_REVIEW, I_CHECK_DOCUMENTS, I_INTERESTED_BODY_REVIEW, I_FINALISE, I_SIGN,
    I_DELIVER,
    /* reissue: 5 steps */
    R_REGISTER, R_HEAD_REVIEW, R_REVIEW, R_SIGN, R_DELIVER,
    /* duplicate: 5 steps */
    D_REGISTER, D_HEAD_REVIEW, D_PREPARE, D_SIGN, D_DELIVER,
    HW_DONE
};

void hw_grain_start(hw_case *c, int variant)
{
    switch (variant) {
    case HW_ISSUE: c->state = I_REGISTER; c->result = HW_LICENCE; break;
    case HW_REISSUE: c->state = R_REGISTER; c->result = HW_REISSUED_LICENCE; break;
    default: c->state = D_REGISTER; c->result = HW_DUPLICATE_RESULT; break;
    }
    c->late = 0;
}

int hw_grain_finished(const hw_case *c) { return c->state == HW_DONE; }

int hw_grain_apply(hw_case *c, int event, int outcome)
{
    if (c->state == HW_DONE)
        return 1;
    switch (event) {
    case HW_TIMER:
        c->late = 1;
        return 0;
    case HW_REFUSE:
        c->result = HW_REFUSAL;
        c->state = HW_DONE;
        return 0;
    case HW_BRANCH:
        switch (c->state) {
        case I_CHECK_DOCUMENTS:
            if (outcome != HW_INCOMPLETE)
                return 2;
            c->result = HW_REFUSAL;
            c->state = I_SIGN;
            return 0;
        case I_INTERESTED_BODY_REVIEW:
        case R_REVIEW:
        case D_PREPARE:
            if (outcome != HW_REJECTED)
                return 2;
            c->result = HW_REFUSAL;
            c->state = c->state == I_INTERESTED_BODY_REVIEW ? I_FINALISE
                       : c->state == R_REVIEW              ? R_SIGN
                                                           : D_SIGN;
            return 0;
        }
        return 2;
    case HW_COMPLETE:
        switch (c->state) {
        case I_REGISTER: c->state = I_HEAD_REVIEW; return 0;
        case I_HEAD_REVIEW: c->state = I_CHECK_DOCUMENTS; return 0;
        case I_CHECK_DOCUMENTS: c->state = I_INTERESTED_BODY_REVIEW; return 0;
        case I_INTERESTED_BODY_REVIEW: c->state = I_FINALISE; return 0;
        case I_FINALISE: c->state = I_SIGN; return 0;
        case I_SIGN: c->state = I_DELIVER; return 0;
        case R_REGISTER: c->state = R_HEAD_REVIEW; return 0;
        case R_HEAD_REVIEW: c->state = R_REVIEW; return 0;
        case R_REVIEW: c->state = R_SIGN; return 0;
        case R_SIGN: c->state = R_DELIVER; return 0;
        case D_REGISTER: c->state = D_HEAD_REVIEW; return 0;
        case D_HEAD_REVIEW: c->state = D_PREPARE; return 0;
        case D_PREPARE: c->state = D_SIGN; return 0;
        case D_SIGN: c->state = D_DELIVER; return 0;
        case I_DELIVER:
        case R_DELIVER:
        case D_DELIVER: c->state = HW_DONE; return 0; /* `-> end`: the carried result */
        }
        return 2;
    }
    return 2;
}
