/**
 * The reference stacks (stacks/*), for every stack configuration and provider profile: no mandatory
 * violation under mocks; every need that applies to the profile exercised, except those listed here
 * with the reason; the committed conformance matrices up to date (`npm run matrices`); deliberately
 * broken copies (one mistake each) raise exactly the expected need; the stacks import the components
 * through their public entry point only. And the whole pack holds on a realistic stack of more than
 * 500 resources, with unknowns and secrets, without an RPC error and with the expected count of
 * violations per need id.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import YAML from "yaml";
import { NEEDS } from "@cloud-de-confiance/policies/dist/lib/catalogue";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { CheckResult } from "../src/checker/model";
import { ProgramRun } from "../src/checker/program";
import {
    checkReferenceStack,
    INDEX_FILE,
    indexDocument,
    matrixDocument,
    matrixFile,
    needApplies,
    profileOf,
    REFERENCE_STACKS,
    ReferenceStack,
    runReferenceStack,
} from "../src/docs/matrices";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck, parsePolicyConfig } from "../src/engine/engine";
import { EngineResource, secret, UNKNOWN } from "../src/engine/types";
import { needsOf } from "./support/fixtures";
import { ROOT, startPack } from "./support/pack";

/** Policies that report figures (PIL-03, PIL-05): one advisory summary on every stack, never a violation. */
const SUMMARIES = new Set(ruleModules().filter((m) => m.rule.summary).map((m) => m.rule.name));
let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

/** Needs without a rule in this version of the pack: never exercised, by any stack. */
const WITHOUT_RULE = NEEDS.map((n) => n.id).filter((id) => !ruleModules().some((m) => m.rule.needs.includes(id)));

const K8S_ONLY = "l'application web est publiée par des instances et un répartiteur ; sa partie Kubernetes tourne sur un cluster donné";
/**
 * Needs that apply to the profile but that a stack does not exercise, with the reason. Anything
 * else that applies must be exercised.
 */
const NOT_EXERCISED: Record<string, Record<string, string>> = {
    "application-web": {
        "RES-07": `aucun Kubernetes géré dans cette pile : ${K8S_ONLY} (RES-07 est exercé par kubernetes-gere)`,
        "SEC-11": `aucun Kubernetes géré dans cette pile : ${K8S_ONLY} (SEC-11 est exercé par kubernetes-gere)`,
        "SEC-12": "aucun identifiant applicatif : rien dans la pile n'appelle l'API OpenStack (SEC-12 est exercé par service-donnees)",
        "SEC-15": "aucun objet RBAC : le compte de service de la charge n'a ni droit ni jeton (SEC-15 est exercé par kubernetes-gere)",
        "SEC-16": "aucun VPN : l'administration passe par le bastion (SEC-16 est exercé par kubernetes-gere)",
    },
    "kubernetes-gere": {
        "RES-01": "aucune instance Nova : les nœuds sont créés par Magnum, répartis par ses groupes de nœuds",
        "RES-02": "aucune instance, aucun volume ni répartiteur déclaré : Magnum place ses nœuds et le répartiteur de l'API",
        "RES-03": "aucun volume attaché à une instance : les volumes des pods passent par la StorageClass (RES-11)",
        "RES-04": "aucune instance Nova (les nœuds de Magnum)",
        "RES-05": "aucun pool de répartiteur : Magnum crée celui de l'API, l'Ingress est publié par le contrôleur du cluster",
        "RES-06": "aucun conteneur objet ni volume déclaré : l'état de l'application vit ailleurs (service-donnees)",
        "SEC-04": "aucun écouteur de répartiteur déclaré (Ingress en HTTPS : SEC-05)",
        "SEC-06": "aucune règle de groupe de sécurité déclarée : Magnum crée ceux des nœuds ; les flux des pods sont filtrés par NetworkPolicy (SEC-14)",
        "SEC-08": "aucune adresse publique : API privée, nœuds sans IP flottante",
        "SEC-10": "aucun conteneur objet",
        "SEC-12": "aucun identifiant applicatif : Magnum donne au cluster sa propre délégation (trust)",
        "PIL-08": "ni volume ni IP flottante déclarés",
    },
    "service-donnees": {
        "RES-05": "aucun répartiteur : les clients joignent le serveur primaire",
        "RES-07": "aucun Kubernetes géré (kubernetes-gere)",
        "RES-08": "aucune charge Kubernetes : la base tourne sur des instances",
        "RES-09": "aucune charge Kubernetes",
        "RES-10": "aucune charge Kubernetes",
        "RES-11": "aucune StorageClass : les volumes sont des volumes Cinder chiffrés (SEC-03)",
        "SEC-04": "aucun écouteur de répartiteur : PostgreSQL chiffre ses connexions lui-même",
        "SEC-05": "aucun Ingress",
        "SEC-07": "aucun réseau ni port déclaré : les serveurs rejoignent le réseau de application-web",
        "SEC-11": "aucun Kubernetes géré",
        "SEC-13": "aucune charge Kubernetes",
        "SEC-14": "aucun espace de noms Kubernetes",
        "SEC-15": "aucun objet RBAC",
        "SEC-16": "aucun VPN : l'administration passe par le bastion",
        "PROD-01": "aucune charge Kubernetes",
        "PROD-02": "aucune image de conteneur",
        "PROD-03": "aucune charge Kubernetes",
        "PROD-04": "aucune charge Kubernetes",
        "PIL-07": "aucune charge Kubernetes",
    },
};

