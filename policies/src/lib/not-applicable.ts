/**
 * « Not applicable », cheaply. `@pulumi/policy` says a policy does not apply by throwing an error
 * from `args.notApplicable`, and catches it to report the reason. Most of the pack's policies do
 * not apply to most resources, so the error is thrown about a hundred times per resource; capturing
 * its stack trace (never shown: only the reason travels) was a visible part of the pack's cost.
 * Same error, same reason, no stack trace.
 */
export function withoutTrace(notApplicable: (reason?: string) => never): (reason?: string) => never {
    // The pack's handlers give every policy the same function: wrapped once.
    let wrapped = wrappers.get(notApplicable);
    if (!wrapped) {
        wrapped = wrap(notApplicable);
        wrappers.set(notApplicable, wrapped);
    }
    return wrapped;
}

const wrappers = new WeakMap<(reason?: string) => never, (reason?: string) => never>();

function wrap(notApplicable: (reason?: string) => never): (reason?: string) => never {
    return (reason?: string): never => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return notApplicable(reason);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
}
