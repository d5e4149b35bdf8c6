/*
 * entry.c: the double-entry state machine of one result form version,
 * exactly as docs/entry-states.md draws it:
 *
 *   EMPTY --import (a digitized form)--> ACCEPTED (or NEEDS_EXPLANATION)
 *   EMPTY --enter--> FIRST_ENTERED --enter (other user, same numbers)--> ACCEPTED
 *                         |                                (or NEEDS_EXPLANATION
 *                         |                                 while warnings are open)
 *                         +--enter (other user, other numbers)--> DIFFERENT
 *   DIFFERENT --keep-first/keep-second--> ACCEPTED (or NEEDS_EXPLANATION)
 *   DIFFERENT --rekey-first/rekey-second--> FIRST_ENTERED (the other entry stays)
 *   NEEDS_EXPLANATION --explain (last open warning)--> ACCEPTED
 *   ACCEPTED --make-official--> OFFICIAL
 *   OFFICIAL --correct--> EMPTY of a new version (the official one stays)
 *
 * Everything else is refused with a CNT.8xx code that says what to do.
 */
#include <stdio.h>
#include <string.h>

#include "khum/count.h"

bool khum_form_states_parse(const char *list, unsigned *mask, char *bad, size_t cap)
{
    *mask = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        bool known = len == 4 && !strncmp(p, "todo", 4);
        if (known)
            *mask |= 1u << KHUM_FS_FIRST_ENTERED | 1u << KHUM_FS_DIFFERENT |
                     1u << KHUM_FS_NEEDS_EXPLANATION;
        for (int st = KHUM_FS_EMPTY; !known && st <= KHUM_FS_OFFICIAL; st++) {
            const char *name = khum_form_state_name((khum_form_state)st);
            if (strlen(name) == len && !strncmp(p, name, len)) {
                *mask |= 1u << st;
                known = true;
            }
        }
        if (!known) {
            snprintf(bad, cap, "%.*s", (int)len, p);
            return false;
        }
        p += len + (p[len] == ',');
    }
    return *mask != 0;
}

const char *khum_form_state_name(khum_form_state s)
{
    switch (s) {
    case KHUM_FS_EMPTY: return "empty";
    case KHUM_FS_FIRST_ENTERED: return "first-entered";
    case KHUM_FS_DIFFERENT: return "entries-different";
    case KHUM_FS_NEEDS_EXPLANATION: return "needs-explanation";
    case KHUM_FS_ACCEPTED: return "accepted";
    case KHUM_FS_OFFICIAL: return "official";
    }
    return "unknown";
}

const char *khum_entry_action_name(khum_entry_action a)
{
    switch (a) {
    case KHUM_ACT_ENTER: return "enter";
    case KHUM_ACT_KEEP_FIRST: return "keep-first";
    case KHUM_ACT_KEEP_SECOND: return "keep-second";
    case KHUM_ACT_REKEY_FIRST: return "rekey-first";
    case KHUM_ACT_REKEY_SECOND: return "rekey-second";
    case KHUM_ACT_EXPLAIN: return "explain";
    case KHUM_ACT_MAKE_OFFICIAL: return "make-official";
    case KHUM_ACT_CORRECT: return "correct";
    case KHUM_ACT_IMPORT: return "import";
    }
    return "unknown";
}

static khum_code refuse(khum_err *err, const char *rule, khum_form_state from,
                        khum_entry_action act, const char *what_to_do)
{
    return khum_err_set(err, KHUM_ERR_CONFLICT, rule, "cannot %s a form in state %s: %s",
                        khum_entry_action_name(act), khum_form_state_name(from), what_to_do);
}

khum_code khum_entry_next(khum_form_state from, khum_entry_action act, bool agree,
                          bool same_user, bool warnings_open, khum_form_state *to,
                          khum_err *err)
{
    khum_form_state settled = warnings_open ? KHUM_FS_NEEDS_EXPLANATION : KHUM_FS_ACCEPTED;
    *to = from;
    /* An imported form stands for both entries: it settles an empty form and
     * nothing else (a result is changed only by a correction). */
    if (act == KHUM_ACT_IMPORT && from != KHUM_FS_EMPTY)
        return khum_err_set(err, KHUM_ERR_CONFLICT, "F.111", "cannot import a form in state "
                            "%s: change it with a correction", khum_form_state_name(from));
    switch (from) {
    case KHUM_FS_EMPTY:
        if (act == KHUM_ACT_IMPORT)
            return *to = settled, KHUM_OK;
        if (act == KHUM_ACT_ENTER)
            return *to = KHUM_FS_FIRST_ENTERED, KHUM_OK;
        return refuse(err, "CNT.801", from, act, "nothing has been entered yet");
    case KHUM_FS_FIRST_ENTERED:
        if (act == KHUM_ACT_ENTER) {
            if (same_user)
                return khum_err_set(err, KHUM_ERR_CONFLICT, "CNT.802",
                                    "the second entry must be keyed by another user than the "
                                    "first");
            return *to = agree ? settled : KHUM_FS_DIFFERENT, KHUM_OK;
        }
        if (act == KHUM_ACT_REKEY_FIRST)
            return *to = KHUM_FS_EMPTY, KHUM_OK;
        if (act == KHUM_ACT_EXPLAIN)
            return KHUM_OK;
        return refuse(err, "CNT.801", from, act, "a second entry is awaited");
    case KHUM_FS_DIFFERENT:
        if (act == KHUM_ACT_KEEP_FIRST || act == KHUM_ACT_KEEP_SECOND)
            return *to = settled, KHUM_OK;
        if (act == KHUM_ACT_REKEY_FIRST || act == KHUM_ACT_REKEY_SECOND)
            return *to = KHUM_FS_FIRST_ENTERED, KHUM_OK;
        if (act == KHUM_ACT_EXPLAIN)
            return KHUM_OK;
        return refuse(err, "CNT.803", from, act,
                      "the two entries differ; a coordinator keeps one or sends one back");
    case KHUM_FS_NEEDS_EXPLANATION:
        if (act == KHUM_ACT_EXPLAIN)
            return *to = settled, KHUM_OK;
        return refuse(err, "CNT.804", from, act, "explain every warning first");
    case KHUM_FS_ACCEPTED:
        if (act == KHUM_ACT_MAKE_OFFICIAL)
            return *to = KHUM_FS_OFFICIAL, KHUM_OK;
        if (act == KHUM_ACT_EXPLAIN)
            return KHUM_OK;
        return refuse(err, "CNT.805", from, act, "the form is accepted");
    case KHUM_FS_OFFICIAL:
        if (act == KHUM_ACT_CORRECT)
            return *to = KHUM_FS_EMPTY, KHUM_OK;
        return refuse(err, "CNT.806", from, act,
                      "official results are locked; record a correction with a reason");
    }
    return khum_err_set(err, KHUM_ERR_INTERNAL, "CNT.800", "unknown form state");
}
