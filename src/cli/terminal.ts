/**
 * What the terminal gets: colours only where a person reads them, progress on stderr.
 *
 * Colours: `--color` / `--no-color` decide; otherwise none when NO_COLOR is set (any non-empty
 * value, https://no-color.org), forced by FORCE_COLOR (non-empty, not "0"), else only when the
 * stream is a terminal (and TERM is not "dumb").
 *
 * Progress: on stderr (stdout carries the report), one line that is rewritten, and cleared at
 * the end, when stderr is a terminal; `--progress` prints one line per step anywhere (a CI log),
 * `--no-progress` none.
 */

export interface Stream {
    isTTY?: boolean;
    write(s: string): unknown;
}

export function useColor(flag: boolean | undefined, stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
    if (flag !== undefined) return flag;
    if (env.NO_COLOR) return false;
    if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
    return !!stream.isTTY && env.TERM !== "dumb";
}

export class Progress {
    private shown = false;
    private readonly live: boolean;
    /** The stream's own write while a live line is up: other writes clear the line first. */
    private original: Stream["write"] | undefined;

    /** `mode`: true (one line per step), false (nothing), undefined (live line on a terminal). */
    constructor(
        private readonly stream: Stream,
        mode: boolean | undefined,
        private readonly prefix = "cloud-de-confiance",
    ) {
        this.live = mode === undefined && !!stream.isTTY;
        this.enabled = mode ?? this.live;
    }

    readonly enabled: boolean;

    step(text: string): void {
        if (!this.enabled) return;
        if (!this.live) {
            this.stream.write(`${this.prefix}: ${text}\n`);
            return;
        }
        if (!this.original) {
            // What else is written meanwhile (a program's console output, a note) starts on a clean line.
            const original = this.stream.write.bind(this.stream);
            this.original = original;
            this.stream.write = (...args: Parameters<Stream["write"]>) => {
                if (this.shown) {
                    original("\r\x1b[2K");
                    this.shown = false;
                }
                return original(...args);
            };
        }
        this.original(`\r\x1b[2K${this.prefix}: ${text}`);
        this.shown = true;
    }

    /** Clears the live line (before the report, or an error, is printed). */
    done(): void {
        if (this.original) {
            if (this.shown) this.original("\r\x1b[2K");
            this.stream.write = this.original;
            this.original = undefined;
        }
        this.shown = false;
    }
}
