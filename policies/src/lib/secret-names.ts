/**
 * Whether a name (environment variable, configuration key, command-line option) designates a
 * secret, judged on what the name says rather than on a substring.
 *
 * A compound name is read as English compounds are: its last meaningful word (the head) tells what
 * it holds, the words before qualify it. `MYSQL_ROOT_PASSWORD`, `dbPassword`, `PGPASSWORD`,
 * `AWS_SECRET_ACCESS_KEY`, `api-key` hold secrets; `PASSWORD_MIN_LENGTH`, `TOKEN_URL`,
 * `SECRET_NAME`, `DB_SECRET_REF`, `TOKEN_TTL_SECONDS`, `POSTGRES_PASSWORD_FILE` name a length, an
 * address, a reference or a path: their head is not a secret noun. A qualifier that makes the name
 * a setting (`MYSQL_ALLOW_EMPTY_PASSWORD`, `MYSQL_RANDOM_ROOT_PASSWORD`, `lock_passwd`) makes it
 * no secret either.
 *
 * Words are split at `_`, `-`, `.`, spaces and camelCase boundaries, lower-cased, trailing digits
 * dropped (`password2`) and plurals read as singular (`passwords`).
 */
export interface NameRules {
    /** Nouns that name a secret (`password`, `token`…). Nouns of 5 letters or more also end a glued word (`pgpassword`). */
    nouns: readonly string[];
    /** Short nouns (`pass`, `pwd`) that name a secret only as a whole word after a qualifier (`DB_PASS`; `PWD` alone is the working directory). */
    shortNouns: readonly string[];
    /** Words that make `<word> key` a secret (`api key`, `private key`, `secret key`…). */
    keyQualifiers: readonly string[];
    /** Words that may follow the head without changing what the name holds (`value`, `b64`, `hash`…). */
    neutral: readonly string[];
    /** Words that make the name a setting about a secret, not a secret (`allow`, `random`, `lock`…). */
    settings: readonly string[];
}

export const DEFAULT_NAME_RULES: NameRules = {
    nouns: ["password", "passwd", "passphrase", "secret", "token", "apikey", "privatekey", "secretkey"],
    shortNouns: ["pass", "pwd", "pw"],
    keyQualifiers: ["api", "private", "secret", "encryption", "signing", "master", "registration", "license"],
    neutral: ["value", "plain", "plaintext", "text", "raw", "str", "string", "b64", "base64", "hex", "hash", "hashed", "encrypted", "enc", "base", "data"],
    settings: [
        "allow", "allowed", "random", "generate", "generated", "empty", "require", "required", "enable", "enabled",
        "disable", "disabled", "use", "skip", "no", "lock", "expire", "expired", "min", "max", "has", "is", "check",
        "verify", "validate", "auto", "rotate", "ignore", "prompt", "without",
    ],
};

/** The words of a name: `dbPasswordFILE` → `db`, `password`, `file`. */
export function nameWords(name: string): string[] {
    return name
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
        .split(/[^A-Za-z0-9]+/)
        .map((w) => w.toLowerCase())
        .filter((w) => w.length > 0);
}

function singular(w: string, known: ReadonlySet<string>): string {
    const t = w.replace(/\d+$/, "");
    if (t.length === 0) return w;
    if (known.has(t)) return t;
    if (t.endsWith("s") && known.has(t.slice(0, -1))) return t.slice(0, -1);
    return w;
}

/** Whether the name designates a secret value (see the module's comment). */
export function isSecretName(name: string, rules: NameRules = DEFAULT_NAME_RULES): boolean {
    const nouns = new Set(rules.nouns.map((n) => n.toLowerCase()));
    const short = new Set(rules.shortNouns.map((n) => n.toLowerCase()));
    const known = new Set([...nouns, ...short, "key"]);
    const words = nameWords(name)
        .filter((w) => !/^\d+$/.test(w))
        .map((w) => singular(w, known));
    const neutral = new Set(rules.neutral.map((n) => n.toLowerCase()));
    let i = words.length - 1;
    while (i >= 0 && neutral.has(words[i])) i--;
    if (i < 0) return false;
    const head = words[i];
    const before = words.slice(0, i);
    let secret = false;
    if (head === "key") {
        const q = before[before.length - 1];
        const qualifiers = new Set(rules.keyQualifiers.map((n) => n.toLowerCase()));
        // `secret access key`: the access key's secret half; an `access key` alone is an identifier.
        secret = q !== undefined && (qualifiers.has(q) || (q === "access" && before[before.length - 2] === "secret"));
    } else if (nouns.has(head)) {
        secret = true;
    } else if (short.has(head)) {
        secret = before.length > 0;
    } else {
        for (const n of nouns) if (n.length >= 5 && head.length > n.length && head.endsWith(n)) secret = true;
    }
    if (!secret) return false;
    const settings = new Set(rules.settings.map((n) => n.toLowerCase()));
    return !before.some((w) => settings.has(w));
}
