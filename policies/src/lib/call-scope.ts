/**
 * The AnalyzeStack call under way, as a token: what several stack rules compute alike on the same
 * stack (the cost estimate of PIL-03, PIL-04 and PIL-05) is computed once per call and shared.
 * `@pulumi/policy` gives each stack policy its own copy of the stack's resources, so the copies
 * cannot say that they are the same stack: the call can. The engine sends one AnalyzeStack per
 * operation, at its end, and waits for its answer.
 */
type Handler = (call: { request: unknown }, callback: (err: unknown, resp?: unknown) => void) => unknown;

let current: object | undefined;

/** The AnalyzeStack call under way (its request), if any. */
export function stackCallToken(): object | undefined {
    return current;
}

/** Wraps the AnalyzeStack handler: its request is the token until it answers. */
export function inStackCall(next: Handler): Handler {
    return (call, callback) => {
        const token = typeof call.request === "object" && call.request !== null ? call.request : {};
        current = token;
        return next(call, (err, resp) => {
            if (current === token) current = undefined;
            callback(err, resp);
        });
    };
}
