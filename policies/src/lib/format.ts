/** Property names whose values are never echoed in a message or a report. */
const SENSITIVE = /(pass(word|wd|phrase)?|secret|token|credential|private[_-]?key|api[_-]?key|user[_-]?data|^data$|stringData|^value$|payload|certificate|cert$)/i;

/** Whether the last meaningful segment of a property path names a sensitive value. */
export function isSensitivePath(path: string, extra: readonly string[] = []): boolean {
    if (extra.some((p) => path === p || path.startsWith(p + ".") || path.startsWith(p + "["))) return true;
    const segs = path.split(/[.[\]]+/).filter((s) => s && !/^\d+$/.test(s));
    const last = segs[segs.length - 1] ?? "";
    return SENSITIVE.test(last) || segs.some((s) => /^(stringData|userData|adminPass|secret)$/i.test(s));
}

/** "a, b, c" with at most `max` items. */
export function list(items: readonly unknown[], max = 6): string {
    const shown = items.slice(0, max).map((i) => String(i));
    return items.length > max ? `${shown.join(", ")}, … (+${items.length - max})` : shown.join(", ");
}
