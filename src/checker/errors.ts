/**
 * Errors about what the user gave the checker (a program, a preview JSON, a state file). Their
 * message is ONE line that names the file and what is wrong; the CLI prints it as is, without a
 * stack trace.
 */
export class InputError extends Error {
    constructor(message: string) {
        // Keep the message on one line whatever the cause carried (multi-line errors of user code).
        super(oneLine(message));
        this.name = "InputError";
    }
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
