/**
 * SEC-09, SEC-13, SEC-14 and SEC-15 judge meaning, not spelling:
 * - a corpus of realistic compliant variants raises no mandatory finding of these rules, and
 *   non-compliant variants written other valid ways are caught (through the pack, over gRPC);
 * - property tests: secret-bearing names against look-alike safe names, and the same user data
 *   under every encoding cloud-init accepts.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import * as zlib from "zlib";
import type { Fixture } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { DEFAULT_NAME_RULES, isSecretName } from "@cloud-de-confiance/policies/dist/lib/secret-names";
import { scanUserData } from "@cloud-de-confiance/policies/dist/lib/cloud-init";
import { normaliseCapability } from "@cloud-de-confiance/policies/dist/rules/SEC-13/sec-13-pods-durcis";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck } from "../src/engine/engine";
import { engineResources } from "./support/fixtures";
import { startPack } from "./support/pack";
import { COMPLIANT, NON_COMPLIANT, Variant } from "./support/variants";

const RULES = new Set(["sec-09-pas-de-secret-en-clair", "sec-13-pods-durcis", "sec-14-cloisonnement", "sec-15-droits-minimaux"]);

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

async function findings(v: Variant) {
    const f: Fixture = { title: v.title, kind: "compliant", resources: v.resources, expect: { raises: [], notRaises: [] } };
    const ev = await evaluate(pack, engineResources(f), { stack: { project: "fixtures", stack: "test" } });
    return ev.diagnostics.filter((d) => RULES.has(d.policyName));
}

describe("compliant variants raise no mandatory finding", () => {
    for (const v of COMPLIANT) {
        test(`${v.rule}: ${v.title}`, async () => {
            const own = await findings(v);
            const bad = own.filter((d) => d.enforcementLevel === "mandatory" || isCannotCheck(d));
            assert.deepEqual(bad.map((d) => d.message), []);
        });
    }
});

describe("non-compliant variants are caught whatever their spelling", () => {
    for (const v of NON_COMPLIANT) {
        test(`${v.rule}: ${v.title}`, async () => {
            const own = (await findings(v)).filter((d) => d.policyName === v.rule && !isCannotCheck(d));
            assert.ok(own.length > 0, `${v.rule} attendu`);
            for (const d of own) assert.equal(d.enforcementLevel, "mandatory");
        });
    }
});

// ------------------------------------------------------------------------------------------------
// Names.

const QUALIFIERS = ["db", "mysql", "root", "admin", "app", "aws", "os", "redis", "smtp", "github", "vault", "client", "keycloak", "spring datasource", "pg"];
const HEADS = ["password", "passwd", "secret", "token", "passphrase", "pwd", "pass", "api key", "private key", "secret key", "secret access key", "apikey", "access token", "refresh token"];
const NEUTRAL = ["", "value", "b64", "2"];
const REFERENCES = ["file", "path", "dir", "ref", "name", "url", "uri", "ttl seconds", "min length", "max length", "expiry", "header", "policy", "endpoint", "id", "length", "timeout", "rotation days", "secret name", "env var"];
const SETTINGS = ["allow empty", "random", "generate", "require", "lock", "skip", "use", "enable", "disable"];

type Style = "UPPER_SNAKE" | "lower_snake" | "kebab" | "camel" | "dotted" | "Pascal";
const STYLES: Style[] = ["UPPER_SNAKE", "lower_snake", "kebab", "camel", "dotted", "Pascal"];

function spell(words: string[], style: Style): string {
    const w = words.flatMap((x) => x.split(" ")).filter((x) => x.length > 0);
    const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
    switch (style) {
        case "UPPER_SNAKE":
            return w.join("_").toUpperCase();
        case "lower_snake":
            return w.join("_");
        case "kebab":
            return w.join("-");
        case "dotted":
            return w.join(".");
        case "camel":
            return w[0] + w.slice(1).map(cap).join("");
        case "Pascal":
            return w.map(cap).join("");
    }
}

const style = fc.constantFrom(...STYLES);
const qualifiers = fc.array(fc.constantFrom(...QUALIFIERS), { minLength: 1, maxLength: 3 });

describe("names: secret-bearing against look-alike safe names", () => {
    test("a secret noun at the head of the name, whatever its qualifiers and spelling, is a secret", () => {
        fc.assert(
            fc.property(qualifiers, fc.constantFrom(...HEADS), fc.constantFrom(...NEUTRAL), style, (q, head, tail, s) => {
                const name = spell([...q, head, tail], s);
                return isSecretName(name, DEFAULT_NAME_RULES);
            }),
            { seed: 90913, numRuns: 300 },
        );
    });
    test("the same name followed by a word that makes it a reference, length, address or path is no secret", () => {
        fc.assert(
            fc.property(fc.array(fc.constantFrom(...QUALIFIERS), { maxLength: 2 }), fc.constantFrom(...HEADS), fc.constantFrom(...REFERENCES), style, (q, head, ref, s) => {
                const name = spell([...q, head, ref], s);
                return !isSecretName(name, DEFAULT_NAME_RULES);
            }),
            { seed: 90914, numRuns: 300 },
        );
    });
    test("a setting word before the secret noun makes the name a setting", () => {
        fc.assert(
            fc.property(fc.array(fc.constantFrom(...QUALIFIERS), { maxLength: 1 }), fc.constantFrom(...SETTINGS), fc.constantFrom(...HEADS), style, (q, set, head, s) => {
                const name = spell([...q, set, head], s);
                return !isSecretName(name, DEFAULT_NAME_RULES);
            }),
            { seed: 90915, numRuns: 200 },
        );
    });
    test("the names of the specification", () => {
        for (const n of ["DB_PASSWORD", "DB_PWD", "SMTP_PASS", "PGPASSWORD", "MYSQL_ROOT_PASSWORD", "JWT_SECRET", "GITHUB_TOKEN", "X_API_KEY", "TLS_PRIVATE_KEY", "AWS_SECRET_ACCESS_KEY", "OS_PASSWORD", "SECRET", "TOKEN"]) {
            assert.equal(isSecretName(n), true, n);
        }
        for (const n of ["SECRET_NAME", "DB_SECRET_REF", "TOKEN_TTL_SECONDS", "PASSWORD_MIN_LENGTH", "TOKEN_URL", "POSTGRES_PASSWORD_FILE", "API_KEY_PATH", "PWD", "OLDPWD", "AWS_ACCESS_KEY_ID", "SSH_KEY", "BYPASS_CACHE", "lock_passwd", "ssh_pwauth", "MYSQL_ALLOW_EMPTY_PASSWORD"]) {
            assert.equal(isSecretName(n), false, n);
        }
    });
});

// ------------------------------------------------------------------------------------------------
// User data: every encoding cloud-init accepts, same verdict.

const RULES_SCAN = { names: DEFAULT_NAME_RULES, commandOptions: ["mysql -p+", "curl -u:"], tokenPatterns: [] };
const secretValue = fc.stringMatching(/^[A-Za-z0-9]{6,14}$/).map((s) => `Zq9-${s}`);

const CARRIERS: ((v: string) => string)[] = [
    (v) => `#cloud-config\npassword: ${v}\n`,
    (v) => `#cloud-config\nchpasswd:\n  list: |\n    debian:${v}\n`,
    (v) => `#cloud-config\nchpasswd:\n  users:\n    - {name: debian, password: "${v}", type: text}\n`,
    (v) => `#cloud-config\nusers:\n  - name: ops\n    plain_text_passwd: "${v}"\n`,
    (v) => `#!/bin/sh\nexport DB_PASSWORD='${v}'\n`,
    (v) => `#!/bin/sh\nmysql -uroot -p${v} -e 'select 1'\n`,
    (v) => `#!/bin/sh\ncurl -u admin:${v} https://x.example.fr\n`,
    (v) => `#cloud-config\nwrite_files:\n  - path: /etc/app.env\n    content: |\n      API_TOKEN=${v}\n`,
    (v) => `#!/bin/bash\ngit clone https://deploy:${v}@git.example.fr/app.git\n`,
];
const SAFE: string[] = [
    "#cloud-config\npassword: RANDOM\n",
    "#cloud-config\nchpasswd:\n  list:\n    - debian:R\n",
    "#cloud-config\nchpasswd:\n  users:\n    - {name: debian, type: RANDOM}\n",
    "#!/bin/sh\nexport DB_PASSWORD=\"$(cat /run/secrets/db)\"\n",
    "#!/bin/sh\nexport DB_PASSWORD_FILE=/run/secrets/db\n",
    "#!/bin/sh\nmysql -u root -p appdb\n",
    "#cloud-config\nwrite_files:\n  - path: /etc/app.env\n    content: |\n      TOKEN_URL=https://sso.example.fr/token\n",
];

const b64 = (s: string) => Buffer.from(s).toString("base64");
const ENCODINGS: [string, (s: string) => string][] = [
    ["plain", (s) => s],
    ["base64", b64],
    ["base64 with line breaks", (s) => b64(s).replace(/(.{60})/g, "$1\n")],
    ["gzip+base64", (s) => zlib.gzipSync(Buffer.from(s)).toString("base64")],
    ["jinja", (s) => `## template: jinja\n${s}`],
    ["MIME base64 part", (s) => `Content-Type: multipart/mixed; boundary="B"\nMIME-Version: 1.0\n\n--B\nContent-Type: text/x-not-multipart\nContent-Transfer-Encoding: base64\n\n${b64(s)}\n--B--\n`],
    ["MIME gzip part", (s) => `Content-Type: multipart/mixed; boundary="B"\nMIME-Version: 1.0\n\n--B\nContent-Type: application/x-gzip\nContent-Transfer-Encoding: base64\n\n${zlib.gzipSync(Buffer.from(s)).toString("base64")}\n--B--\n`],
    ["archive", (s) => `#cloud-config-archive\n- content: |\n${s.split("\n").map((l) => `    ${l}`).join("\n")}\n`],
];

describe("user data: the same verdict under every encoding", () => {
    test("a secret-bearing user data is found whatever its carrier and encoding", () => {
        fc.assert(
            fc.property(secretValue, fc.integer({ min: 0, max: CARRIERS.length - 1 }), fc.integer({ min: 0, max: ENCODINGS.length - 1 }), (v, c, e) => {
                const raw = ENCODINGS[e][1](CARRIERS[c](v));
                const { findings } = scanUserData(raw, { rules: RULES_SCAN });
                return findings.length > 0 && findings.every((f) => !JSON.stringify(f).includes(v));
            }),
            { seed: 40917, numRuns: 200 },
        );
    });
    test("a user data that only refers to secrets is found clean whatever its encoding", () => {
        for (const s of SAFE) {
            for (const [name, enc] of ENCODINGS) {
                const { findings } = scanUserData(enc(s), { rules: RULES_SCAN });
                assert.deepEqual(findings, [], `${name}: ${s}`);
            }
        }
    });
});

describe("capabilities as the runtimes normalise them", () => {
    test("case and the CAP_ prefix do not change a capability", () => {
        fc.assert(
            fc.property(fc.constantFrom("SYS_ADMIN", "NET_ADMIN", "NET_BIND_SERVICE", "SYS_PTRACE", "ALL"), fc.boolean(), fc.boolean(), (cap, prefix, lower) => {
                let s = prefix && cap !== "ALL" ? `CAP_${cap}` : cap;
                if (lower) s = s.toLowerCase();
                return normaliseCapability(s) === cap;
            }),
            { seed: 13013, numRuns: 100 },
        );
    });
});
