/**
 * Errors about what the user gave the checker (a program, a preview JSON, a state file). Their
 * message is ONE line that names the file and what is wrong; the CLI prints it as is, without a
 * stack trace.
 */
export class InputError extends Error {
    constructor(message: string) {
        // Keep the message on one line whatever the cause carried (multi-line errors of user code);
        // control characters the file held are escaped, never sent raw to the terminal.
        super(oneLine(escapeControls(message, true)));
        this.name = "InputError";
    }
}

/** Longest value of the input that an error line quotes (longer ones end with « … »). */
export const MAX_ERROR_QUOTE = 120;

/**
 * Control characters (C0, DEL, C1, line and paragraph separators, bidirectional overrides) written
 * as `\xNN` or `\uNNNN`: an error line never carries a raw escape sequence from the file.
 * `keepLines`: line breaks and tabs are kept (oneLine joins the lines of a message).
 */
export function escapeControls(text: string, keepLines = false): string {
    return String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
        if (keepLines && (c === "\n" || c === "\r" || c === "\t")) return c;
        const n = c.charCodeAt(0);
        return n <= 0xff ? `\\x${n.toString(16).padStart(2, "0")}` : `\\u${n.toString(16).padStart(4, "0")}`;
    });
}

/** A value of the input as an error line quotes it: on one line, control characters escaped, cut to `max`. */
export function quoted(v: unknown, max = MAX_ERROR_QUOTE): string {
    const text = escapeControls(typeof v === "string" ? v : String(JSON.stringify(v) ?? v));
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Joins the meaningful lines of a message into one line; stack frames ("at f (file:1:2)") are dropped. */
export function oneLine(message: string): string {
    return String(message)
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l.length > 0 && !/^at\s/.test(l))
        .join(" ")
        .replace(/\s+/g, " ")
        .trim();
}
