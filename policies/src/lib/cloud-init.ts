/**
 * User data as an OpenStack instance receives it and cloud-init reads it, to find the secrets it
 * holds by what they are.
 *
 * The path of the value, as the systems handle it:
 * 1. terraform-provider-openstack hands `user_data` to gophercloud, which base64-encodes it for Nova
 *    unless it already is valid standard base64 (padding required, CR and LF ignored, as Go's
 *    `base64.StdEncoding` decodes): a base64 value reaches the instance decoded once.
 * 2. cloud-init (`cloudinit/user_data.py`, `convert_string`) decompresses gzip (magic `1f 8b`),
 *    then reads a MIME message when `mime-version:` appears in the first 4096 bytes, else takes the
 *    whole text as one part.
 * 3. Each part: a gzip content type is decompressed; `text/plain`, `text/x-not-multipart` and
 *    `text/x-shellscript` parts are typed by how they start (`handlers.type_from_starts_with`, case
 *    and leading blanks ignored): `#cloud-config`, `#!`, `#include`, `#include-once`,
 *    `#cloud-config-archive`, `#cloud-boothook`, `#part-handler`, `## template: jinja`…
 *    `Content-Transfer-Encoding` (base64, quoted-printable) is decoded. An archive is a YAML list of
 *    parts; a Jinja template is the part after its first line (its `{{ … }}` are instance data).
 * 4. A `#cloud-config` part is YAML 1.1 (PyYAML's `safe_load`): `password`, `chpasswd.list` and
 *    `chpasswd.users` are read as `cc_set_passwords` reads them (`R`/`RANDOM` and `type: RANDOM` are
 *    drawn at random; a value matching `\$(1|2a|2y|5|6)(\$.+){2}`, or `type: hash` — the default of
 *    `chpasswd.users` — is a hash), `users[]` as `cc_users_groups` does (`passwd` and
 *    `hashed_passwd` are hashes, `!`/`*` a locked account, `plain_text_passwd` is clear), `ssh_keys.*_private` are private
 *    keys, `write_files[].content` is decoded by its `encoding` (b64, gzip, gz+b64) and read as a
 *    file, `runcmd`/`bootcmd` entries as shell commands; any other key that names a secret and holds
 *    a literal scalar is a finding.
 * A part that cannot be parsed is still read as text: the secret it holds is in the user data.
 */
import * as zlib from "zlib";
import {
    CRYPT_HASH,
    dedupe,
    isLiteral,
    scanFileText,
    scanShell,
    scanValue,
    ScanRules,
    SecretFinding,
    walkStructure,
    word,
    scanArgs,
} from "./secret-scan";

const MAX_DEPTH = 6;
/** Largest decompressed size read (cloud-init has no limit; this bounds the pack's work). */
const MAX_INFLATED = 4 * 1024 * 1024;

const DECOMP_TYPES = new Set([
    "application/gzip", "application/gzip-compressed", "application/gzipped", "application/x-compress",
    "application/x-compressed", "application/x-gunzip", "application/x-gzip", "application/x-gzip-compressed",
]);

/** cloud-init's INCLUSION_TYPES_MAP, longest prefix first. */
const STARTS_WITH: readonly [string, string][] = (
    [
        ["#include", "text/x-include-url"],
        ["#include-once", "text/x-include-once-url"],
        ["#!", "text/x-shellscript"],
        ["#cloud-config", "text/cloud-config"],
        ["#part-handler", "text/part-handler"],
        ["#cloud-boothook", "text/cloud-boothook"],
        ["#cloud-config-archive", "text/cloud-config-archive"],
        ["#cloud-config-jsonp", "text/cloud-config-jsonp"],
        ["## template: jinja", "text/jinja2"],
        ["#upstart-job", "text/upstart-job"],
    ] as [string, string][]
).sort((a, b) => b[0].length - a[0].length);

export function typeFromStartsWith(payload: string, fallback?: string): string | undefined {
    const p = payload.toLowerCase().trimStart();
    for (const [prefix, type] of STARTS_WITH) if (p.startsWith(prefix)) return type;
    return fallback;
}

/** Go's `base64.StdEncoding.DecodeString` acceptance: CR and LF ignored, padding required. */
export function isStdBase64(s: string): boolean {
    const t = s.replace(/[\r\n]/g, "");
    return t.length > 0 && t.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(t);
}

function gunzipMaybe(b: Buffer): { data: Buffer; gzip: boolean } {
    if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
        try {
            return { data: zlib.gunzipSync(b, { maxOutputLength: MAX_INFLATED }), gzip: true };
        } catch {
            return { data: b, gzip: false };
        }
    }
    return { data: b, gzip: false };
}

