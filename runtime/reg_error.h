/* reg_error.h - error codes shared by the runtime library (libreg).
 *
 * Every runtime function that can fail returns 0 on success or one of these
 * negative codes; reg_strerror() turns a code into a short English phrase.
 * They are the only error codes of the runtime. What is not an error has
 * its own type: the reasons why the engine refuses an event (reg_reason,
 * engine.h, data that goes into answers) and the machine's answer to a
 * transition (reg_step_status, machine.h). */
#ifndef REG_ERROR_H
#define REG_ERROR_H

enum {
    REG_OK = 0,
    REG_E_RANGE = -1,    /* a date outside the calendar's covered years */
    REG_E_ARG = -2,      /* an invalid argument (amount below 1, unknown unit) */
    REG_E_PARSE = -3,    /* text that is not a valid time or date */
    REG_E_CALENDAR = -4, /* an invalid calendar data file */
    REG_E_IO = -5,       /* a file could not be read */
    REG_E_NOMEM = -6,    /* out of memory */
    REG_E_STORE = -7,    /* the case store cannot be used (store.h: the message is in reg_store_error) */
    REG_E_RETRY = -8     /* a conflict with another writer of the store: roll back and run it again */
};

const char *reg_strerror(int code);

#endif
