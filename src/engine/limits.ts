/**
 * Time limits: no call to the pack and no run of the checker waits forever.
 *
 * - Each RPC the driver makes to the pack has a deadline (`callTimeoutMs`, default 120 s): a pack
 *   that never answers (a handler that never calls back, a policy that loops) fails the call with
 *   gRPC's DEADLINE_EXCEEDED, reported as one line.
 * - The whole run (start of the pack, every call, and under the CLI the program's run too) has a
 *   limit (`timeoutMs`, default 15 min).
 *
 * The CLI sets them with `--call-timeout SECONDS` and `--timeout SECONDS`, or the environment
 * variables `CLOUD_DE_CONFIANCE_CALL_TIMEOUT` and `CLOUD_DE_CONFIANCE_TIMEOUT`.
 */

/** Default limit of one RPC to the pack, in milliseconds. */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
/** Default limit of a whole run, in milliseconds. */
export const DEFAULT_RUN_TIMEOUT_MS = 15 * 60_000;
/** Limit of the pack's start-up (spawn to port), in milliseconds. */
export const DEFAULT_START_TIMEOUT_MS = 60_000;

/** The pack failed a call, stopped answering, or a time limit passed: one line, no stack trace. */
export class PackCallError extends Error {
    constructor(message: string, readonly code?: number) {
        super(message.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !/^at\s/.test(l)).join(" "));
        this.name = "PackCallError";
    }
}

/** Seconds, for messages: `120 s`, `0.5 s`. */
export function seconds(ms: number): string {
    return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * Resolves as `p`, or rejects with a PackCallError once `ms` milliseconds have passed; `onExpire`
 * then stops what `p` waits for (kills the pack). `p`'s later rejection is ignored. The message
 * names the limit (`limitMs`, by default `ms`: a run's limit when `ms` is what remains of it).
 */
export function withTimeLimit<T>(p: Promise<T>, ms: number, o: { what: string; onExpire?: () => void; hint?: string; limitMs?: number }): Promise<T> {
    if (!Number.isFinite(ms) || ms <= 0) return p;
    return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
            p.catch(() => undefined);
            try {
                o.onExpire?.();
            } finally {
                reject(new PackCallError(`${o.what} did not finish within ${seconds(o.limitMs ?? ms)} (${o.hint ?? "time limit of the run"})`));
            }
        }, ms);
        p.then(
            (v) => {
                clearTimeout(timer);
                resolve(v);
            },
            (e) => {
                clearTimeout(timer);
                reject(e);
            },
        );
    });
}

/**
 * A time limit given in seconds on the command line or in the environment: a positive number.
 * Returns milliseconds, `undefined` when not given; throws with a one-line reason otherwise.
 */
export function parseSeconds(value: string | undefined, name: string): number | undefined {
    if (value === undefined || value.trim() === "") return undefined;
    const n = Number(value.trim());
    if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} ${JSON.stringify(value.slice(0, 40))}: expected a number of seconds greater than 0`);
    return Math.round(n * 1000);
}