/** What the instance receives from the `userData` property, and the encodings taken off. */
export function userDataBytes(raw: string): { data: Buffer; encodings: string[] } {
    const encodings: string[] = [];
    let data: Buffer;
    if (isStdBase64(raw)) {
        data = Buffer.from(raw.replace(/[\r\n]/g, ""), "base64");
        encodings.push("base64");
    } else data = Buffer.from(raw, "utf8");
    const g = gunzipMaybe(data);
    if (g.gzip) encodings.push("gzip");
    return { data: g.data, encodings };
}

// ------------------------------------------------------------------------------------------------
// MIME, as Python's email package reads what cloud-init hands it.

interface MimeEntity {
    headers: Map<string, string>;
    body: string;
}

function parseEntity(text: string): MimeEntity {
    const headers = new Map<string, string>();
    const lines = text.split(/\r?\n/);
    let i = 0;
    let last: string | undefined;
    for (; i < lines.length; i++) {
        const l = lines[i];
        if (l === "") {
            i++;
            break;
        }
        if (/^[ \t]/.test(l) && last) {
            headers.set(last, `${headers.get(last)} ${l.trim()}`);
            continue;
        }
        const m = /^([!-9;-~]+):\s*(.*)$/.exec(l);
        if (!m) break; // not a header: the body starts here
        last = m[1].toLowerCase();
        if (!headers.has(last)) headers.set(last, m[2]);
    }
    return { headers, body: lines.slice(i).join("\n") };
}

function contentType(h: Map<string, string>, fallback: string): { type: string; params: Map<string, string> } {
    const raw = h.get("content-type");
    const params = new Map<string, string>();
    if (!raw) return { type: fallback, params };
    const [type, ...rest] = raw.split(";");
    for (const p of rest) {
        const m = /^\s*([^=\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;]*))/.exec(p);
        if (m) params.set(m[1].toLowerCase(), m[2] ?? m[3] ?? "");
    }
    const t = type.trim().toLowerCase();
    return { type: /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t) ? t : "text/plain", params };
}

function decodeTransfer(body: string, encoding: string | undefined): Buffer {
    const e = (encoding ?? "").trim().toLowerCase();
    if (e === "base64") return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
    if (e === "quoted-printable") {
        const s = body.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
        return Buffer.from(s, "latin1");
    }
    return Buffer.from(body, "utf8");
}

interface Leaf {
    type: string;
    data: Buffer;
    filename?: string;
}

function mimeLeaves(e: MimeEntity, fallback: string, depth: number, out: Leaf[]): void {
    const { type, params } = contentType(e.headers, fallback);
    if (type.startsWith("multipart/")) {
        const boundary = params.get("boundary");
        if (!boundary || depth > MAX_DEPTH) return;
        const delim = `--${boundary}`;
        const lines = e.body.split(/\r?\n/);
        let cur: string[] | undefined;
        for (const l of lines) {
            if (l.trimEnd() === `${delim}--`) {
                if (cur) mimeLeaves(parseEntity(cur.join("\n")), type === "multipart/digest" ? "message/rfc822" : "text/plain", depth + 1, out);
                cur = undefined;
                break;
            }
            if (l.trimEnd() === delim) {
                if (cur) mimeLeaves(parseEntity(cur.join("\n")), type === "multipart/digest" ? "message/rfc822" : "text/plain", depth + 1, out);
                cur = [];
                continue;
            }
            cur?.push(l);
        }
        if (cur) mimeLeaves(parseEntity(cur.join("\n")), "text/plain", depth + 1, out);
        return;
    }
    const disposition = e.headers.get("content-disposition") ?? "";
    const fn = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1];
    out.push({ type, data: decodeTransfer(e.body, e.headers.get("content-transfer-encoding")), filename: fn });
}

// ------------------------------------------------------------------------------------------------
// Parts.

/** A part of the user data as cloud-init handles it. */
export interface UserDataPart {
    type: string;
    /** The part's number, from 1, as it appears in findings. */
    index: number;
    text: string;
}

/** The parts cloud-init handles, in order (includes are listed, not fetched). */
export function userDataParts(raw: string): { parts: UserDataPart[]; encodings: string[] } {
    const { data, encodings } = userDataBytes(raw);
    const parts: UserDataPart[] = [];
    const text = data.toString("utf8");
    let leaves: Leaf[];
    if (data.subarray(0, 4096).toString("latin1").toLowerCase().includes("mime-version:")) {
        leaves = [];
        mimeLeaves(parseEntity(text), "text/plain", 0, leaves);
        encodings.push("mime");
    } else leaves = [{ type: "text/x-not-multipart", data }];
    for (const l of leaves) addPart(l.type, l.data, parts, 0);
    return { parts, encodings };
}

