"""Exit codes, one place. Scripts depend on these; the README documents them."""

COMPLIANT = 0
NOT_COMPLIANT = 1
USAGE = 2  # bad invocation, or an unreadable or invalid profile or ruleset
INCOMPLETE = 3
INTERRUPTED = 130
HANGUP = 129  # SIGHUP (the terminal went away): 128 + 1, as a shell reports it
TERMINATED = 143  # SIGTERM: 128 + 15
INTERNAL = 70  # an unexpected internal error; a crash log path is printed
WRITE_FAILED = 74  # the output could not be written (disk full, I/O error): sysexits' EX_IOERR
PIPE_CLOSED = 141  # the reader of standard output went away (| head): 128 + SIGPIPE, as Unix tools

BY_STATUS = {"compliant": COMPLIANT, "not_compliant": NOT_COMPLIANT, "incomplete": INCOMPLETE}

# With several files the most severe wins: an error, then a failure, then incompleteness.
SEVERITY = (USAGE, NOT_COMPLIANT, INCOMPLETE, COMPLIANT)


def most_severe(codes: list[int]) -> int:
    for code in SEVERITY:
        if code in codes:
            return code
    return COMPLIANT