const runs = new Map<string, Promise<ProgramRun>>();
/** One run of each stack program, shared by the tests (runs are the slow part). */
function runOf(s: ReferenceStack): Promise<ProgramRun> {
    const key = `${s.pile}.${s.stack}`;
    if (!runs.has(key)) runs.set(key, runReferenceStack(s));
    return runs.get(key)!;
}
const results = new Map<string, Promise<CheckResult>>();
function resultOf(s: ReferenceStack): Promise<CheckResult> {
    const key = `${s.pile}.${s.stack}`;
    if (!results.has(key)) results.set(key, runOf(s).then((run) => checkReferenceStack(s, run, pack)));
    return results.get(key)!;
}

describe("piles de référence, par pile et par profil", () => {
    for (const s of REFERENCE_STACKS) {
        const label = `${s.pile} / ${s.stack} (profil ${profileOf(s)})`;
        test(`${label} : aucune violation obligatoire, rien d'invérifiable`, async () => {
            const r = await resultOf(s);
            assert.ok(r.resources.length >= 15, `${r.resources.length} ressources`);
            const mandatory = r.findings.filter((f) => f.enforcementLevel === "mandatory" && f.status === "violation");
            assert.deepEqual(mandatory.map((f) => `${f.policy}: ${f.message}`), []);
            assert.deepEqual(r.findings.filter((f) => f.status === "unknown").map((f) => `${f.policy}: ${f.message}`), []);
            assert.deepEqual(r.findings.map((f) => `${f.policy}: ${f.message}`), [], "aucun constat, même consultatif");
        });
        test(`${label} : chaque besoin qui s'applique au profil est exercé, sauf ceux dont la raison est donnée`, async () => {
            const r = await resultOf(s);
            const reasons = NOT_EXERCISED[s.pile] ?? {};
            const profile = profileOf(s);
            const notExercised = r.conformance.filter((c) => c.status === "not-exercised").map((c) => c.need).sort();
            const expected = NEEDS.map((n) => n.id)
                .filter((id) => !WITHOUT_RULE.includes(id) && (!needApplies(id, profile) || id in reasons))
                .sort();
            assert.deepEqual(notExercised, expected);
            // A need without a rule in this version is said to be outside the pack, never « not exercised ».
            for (const id of WITHOUT_RULE) assert.equal(r.conformance.find((c) => c.need === id)?.status, "outside-pack", id);
            for (const [need, reason] of Object.entries(reasons)) assert.ok(reason.length > 10 && needApplies(need, "ovhcloud"), need);
        });
        test(`${label} : la matrice de conformité publiée est à jour (npm run matrices)`, async () => {
            const file = matrixFile(s);
            assert.ok(fs.existsSync(file), `${path.relative(ROOT, file)} absent : lancer \`npm run matrices\``);
            assert.equal(fs.readFileSync(file, "utf8"), matrixDocument(s, await resultOf(s)), `${path.relative(ROOT, file)} est périmé : lancer \`npm run matrices\``);
        });
    }
    test("l'index des matrices est à jour, et chaque pile a ses configurations de pile et de profil", () => {
        assert.equal(fs.readFileSync(INDEX_FILE, "utf8"), indexDocument(), "docs/conformite/README.md est périmé : lancer `npm run matrices`");
        for (const s of REFERENCE_STACKS) {
            assert.ok(fs.existsSync(path.join(ROOT, "stacks", s.pile, `Pulumi.${s.stack}.yaml`)), `${s.pile}/Pulumi.${s.stack}.yaml`);
            assert.ok(fs.existsSync(path.join(ROOT, s.configuration)), s.configuration);
        }
        const piles = fs.readdirSync(path.join(ROOT, "stacks")).filter((d) => fs.existsSync(path.join(ROOT, "stacks", d, "Pulumi.yaml")));
        assert.deepEqual([...new Set(REFERENCE_STACKS.map((s) => s.pile))].sort(), piles.sort());
        for (const p of piles) {
            const stacks = fs.readdirSync(path.join(ROOT, "stacks", p)).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
            assert.deepEqual(stacks.map((f) => f.slice(7, -5)).sort(), REFERENCE_STACKS.filter((s) => s.pile === p).map((s) => s.stack).sort(), p);
        }
    });
});