function addPart(ctype: string | undefined, data: Buffer, parts: UserDataPart[], depth: number): void {
    if (depth > MAX_DEPTH) return;
    let type = ctype;
    if (type && DECOMP_TYPES.has(type)) {
        const g = gunzipMaybe(data);
        if (!g.gzip) return; // cloud-init skips a part it cannot decompress
        data = g.data;
        type = undefined;
    }
    const text = data.toString("utf8");
    if (!type) type = "text/plain";
    if (type === "text/plain" || type === "text/x-not-multipart" || type === "text/x-shellscript") type = typeFromStartsWith(text) ?? type;
    if (type === "text/cloud-config-archive") {
        const entries = loadYaml(text);
        if (!Array.isArray(entries)) {
            parts.push({ type, index: parts.length + 1, text });
            return;
        }
        for (const ent of entries) {
            const e = typeof ent === "string" ? { content: ent } : ent;
            if (!e || typeof e !== "object" || Array.isArray(e)) continue;
            const content = (e as Record<string, unknown>)["content"];
            const c = typeof content === "string" ? content : "";
            const t = (e as Record<string, unknown>)["type"];
            addPart(typeof t === "string" && t.includes("/") ? t.toLowerCase() : typeFromStartsWith(c, "text/cloud-config"), Buffer.from(c, "utf8"), parts, depth + 1);
        }
        return;
    }
    if (type === "text/jinja2") {
        const rest = text.replace(/^\s*##[^\n]*\n?/, "");
        addPart(typeFromStartsWith(rest, "text/plain"), Buffer.from(rest, "utf8"), parts, depth + 1);
        return;
    }
    parts.push({ type, index: parts.length + 1, text });
}

let yamlModule: typeof import("yaml") | undefined;

/** YAML 1.1, as PyYAML's safe_load reads it; `undefined` when it does not parse. */
export function loadYaml(text: string): unknown {
    yamlModule ??= require("yaml") as typeof import("yaml");
    try {
        const doc = yamlModule.parseDocument(text, { version: "1.1", uniqueKeys: false });
        if (doc.errors.length > 0) return undefined;
        return doc.toJS({ maxAliasCount: 100 });
    } catch {
        return undefined;
    }
}

// ------------------------------------------------------------------------------------------------
// Findings.

export interface UserDataOptions {
    rules: ScanRules;
}

function passwordKind(p: unknown): "password" | "hash" | undefined {
    if (typeof p === "number") return "password";
    if (typeof p !== "string") return undefined;
    if (p === "R" || p === "RANDOM" || !isLiteral(p)) return undefined;
    return CRYPT_HASH.test(p) && !p.includes(":") ? "hash" : "password";
}

function rec(v: unknown): Record<string, unknown> | undefined {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function decodeWriteFile(content: unknown, encoding: unknown): string | undefined {
    if (typeof content !== "string") return undefined;
    const e = typeof encoding === "string" ? encoding.toLowerCase().trim() : "";
    try {
        if (e === "b64" || e === "base64") return Buffer.from(content, "base64").toString("utf8");
        if (e === "gz" || e === "gzip") return gunzipMaybe(Buffer.from(content, "latin1")).data.toString("utf8");
        if (["gz+b64", "gzip+base64", "gz+base64", "gzip+b64"].includes(e)) return gunzipMaybe(Buffer.from(content, "base64")).data.toString("utf8");
    } catch {
        return content;
    }
    return content;
}

function cloudConfig(cfg: Record<string, unknown>, where: string, rules: ScanRules, out: SecretFinding[]): void {
    const at = (p: string) => `${where} ${p}`;
    const pw = (p: unknown, path: string, name: string) => {
        const k = passwordKind(p);
        if (k) out.push({ kind: k, where: at(path), name });
    };
    pw(cfg["password"], "password", "password");
    const ch = rec(cfg["chpasswd"]);
    if (ch) {
        const list = ch["list"];
        const lines = typeof list === "string" ? list.split(/\r?\n/) : Array.isArray(list) ? list : [];
        lines.forEach((l, i) => {
            if (typeof l !== "string") return;
            const k = l.indexOf(":");
            if (k > 0) pw(l.slice(k + 1), `chpasswd.list[${i}]`, "chpasswd");
        });
        const users = ch["users"];
        if (Array.isArray(users))
            users.forEach((u, i) => {
                const e = rec(u);
                if (!e) return;
                const type = e["type"] ?? "hash";
                const p = e["password"];
                if (type === "RANDOM" || !isLiteral(p)) return;
                out.push({ kind: type === "text" ? "password" : "hash", where: at(`chpasswd.users[${i}].password`), name: "chpasswd" });
            });
    }
    const users = cfg["users"];
    const entries: [string, unknown][] = Array.isArray(users)
        ? users.map((u, i) => [`users[${i}]`, u])
        : rec(users)
          ? Object.entries(rec(users)!).map(([k, v]) => [`users.${k}`, v])
          : [];
    for (const [path, u] of entries) {
        const e = rec(u);
        if (!e) continue;
        for (const [field, kind] of [["passwd", "hash"], ["hashed_passwd", "hash"], ["plain_text_passwd", "password"]] as const) {
            const v = e[field];
            // `!`, `*`, `!!`: a locked account (shadow(5)), no password.
            if (isLiteral(v) && !(typeof v === "string" && /^[!*]+$/.test(v.trim()))) out.push({ kind, where: at(`${path}.${field}`), name: field });
        }
    }
    const keys = rec(cfg["ssh_keys"]);
    if (keys) for (const [k, v] of Object.entries(keys)) if (/_private$/.test(k) && isLiteral(v)) out.push({ kind: "private-key", where: at(`ssh_keys.${k}`), name: k });
    const files = cfg["write_files"];
    if (Array.isArray(files))
        files.forEach((f, i) => {
            const e = rec(f);
            const content = decodeWriteFile(e?.["content"], e?.["encoding"]);
            if (content === undefined) return;
            const path = typeof e?.["path"] === "string" ? ` ${e["path"]}` : "";
            scanFileText(content, at(`write_files[${i}]${path}`), rules, out);
        });
    for (const key of ["runcmd", "bootcmd"]) {
        const cmds = cfg[key];
        if (!Array.isArray(cmds)) continue;
        cmds.forEach((c, i) => {
            const here = at(`${key}[${i}]`);
            if (typeof c === "string") scanShell(c, here, rules, out);
            else if (Array.isArray(c)) scanArgv(c.map((x) => (typeof x === "string" ? x : String(x))), here, rules, out);
        });
    }
    const judged = new Set(["password", "chpasswd", "users", "ssh_keys", "write_files", "runcmd", "bootcmd"]);
    const skip = (p: string) =>
        judged.has(p) || /^users(\[\d+\]|\.[^.]+)\.(passwd|hashed_passwd|plain_text_passwd)$/.test(p);
    walkStructure(cfg, "", where, rules, out, skip);
}

/** An argument vector run without a shell (cloud-init `runcmd` lists, a container's command). */
export function scanArgv(argv: readonly string[], where: string, rules: ScanRules, out: SecretFinding[]): void {
    if (argv.length === 0) return;
    const name = argv[0].slice(argv[0].lastIndexOf("/") + 1);
    const shells = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh"]);
    if (shells.has(name)) {
        const c = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
        if (c > 0 && typeof argv[c + 1] === "string") {
            scanShell(argv[c + 1], where, rules, out);
            return;
        }
    }
    const words = argv.map((a) => word(a, /\$\([A-Za-z_][A-Za-z0-9_]*\)/.test(a)));
    scanArgs(name, words.slice(1), where, rules, out);
    for (const a of argv) scanValue(a, where, rules, out);
}

/** Every secret cloud-init would be handed in this user data (see the module's comment). */
export function scanUserData(raw: string, opts: UserDataOptions): { findings: SecretFinding[]; parts: UserDataPart[]; encodings: string[] } {
    const { parts, encodings } = userDataParts(raw);
    const out: SecretFinding[] = [];
    const rules = opts.rules;
    for (const p of parts) {
        const where = `#${p.index} ${p.type}`;
        switch (p.type) {
            case "text/cloud-config": {
                const cfg = loadYaml(p.text);
                if (rec(cfg)) cloudConfig(rec(cfg)!, where, rules, out);
                else scanFileText(p.text, where, rules, out);
                break;
            }
            case "text/x-shellscript":
            case "text/cloud-boothook":
            case "text/x-shellscript-per-boot":
            case "text/x-shellscript-per-instance":
            case "text/x-shellscript-per-once":
                scanShell(p.text, where, rules, out);
                break;
            case "text/x-include-url":
            case "text/x-include-once-url":
                p.text.split(/\r?\n/).forEach((l, i) => scanValue(l, `${where}:${i + 1}`, rules, out));
                break;
            default:
                scanFileText(p.text, where, rules, out);
        }
    }
    return { findings: dedupe(out), parts, encodings };
}
