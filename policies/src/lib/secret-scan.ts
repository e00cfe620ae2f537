/**
 * Finds secrets written in clear in texts that a system will read: shell scripts and command lines
 * (read as a POSIX shell splits them), configuration files (`KEY=value`, `key: value`, `"key":
 * "value"`, INI, properties), URLs (`scheme://user:password@host`, split as a URL parser does: the
 * user information ends at the last `@` of the authority), PEM private keys and token formats.
 *
 * A finding tells what kind of secret and where (a location and, when there is one, the name that
 * carries it), never the value. A value that only refers to a secret is no finding: a shell or
 * Kubernetes expansion (`$VAR`, `${VAR}`, `$(cmd)`, `` `cmd` ``, `$(VAR)`), a template
 * (`{{ … }}`, `{% … %}`), an encrypted value (`!vault`, `ENC[…]`), an empty value.
 */
import { isSecretName, NameRules } from "./secret-names";

export type SecretKind = "password" | "hash" | "private-key" | "url-credentials" | "named" | "option" | "token";

export interface SecretFinding {
    kind: SecretKind;
    /** Where: a part, a key path, a line (`#1 text/x-shellscript:4`). Never the value. */
    where: string;
    /** The name that carries the secret (variable, key, option), when there is one. */
    name?: string;
}

export interface ScanRules {
    names: NameRules;
    /**
     * Command options that take a password, as `<command> <option>`; a trailing `+` means the value
     * is only attached (`mysql -p+`: `-pSECRET`, while `-p SECRET` prompts), a trailing `:` means the
     * value is `user:password` (`curl -u:`).
     */
    commandOptions: readonly string[];
    /** Regular expressions of values that are secrets whatever their name (token formats). */
    tokenPatterns: readonly string[];
}

/** The crypt(3) hash forms cloud-init recognises (cc_set_passwords: `\$(1|2a|2y|5|6)(\$.+){2}`). */
export const CRYPT_HASH = /^\$(1|2a|2y|5|6)(\$.+){2}/;

const PEM_PRIVATE = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/g;