// ---------------------------------------------------------------------------------------------
// Deliberately broken copies: one mistake each, exactly one need raised.
// ---------------------------------------------------------------------------------------------

type Props = Record<string, unknown>;
interface Mistake {
    title: string;
    stack: ReferenceStack;
    /** Stack configuration overrides (the program runs again with them). */
    configOverrides?: Record<string, string>;
    /** Changes the resources the program declared. */
    change?: (resources: EngineResource[]) => EngineResource[];
    need: string;
}

const stackOf = (pile: string, stack: string): ReferenceStack => REFERENCE_STACKS.find((s) => s.pile === pile && s.stack === stack)!;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** Applies `f` to the properties of the resources of `type` whose name matches `name`. */
function edit(type: string, name: RegExp, f: (p: Props) => void): (rs: EngineResource[]) => EngineResource[] {
    return (rs) => {
        let n = 0;
        const out = rs.map((r) => {
            if (r.type !== type || !name.test(r.name)) return r;
            n++;
            const c = clone(r);
            f(c.properties);
            return c;
        });
        assert.ok(n > 0, `aucune ressource ${type} ${name}`);
        return out;
    };
}
function drop(type: string, name: RegExp): (rs: EngineResource[]) => EngineResource[] {
    return (rs) => {
        const out = rs.filter((r) => !(r.type === type && name.test(r.name)));
        assert.ok(out.length < rs.length, `aucune ressource ${type} ${name}`);
        return out;
    };
}

