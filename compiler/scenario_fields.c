/* scenario_fields.c - the fields of a case an expectation can name.
 * A new fact about a case (a version, a flow's position, an intake
 * refusal) is one new row here and one case in scenario_run.c's
 * actual_value. */
#include <string.h>

#include "scenario.h"

const sc_field scenario_fields[] = {
    { "step", SF_STEP, "the current step, or `none` once the case has ended" },
    { "result", SF_RESULT, "the result the case carries (once ended: the result it ended with)" },
    { "finished", SF_BOOL, "`yes` once the case has reached a result" },
    { "late", SF_BOOL, "`yes` once a timer marked a deadline of the case passed" },
    { "step_start", SF_TIME, "when the current step started, or `none` once ended" },
    { "step_deadline", SF_TIME, "the current step's deadline, `none` once ended, `unknown` past the calendar" },
    { "term_deadline", SF_TIME, "the variant's term, counted from the submission or its anchor; `pending` until the anchor, `none` without a term" },
    { "step_mark", SF_MARK, "how sure the step deadline is: definite, provisional, unknown or none" },
    { "term_mark", SF_MARK, "how sure the term deadline is: definite, provisional, unknown or none" },
    { "flow_item", SF_ITEM, "the item of the channel's flow the case is at (in intake or handover; after an intake refusal, the check that failed), or `none`" },
    { "phase", SF_PHASE, "where the case is: intake, steps (the provider's), handover or finished" },
    { "rejected", SF_REASON, "why the engine refused the event just before (e.g. wrong_step, case_finished)" },
};

const size_t scenario_nfields = sizeof scenario_fields / sizeof scenario_fields[0];

const sc_field *scenario_field(const char *name)
{
    for (size_t i = 0; i < scenario_nfields; i++)
        if (strcmp(scenario_fields[i].name, name) == 0)
            return &scenario_fields[i];
    return NULL;
}