/** Whether a text only refers to a value found elsewhere at run time (see the module's comment). */
export function isReference(value: string): boolean {
    const v = value.trim();
    if (CRYPT_HASH.test(v)) return false; // `$6$salt$…` is a hash, not an expansion
    if (/^!vault\b/.test(v) || /^ENC\[/.test(v) || /^vault:/.test(v)) return true;
    return /\$[({A-Za-z_]|`[^`]*`|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/.test(v);
}

/** A value written in clear: a non-empty string (or number) that is not a reference. */
export function isLiteral(value: unknown): boolean {
    if (typeof value === "number") return Number.isFinite(value);
    if (typeof value !== "string") return false;
    const v = value.trim();
    return v.length > 0 && !isReference(v);
}

/** Untyped text values that are no secret: YAML/INI null and booleans. */
function isNullish(v: string): boolean {
    return /^(~|null|none|nil|true|false|yes|no|on|off)$/i.test(v.trim());
}

/** URLs with a password in their user information (`scheme://user:password@host`). */
export function urlCredentials(text: string): number {
    let n = 0;
    const re = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/([^\s/?#'"<>`]*)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
        const authority = m[1];
        const at = authority.lastIndexOf("@");
        if (at < 0) continue;
        const userinfo = authority.slice(0, at);
        const colon = userinfo.indexOf(":");
        if (colon < 0) continue;
        const password = userinfo.slice(colon + 1);
        if (password.length > 0 && isLiteral(decodeURIComponentSafe(password))) n++;
    }
    return n;
}

function decodeURIComponentSafe(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

function lineOf(text: string, index: number): number {
    let line = 1;
    for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
}

/** Secrets any text may hold whatever its syntax: PEM private keys, token formats, URL credentials. */
export function scanValue(text: string, where: string, rules: ScanRules, out: SecretFinding[], name?: string): void {
    PEM_PRIVATE.lastIndex = 0;
    if (PEM_PRIVATE.test(text)) out.push({ kind: "private-key", where, name });
    for (const p of rules.tokenPatterns) {
        let re: RegExp;
        try {
            re = new RegExp(p);
        } catch {
            continue;
        }
        if (re.test(text)) {
            out.push({ kind: "token", where, name });
            break;
        }
    }
    if (urlCredentials(text) > 0) out.push({ kind: "url-credentials", where, name });
}

/** The same, line by line, with the line in the location. */
function scanValueLines(text: string, where: string, rules: ScanRules, out: SecretFinding[]): void {
    PEM_PRIVATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = PEM_PRIVATE.exec(text)) !== null) out.push({ kind: "private-key", where: `${where}:${lineOf(text, m.index)}` });
    const lines = text.split(/\r?\n/);
    lines.forEach((l, i) => {
        const found: SecretFinding[] = [];
        scanValue(l, `${where}:${i + 1}`, rules, found);
        out.push(...found.filter((f) => f.kind !== "private-key"));
    });
}

// ------------------------------------------------------------------------------------------------
// Configuration-file lines.

const KEY_LINE = /^\s*(?:export\s+)?(?:"([^"]+)"|'([^']+)'|([A-Za-z_][A-Za-z0-9_.\-]*))\s*(=|:)\s*(.*)$/;

function unquoteValue(raw: string): { value: string; quoted: boolean } {
    let v = raw.trim().replace(/[,;]$/, "").trim();
    const q = v[0];
    if ((q === '"' || q === "'") && v.length >= 2) {
        const end = v.indexOf(q, 1);
        if (end > 0) return { value: v.slice(1, end), quoted: true };
    }
    v = v.replace(/\s+#.*$/, "").trim();
    return { value: v, quoted: false };
}

/** `KEY=value`, `key: value`, `"key": "value"`, `key = value` lines whose key names a secret. */
export function scanKeyLines(text: string, where: string, rules: ScanRules, out: SecretFinding[]): void {
    text.split(/\r?\n/).forEach((line, i) => {
        if (/^\s*[#;]/.test(line) || /^\s*\/\//.test(line)) return;
        const m = KEY_LINE.exec(line);
        if (!m) return;
        const key = m[1] ?? m[2] ?? m[3];
        if (!isSecretName(key, rules.names)) return;
        const { value, quoted } = unquoteValue(m[5]);
        if (!quoted && (value.startsWith("{") || value.startsWith("[") || value.startsWith("&") || value.startsWith("*"))) return;
        if (!quoted && isNullish(value)) return;
        if (!isLiteral(value)) return;
        out.push({ kind: "named", where: `${where}:${i + 1}`, name: key });
    });
}

// ------------------------------------------------------------------------------------------------
// Shell.

interface Word {
    text: string;
    /** Holds an expansion (`$…`, backquotes) outside single quotes: its value is known at run time only. */
    expands: boolean;
}

interface Command {
    words: Word[];
    line: number;
    /** The command whose output feeds this one through `|`. */
    pipedFrom?: Command;
    heredoc?: { line: number; lines: string[] };
}

/** Splits a script into simple commands, as a POSIX shell does (quotes, escapes, expansions, here-documents). */
export function parseShell(text: string): Command[] {
    // Template expressions (Jinja, rendered from instance data before the script runs) are references.
    const src = text.replace(/\{\{[\s\S]*?\}\}/g, "${TEMPLATE}").replace(/\{%[\s\S]*?%\}/g, "");
    const commands: Command[] = [];
    let words: Word[] = [];
    let cur: Word | undefined;
    let line = 1;
    let start = 1;
    let pipe: Command | undefined;
    const pendingHeredocs: { cmd: Command | undefined; delim: string; strip: boolean }[] = [];

    const endWord = () => {
        if (cur) words.push(cur);
        cur = undefined;
    };
    const word = () => (cur ??= { text: "", expands: false });
    const endCommand = (piped: boolean) => {
        endWord();
        let cmd: Command | undefined;
        if (words.length > 0) {
            cmd = { words, line: start, pipedFrom: pipe };
            commands.push(cmd);
            for (const h of pendingHeredocs) if (h.cmd === undefined) h.cmd = cmd;
        }
        pipe = piped ? cmd : undefined;
        words = [];
        start = line;
    };

    let i = 0;
    const n = src.length;
    const readBalanced = (open: string, close: string): string => {
        // src[i] is `open`
        let depth = 0;
        let s = "";
        while (i < n) {
            const c = src[i];
            s += c;
            if (c === "\n") line++;
            if (c === open) depth++;
            else if (c === close) {
                depth--;
                if (depth === 0) {
                    i++;
                    return s;
                }
            }
            i++;
        }
        return s;
    };
    while (i < n) {
        const c = src[i];
        if (c === "\\" && src[i + 1] === "\n") {
            i += 2;
            line++;
            continue;
        }
        if (c === "\\") {
            word().text += src[i + 1] ?? "";
            i += 2;
            continue;
        }
        if (c === " " || c === "\t" || c === "\r") {
            endWord();
            i++;
            continue;
        }
        if (c === "\n") {
            endCommand(false);
            i++;
            line++;
            start = line;
            // Here-document bodies follow the line that opened them.
            while (pendingHeredocs.length > 0) {
                const h = pendingHeredocs.shift()!;
                const body: string[] = [];
                const bodyLine = line;
                while (i < n) {
                    let e = src.indexOf("\n", i);
                    if (e < 0) e = n;
                    let l = src.slice(i, e);
                    i = e + 1;
                    line++;
                    if (h.strip) l = l.replace(/^\t+/, "");
                    if (l.replace(/\r$/, "") === h.delim) break;
                    body.push(l);
                }
                if (h.cmd) h.cmd.heredoc = { line: bodyLine, lines: body };
                else commands.push({ words: [], line: bodyLine, heredoc: { line: bodyLine, lines: body } });
            }
            start = line;
            continue;
        }
        if (c === "#" && !cur) {
            const e = src.indexOf("\n", i);
            i = e < 0 ? n : e;
            continue;
        }
        if (c === "'") {
            const e = src.indexOf("'", i + 1);
            const s = e < 0 ? src.slice(i + 1) : src.slice(i + 1, e);
            for (const ch of s) if (ch === "\n") line++;
            word().text += s;
            i = e < 0 ? n : e + 1;
            continue;
        }
        if (c === '"') {
            const w = word();
            i++;
            while (i < n && src[i] !== '"') {
                if (src[i] === "\\" && i + 1 < n && '"\\$`\n'.includes(src[i + 1])) {
                    if (src[i + 1] !== "\n") w.text += src[i + 1];
                    else line++;
                    i += 2;
                    continue;
                }
                if (src[i] === "$" || src[i] === "`") w.expands = true;
                if (src[i] === "\n") line++;
                w.text += src[i++];
            }
            i++;
            continue;
        }
        if (c === "$") {
            const w = word();
            w.expands = true;
            if (src[i + 1] === "(") {
                i++;
                w.text += "$" + readBalanced("(", ")");
                continue;
            }
            if (src[i + 1] === "{") {
                i++;
                w.text += "$" + readBalanced("{", "}");
                continue;
            }
            w.text += c;
            i++;
            continue;
        }
        if (c === "`") {
            const e = src.indexOf("`", i + 1);
            const w = word();
            w.expands = true;
            w.text += e < 0 ? src.slice(i) : src.slice(i, e + 1);
            i = e < 0 ? n : e + 1;
            continue;
        }
        if (c === "<" && src[i + 1] === "<" && src[i + 2] !== "<") {
            endWord();
            i += 2;
            let strip = false;
            if (src[i] === "-") {
                strip = true;
                i++;
            }
            while (src[i] === " " || src[i] === "\t") i++;
            let delim = "";
            while (i < n && !/[\s;&|<>()]/.test(src[i])) {
                if (src[i] !== "'" && src[i] !== '"' && src[i] !== "\\") delim += src[i];
                i++;
            }
            // The here-document belongs to the command being read.
            pendingHeredocs.push({ cmd: undefined, delim, strip });
            continue;
        }
        if (c === ";" || c === "&" || c === "|" || c === "(" || c === ")") {
            const double = (c === "&" || c === "|" || c === ";") && src[i + 1] === c;
            endCommand(c === "|" && !double);
            i += double ? 2 : 1;
            continue;
        }
        if (c === "<" || c === ">") {
            endWord();
            i++;
            if (src[i] === ">" || src[i] === "&" || src[i] === "<") i++;
            continue;
        }
        word().text += c;
        i++;
    }
    endCommand(false);
    return commands;
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;
const WRAPPERS = new Set(["sudo", "doas", "env", "nohup", "exec", "time", "command", "nice", "stdbuf", "setsid"]);
const SUDO_WITH_VALUE = new Set(["-u", "-g", "-C", "-h", "-p", "-r", "-t", "-U", "-D"]);
const DECLARERS = new Set(["export", "declare", "typeset", "readonly", "local"]);

function basename(s: string): string {
    return s.slice(s.lastIndexOf("/") + 1);
}

interface OptionSpec {
    command: string;
    option: string;
    attachedOnly: boolean;
    userPassword: boolean;
}

function optionSpecs(list: readonly string[]): OptionSpec[] {
    const out: OptionSpec[] = [];
    for (const e of list) {
        const m = /^\s*(\S+)\s+(-{1,2}[^\s+:]+)([+:]*)\s*$/.exec(e);
        if (m) out.push({ command: m[1], option: m[2], attachedOnly: m[3].includes("+"), userPassword: m[3].includes(":") });
    }
    return out;
}

function literalWord(w: Word | undefined, value = w?.text): boolean {
    return !!w && !w.expands && value !== undefined && isLiteral(value);
}

/** Options of one command line (argv, without the command's name) that carry a secret. */
export function scanArgs(command: string, args: readonly Word[], where: string, rules: ScanRules, out: SecretFinding[]): void {
    const specs = optionSpecs(rules.commandOptions).filter((s) => s.command === command);
    for (let j = 0; j < args.length; j++) {
        const w = args[j];
        const t = w.text;
        for (const s of specs) {
            if (!t.startsWith(s.option)) continue;
            let value: string | undefined;
            let carrier: Word | undefined = w;
            if (t.length > s.option.length) value = t.slice(s.option.length).replace(s.option.startsWith("--") ? /^=/ : /^$/, "");
            else if (!s.attachedOnly) {
                carrier = args[j + 1];
                value = carrier?.text;
            }
            if (s.option.startsWith("--") && t.length > s.option.length && t[s.option.length] !== "=") continue;
            if (value === undefined || !literalWord(carrier, value)) continue;
            if (s.userPassword) {
                const k = value.indexOf(":");
                if (k < 0 || !isLiteral(value.slice(k + 1))) continue;
            }
            out.push({ kind: "option", where, name: `${command} ${s.option}` });
        }
        if (t.startsWith("--") && t.length > 2) {
            const body = t.slice(2);
            const eq = body.indexOf("=");
            const name = eq >= 0 ? body.slice(0, eq) : body;
            if (!isSecretName(name, rules.names)) continue;
            if (specs.some((s) => s.option === `--${name}`)) continue;
            if (eq >= 0) {
                if (literalWord(w, body.slice(eq + 1))) out.push({ kind: "option", where, name: `--${name}` });
            } else {
                const next = args[j + 1];
                if (next && !next.text.startsWith("-") && literalWord(next)) out.push({ kind: "option", where, name: `--${name}` });
            }
        }
    }
}

/** `user:password` lines fed to `chpasswd` (`-e`: hashes). */
function chpasswdLines(lines: readonly string[], hashed: boolean, where: string, out: SecretFinding[]): void {
    for (const l of lines) {
        const k = l.indexOf(":");
        if (k <= 0) continue;
        const p = l.slice(k + 1).trim();
        if (!isLiteral(p)) continue;
        out.push({ kind: hashed || CRYPT_HASH.test(p) ? "hash" : "password", where, name: "chpasswd" });
    }
}

/** Secrets in a shell script: assignments, options, `chpasswd` input, and what any text may hold. */
export function scanShell(script: string, where: string, rules: ScanRules, out: SecretFinding[]): void {
    const commands = parseShell(script);
    for (const cmd of commands) {
        const at = `${where}:${cmd.line}`;
        const ws = cmd.words;
        let k = 0;
        const assign = (w: Word) => {
            const m = ASSIGNMENT.exec(w.text);
            if (!m) return false;
            if (isSecretName(m[1], rules.names) && literalWord(w, m[2])) out.push({ kind: "named", where: at, name: m[1] });
            return true;
        };
        while (k < ws.length && assign(ws[k])) k++;
        while (k < ws.length && WRAPPERS.has(basename(ws[k].text))) {
            const wrapper = basename(ws[k].text);
            k++;
            while (k < ws.length && ws[k].text.startsWith("-")) {
                if (wrapper === "sudo" && SUDO_WITH_VALUE.has(ws[k].text)) k++;
                k++;
            }
            while (wrapper === "env" && k < ws.length && assign(ws[k])) k++;
        }
        if (k >= ws.length) continue;
        const name = basename(ws[k].text);
        const args = ws.slice(k + 1);
        if (DECLARERS.has(name)) {
            for (const a of args) if (!a.text.startsWith("-")) assign(a);
        } else {
            scanArgs(name, args, at, rules, out);
        }
        if (name === "chpasswd") {
            const hashed = args.some((a) => a.text === "-e" || a.text === "--encrypted");
            const from = cmd.pipedFrom;
            const src = from ? basename(from.words[0]?.text ?? "") : "";
            if (from && (src === "echo" || src === "printf")) {
                const text = from.words
                    .slice(1)
                    .filter((w) => !/^-[neE]+$/.test(w.text))
                    .filter((w) => !w.expands)
                    .map((w) => w.text.replace(/\\n/g, "\n"))
                    .join(" ");
                chpasswdLines(text.split("\n"), hashed, at, out);
            }
            if (cmd.heredoc) chpasswdLines(cmd.heredoc.lines, hashed, at, out);
        }
    }
    // Assignments and here-documents (files written by the script) read as configuration lines too.
    scanKeyLines(script, where, rules, out);
    scanValueLines(script, where, rules, out);
}

/**
 * Secrets in a file of unknown syntax (a file written on the instance, a part cloud-init does not
 * handle): configuration lines, minified JSON, shell commands, and what any text may hold.
 */
export function scanFileText(text: string, where: string, rules: ScanRules, out: SecretFinding[]): void {
    const t = text.trim();
    if ((t.startsWith("{") || t.startsWith("[")) && !t.includes("\n")) {
        try {
            walkStructure(JSON.parse(t), "", where, rules, out);
        } catch {
            // not JSON
        }
    }
    scanShell(text, where, rules, out);
}

/**
 * Keys of a parsed structure (JSON, YAML) that name a secret and hold a literal scalar, and string
 * values holding what any text may hold. `skip` tells paths already judged by their meaning.
 */
export function walkStructure(
    value: unknown,
    path: string,
    where: string,
    rules: ScanRules,
    out: SecretFinding[],
    skip: (path: string) => boolean = () => false,
    depth = 0,
): void {
    if (depth > 64 || skip(path)) return;
    if (Array.isArray(value)) {
        value.forEach((v, i) => walkStructure(v, `${path}[${i}]`, where, rules, out, skip, depth + 1));
        return;
    }
    if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
            const p = path ? `${path}.${k}` : k;
            if (skip(p)) continue;
            if (isSecretName(k, rules.names) && (typeof v === "string" || typeof v === "number") && isLiteral(v)) {
                out.push({ kind: "named", where: `${where} ${p}`, name: k });
                continue;
            }
            walkStructure(v, p, where, rules, out, skip, depth + 1);
        }
        return;
    }
    if (typeof value === "string") scanValue(value, `${where} ${path}`, rules, out);
}

/** Removes findings repeated at the same place for the same name. */
export function dedupe(findings: readonly SecretFinding[]): SecretFinding[] {
    const seen = new Set<string>();
    const out: SecretFinding[] = [];
    for (const f of findings) {
        const key = `${f.kind}|${f.where}|${f.name ?? ""}`;
        const loose = `*|${f.where}|${f.name ?? ""}`;
        if (seen.has(key) || (f.name && seen.has(loose))) continue;
        seen.add(key);
        if (f.name) seen.add(loose);
        out.push(f);
    }
    return out;
}

export function word(text: string, expands = false): Word {
    return { text, expands };
}