const WEB = stackOf("application-web", "ovhcloud");
const K8S = stackOf("kubernetes-gere", "ovhcloud");
const DATA = stackOf("service-donnees", "ovhcloud");
const MISTAKES: Mistake[] = [
    { title: "une zone retirée de la configuration", stack: WEB, configOverrides: { zones: '["eu-west-par-a","eu-west-par-b"]' }, need: "RES-01" },
    { title: "le répartiteur épinglé dans une zone", stack: WEB, configOverrides: { zoneRepartiteur: "eu-west-par-a" }, need: "RES-02" },
    { title: "un écouteur en clair", stack: WEB, change: edit("openstack:loadbalancer/listener:Listener", /https$/, (p) => { p.protocol = "HTTP"; p.protocolPort = 80; delete p.defaultTlsContainerRef; }), need: "SEC-04" },
    { title: "SSH ouvert à tout Internet", stack: WEB, change: edit("openstack:networking/secGroupRule:SecGroupRule", /application-2$/, (p) => { p.remoteIpPrefix = "0.0.0.0/0"; }), need: "SEC-06" },
    { title: "un volume de données sur un type non chiffré", stack: WEB, change: edit("openstack:blockstorage/volume:Volume", /web-1-donnees$/, (p) => { p.volumeType = "classic"; }), need: "SEC-03" },
    { title: "un pool réduit aux membres d'une zone", stack: WEB, change: drop("openstack:loadbalancer/member:Member", /membre-[23]$/), need: "RES-05" },
    { title: "le conteneur de sauvegarde lisible par tous", stack: WEB, change: edit("openstack:objectstorage/container:Container", /sauvegardes$/, (p) => { p.containerRead = ".r:*"; }), need: "SEC-10" },
    { title: "l'Ingress sans TLS", stack: WEB, change: edit("kubernetes:networking.k8s.io/v1:Ingress", /.*/, (p) => { delete (p.spec as Props).tls; }), need: "SEC-05" },
    { title: "un PodDisruptionBudget manquant", stack: K8S, change: drop("kubernetes:policy/v1:PodDisruptionBudget", /.*/), need: "RES-10" },
    { title: "un pod privilégié", stack: K8S, change: edit("kubernetes:apps/v1:Deployment", /.*/, (p) => { (((p.spec as Props).template as Props).spec as { containers: Props[] }).containers[0].securityContext = { privileged: true, runAsNonRoot: true, allowPrivilegeEscalation: false }; }), need: "SEC-13" },
    { title: "le refus par défaut retiré", stack: K8S, change: drop("kubernetes:networking.k8s.io/v1:NetworkPolicy", /refus-par-defaut$/), need: "SEC-14" },
    { title: "cluster-admin accordé à un compte de service", stack: K8S, change: edit("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", /.*/, (p) => { p.roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }; p.subjects = [{ kind: "ServiceAccount", name: "portail-usagers", namespace: "portail-usagers" }]; }), need: "SEC-15" },
    { title: "un seul maître", stack: K8S, change: edit("openstack:containerinfra/cluster:Cluster", /.*/, (p) => { p.masterCount = 1; }), need: "RES-07" },
    { title: "des IP flottantes sur les nœuds", stack: K8S, change: edit("openstack:containerinfra/clusterTemplate:ClusterTemplate", /.*/, (p) => { p.floatingIpEnabled = true; }), need: "SEC-11" },
    { title: "un VPN en groupe Diffie-Hellman 5", stack: K8S, change: edit("openstack:vpnaas/ikePolicy:IkePolicy", /.*/, (p) => { p.pfs = "group5"; }), need: "SEC-16" },
    { title: "l'autoscaler et le Deployment à un réplica", stack: K8S, change: (rs) => edit("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", /.*/, (p) => { (p.spec as Props).minReplicas = 1; (p.spec as Props).maxReplicas = 1; })(edit("kubernetes:apps/v1:Deployment", /.*/, (p) => { (p.spec as Props).replicas = 1; })(rs)), need: "RES-08" },
    { title: "une image sans étiquette", stack: K8S, change: edit("kubernetes:apps/v1:Deployment", /.*/, (p) => { (((p.spec as Props).template as Props).spec as { containers: Props[] }).containers[0].image = "registre.eu-west-par.exemple.gouv.fr/portail-usagers/web"; }), need: "PROD-02" },
    { title: "un mot de passe dans les données utilisateur", stack: DATA, change: edit("openstack:compute/instance:Instance", /base-1$/, (p) => { p.userData = "#cloud-config\nchpasswd:\n  expire: false\n  users:\n    - {name: postgres, password: Sup3rSecret!, type: text}\n"; }), need: "SEC-09" },
    { title: "un identifiant applicatif non restreint", stack: DATA, change: edit("openstack:identity/applicationCredential:ApplicationCredential", /.*/, (p) => { p.unrestricted = true; }), need: "SEC-12" },
    { title: "le port de la base ouvert à tout Internet", stack: DATA, change: edit("openstack:networking/secGroupRule:SecGroupRule", /base-1$/, (p) => { delete p.remoteGroupId; p.remoteIpPrefix = "0.0.0.0/0"; }), need: "SEC-06" },
    { title: "un volume de données dans une autre zone que son serveur", stack: DATA, change: edit("openstack:blockstorage/volume:Volume", /base-2-donnees$/, (p) => { p.availabilityZone = "eu-west-par-c"; }), need: "RES-03" },
];

describe("copies délibérément fautives : une erreur, exactement le besoin attendu", () => {
    for (const mistake of MISTAKES) {
        test(`${mistake.stack.pile} / ${mistake.stack.stack} : ${mistake.title} → ${mistake.need}`, async () => {
            const s = mistake.stack;
            const run = mistake.configOverrides ? await runReferenceStack(s, mistake.configOverrides) : await runOf(s);
            const resources = mistake.change ? mistake.change(run.resources) : run.resources;
            const config = parsePolicyConfig(JSON.parse(fs.readFileSync(path.join(ROOT, s.configuration), "utf8")));
            const ev = await evaluate(pack, resources, { config, stack: { project: run.project, stack: run.stack, tags: run.stackTags, config: run.config, secretKeys: run.secretConfigKeys } });
            const raised = new Set(ev.diagnostics.filter((d) => !isCannotCheck(d) && d.enforcementLevel === "mandatory").flatMap((d) => needsOf(d.message)));
            assert.deepEqual([...raised], [mistake.need], ev.diagnostics.map((d) => d.message).join("\n"));
            assert.deepEqual(ev.diagnostics.filter(isCannotCheck).map((d) => d.message), []);
        });
    }
});

// ---------------------------------------------------------------------------------------------
// The component package: compiled, and imported through its public entry point only.
// ---------------------------------------------------------------------------------------------

describe("paquet de composants", () => {
    const COMPOSANTS = path.join(ROOT, "stacks/composants");
    test("compilé (déclarations comprises) et exporté par un seul point d'entrée", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(COMPOSANTS, "package.json"), "utf8")) as { name: string; exports: Record<string, unknown>; main: string; types: string };
        assert.equal(pkg.name, "@cloud-de-confiance/composants");
        assert.deepEqual(Object.keys(pkg.exports).sort(), [".", "./package.json"]);
        for (const f of [pkg.main, pkg.types]) assert.ok(fs.existsSync(path.join(COMPOSANTS, f)), f);
        const api = require(require.resolve("@cloud-de-confiance/composants", { paths: [path.join(ROOT, "stacks/application-web")] })) as Record<string, unknown>;
        for (const c of ["GroupeInstances", "RepartiteurHttps", "MatriceDeFlux", "KubernetesGere", "ChargeDurcie", "EspaceDeNoms", "ConteneurSauvegarde", "VpnSiteASite"]) {
            assert.equal(typeof api[c], "function", c);
        }
        assert.throws(() => require.resolve("@cloud-de-confiance/composants/dist/repartiteur", { paths: [path.join(ROOT, "stacks/application-web")] }), /ERR_PACKAGE_PATH_NOT_EXPORTED|not defined by "exports"/);
    });
    test("chaque composant nomme dans sa documentation les besoins qu'il satisfait", () => {
        const dir = path.join(COMPOSANTS, "src");
        for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".ts") && x !== "index.ts" && x !== "imputation.ts")) {
            const text = fs.readFileSync(path.join(dir, f), "utf8");
            const doc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export class (\w+)/.exec(text);
            assert.ok(doc, `${f} : classe sans documentation`);
            assert.match(doc[1], /Besoins satisfaits : /, `${f} : ${doc[2]}`);
            const ids = doc[1].match(/\b[A-Z]{3,4}-\d{2}\b/g) ?? [];
            assert.ok(ids.length > 0 && ids.every((id) => NEEDS.some((n) => n.id === id)), `${doc[2]} : ${ids.join(", ")}`);
        }
    });
    test("les piles n'importent les composants que par leur point d'entrée public", () => {
        for (const pile of new Set(REFERENCE_STACKS.map((s) => s.pile))) {
            const dir = path.join(ROOT, "stacks", pile);
            const files = ["index.ts", ...(fs.existsSync(path.join(dir, "src")) ? fs.readdirSync(path.join(dir, "src")).map((f) => `src/${f}`) : [])];
            let uses = 0;
            for (const f of files.filter((x) => x.endsWith(".ts"))) {
                for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/from\s+"([^"]+)"/g)) {
                    const spec = m[1];
                    if (spec === "@cloud-de-confiance/composants") uses++;
                    assert.ok(!spec.startsWith("@cloud-de-confiance/composants/") && !spec.includes("composants/"), `${pile}/${f} : ${spec}`);
                    if (spec.startsWith(".")) assert.ok(!path.relative(dir, path.resolve(path.dirname(path.join(dir, f)), spec)).startsWith(".."), `${pile}/${f} : ${spec}`);
                }
            }
            assert.ok(uses > 0, `${pile} n'utilise pas les composants`);
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
            assert.ok(pkg.dependencies["@cloud-de-confiance/composants"], `${pile}/package.json`);
        }
    });
});

test("les déclarations de configuration des projets sont celles qu'admet la CLI (string, integer, boolean, array)", () => {
    const projects = ["Pulumi.yaml", ...REFERENCE_STACKS.map((s) => `stacks/${s.pile}/Pulumi.yaml`)];
    for (const f of new Set(projects)) {
        const doc = YAML.parse(fs.readFileSync(path.join(ROOT, f), "utf8")) as { config?: Record<string, { type?: string; items?: { type?: string } }> };
        for (const [k, d] of Object.entries(doc.config ?? {})) {
            assert.ok(["string", "integer", "boolean", "array"].includes(d.type ?? ""), `${f} ${k} : type ${d.type}`);
            if (d.type === "array") assert.ok(d.items?.type, `${f} ${k} : items`);
        }
    }
});

test("le projet racine déclare la même configuration que stacks/application-web", () => {
    const strip = (f: string) => fs.readFileSync(f, "utf8").split("\n").filter((l) => !l.startsWith("#") && !/^(main|stackConfigDir):/.test(l)).join("\n");
    assert.equal(strip(path.join(ROOT, "Pulumi.yaml")), strip(path.join(ROOT, "stacks/application-web/Pulumi.yaml")));
});

async function reference(stack: string) {
    const s = stackOf("application-web", stack);
    const run = await runOf(s);
    const config = parsePolicyConfig(JSON.parse(fs.readFileSync(path.join(ROOT, s.configuration), "utf8")));
    return { run, config, ctx: { project: run.project, stack: run.stack, tags: run.stackTags, config: run.config, secretKeys: run.secretConfigKeys } };
}

/**
 * K copies of the reference stack, as K applications would be: names, services and Kubernetes
 * namespaces suffixed, relations remapped.
 */
function copies(base: EngineResource[], k: number): EngineResource[] {
    const out: EngineResource[] = [];
    const namespaces = new Set(base.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => (r.properties.metadata as { name?: string })?.name));
    for (let i = 1; i <= k; i++) {
        const map = new Map(base.map((r) => [r.urn, `${r.urn}-c${i}`]));
        const m = (u: string) => map.get(u) ?? u;
        const rename = (v: unknown, key = ""): unknown => {
            if (typeof v === "string") {
                if ((key === "namespace" || key === "name") && namespaces.has(v)) return `${v}-c${i}`;
                return v.startsWith("service=") ? `${v}-c${i}` : v;
            }
            if (Array.isArray(v)) return v.map((x) => rename(x));
            if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([kk, x]) => [kk, kk === "service" && typeof x === "string" ? `${x}-c${i}` : rename(x, kk)]));
            return v;
        };
        for (const r of base) {
            out.push({
                ...r,
                properties: rename(r.properties) as Record<string, unknown>,
                urn: m(r.urn),
                name: `${r.name}-c${i}`,
                parent: r.parent ? m(r.parent) : undefined,
                dependencies: (r.dependencies ?? []).map(m),
                propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([p, us]) => [p, us.map(m)])),
            });
        }
    }
    return out;
}

const COST = ["application=portail", "environnement=production", "centre-de-cout=CC-1", "proprietaire=equipe"];
const costMap = { application: "portail", environnement: "production", "centre-de-cout": "CC-1", proprietaire: "equipe" };
const urn = (type: string, name: string) => `urn:pulumi:ovhcloud::application-web::${type}::${name}`;
const defect = (type: string, name: string, properties: Record<string, unknown>, protect = false): EngineResource =>
    ({ urn: urn(type, name), type, name, properties, options: { protect } });
/** The engine gives every resource its provider: the injected ones get the stack's OpenStack provider. */
const withProvider = (base: EngineResource[], r: EngineResource): EngineResource =>
    ({ ...r, provider: base.find((b) => b.provider?.type === "pulumi:providers:openstack")?.provider });

test("pile mixte de plus de 500 ressources : aucun échec RPC, nombre attendu de violations par besoin", async () => {
    const { run, config, ctx } = await reference("ovhcloud");
    const resources = copies(run.resources, 11);
    const injected: EngineResource[] = [];
    for (let i = 0; i < 7; i++) {
        injected.push(defect("openstack:networking/secGroupRule:SecGroupRule", `ssh-monde-${i}`, {
            direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 22, portRangeMax: 22,
            remoteIpPrefix: "0.0.0.0/0", securityGroupId: UNKNOWN, description: secret(`jeton-de-service-${i}`),
        }));
    }
    for (let i = 0; i < 5; i++) {
        injected.push(defect("openstack:objectstorage/container:Container", `public-${i}`, { name: `public-${i}`, containerRead: ".r:*,.rlistings", metadata: costMap }, true));
    }
    for (let i = 0; i < 4; i++) {
        injected.push(defect("openstack:networking/port:Port", `port-ouvert-${i}`, { networkId: UNKNOWN, portSecurityEnabled: false, tags: COST }));
    }
    for (let i = 0; i < 3; i++) {
        injected.push(defect("openstack:blockstorage/volume:Volume", `inconnu-${i}`, {
            size: 10, availabilityZone: "eu-west-par-a", volumeType: UNKNOWN, metadata: { ...costMap, conserver: "true" },
        }, true));
    }
    const all = [...resources, ...injected.map((r) => withProvider(run.resources, r))];
    assert.ok(all.length >= 500, `${all.length} ressources`);
    assert.ok(all.some((r) => r.type.startsWith("kubernetes:")) && all.some((r) => r.type.startsWith("openstack:")));

    const ev = await evaluate(pack, all, { config, stack: ctx });
    const violations = new Map<string, number>();
    const cannot = new Map<string, number>();
    for (const d of ev.diagnostics) {
        if (SUMMARIES.has(d.policyName)) continue;
        if (isCannotCheck(d)) cannot.set(d.policyName, (cannot.get(d.policyName) ?? 0) + 1);
        else for (const n of needsOf(d.message)) violations.set(n, (violations.get(n) ?? 0) + 1);
    }
    // Eleven copies of the reference stack cost more than the example configuration's budgets (PIL-04:
    // the stack's and its cost centre's).
    assert.deepEqual(Object.fromEntries([...violations].sort()), { "PIL-04": 2, "SEC-06": 7, "SEC-07": 4, "SEC-10": 5 });
    assert.deepEqual(Object.fromEntries(cannot), { "sec-03-chiffrement-au-repos": 3 });
    for (const d of ev.diagnostics) assert.ok(!/jeton-de-service-\d/.test(d.message), d.message);
});
