import { ruleConfigErrors } from "./config-check";
import { captureLevels } from "./levels";
import { holdWireProperties } from "./remediation";
import { resetSession, sessionSecrets } from "./secrets";
import { applySettings, checkPolicyKeys, SETTINGS_KEY, SettingsError, setStackConfiguration } from "./settings";
import { shareDeserializedProperties, wireOf } from "./shared-properties";
import { inStackCall } from "./call-scope";
import type * as AnalyzeHandler from "./server/analyze";
import type * as AnalyzeStackHandler from "./server/analyze-stack";
import type * as RemediateHandler from "./server/remediate";
import { lazy } from "./lazy";
import { captureServe, readPolicyConfig, servedPack, setStackTags } from "./server/pack-state";

// The handlers load with the first call they answer, not at start-up (lazy.ts).
const analyzeHandler = lazy(() => require("./server/analyze") as typeof AnalyzeHandler);
const analyzeStackHandler = lazy(() => require("./server/analyze-stack") as typeof AnalyzeStackHandler);
const remediateHandler = lazy(() => require("./server/remediate") as typeof RemediateHandler);
import { parseUnknownParts, UNKNOWN_PARTS_TAG } from "./stack-knowledge";
import { dropCorruptingRemediations, guardDeserialization } from "./upstream-guard";

/**
 * `@pulumi/policy` hands each policy only its own configuration. The pack's settings (language,
 * provider profile, environment) are one entry of the same `--policy-pack-config` file, so the pack
 * reads them where the engine delivers them: the Configure call of the Analyzer protocol. This
 * wraps the `configure` and `configureStack` handlers that `@pulumi/policy` registers on its gRPC
 * server, reads what it needs, then hands the call on unchanged.
 *
 * It must run before `new PolicyPack(...)`, which creates the server.
 */
type Handler = (call: { request: any }, callback: (err: unknown, resp?: unknown) => void) => unknown;

let installed = false;
let reference: Record<string, Handler> | undefined;

/**
 * `@pulumi/policy`'s own Analyze, AnalyzeStack and Remediate handlers, wrapped as the pack's are
 * (secrets, guards, the AnalyzeStack call scope) but not replaced: the reference the pack's
 * handlers are compared with (test/analyze-handlers.test.ts). Shares the served pack's state.
 */
export function referenceHandlers(): Record<string, Handler> | undefined {
    return reference;
}

export function interceptConfiguration(): void {
    if (installed) return;
    installed = true;
    // The pack's name, version and policies, for the pack's own handlers (server/).
    captureServe();
    // Values @pulumi/policy cannot read would fail the call, or leave Remediate unanswered.
    guardDeserialization();
    shareDeserializedProperties();
    const grpcPath = require.resolve("@grpc/grpc-js", { paths: [require.resolve("@pulumi/policy")] });
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const grpc = require(grpcPath);
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service: unknown, impl: Record<string, Handler | undefined>) {
        if (impl && impl.configure && impl.analyze && impl.remediate && impl.analyzeStack) {
            const remediate = withSecrets(impl.remediate, (req) => [req], true);
            let remediateWhenEnabled: Handler | undefined;
            reference = {
                analyze: withSecrets(impl.analyze, (req) => [req], false),
                remediate,
                analyzeStack: withSecrets(inStackCall(impl.analyzeStack), (req) => req.getResourcesList(), false),
            };
            // The pack's own handlers need what @pulumi/policy's `serve` was given (pack-state.ts):
            // should it not have been seen, @pulumi/policy's handlers answer, never an empty pack.
            const own = servedPack() !== undefined;
            impl = {
                ...impl,
                configure: wrapConfigure(impl.configure),
                configureStack: wrapConfigureStack(impl.configureStack),
                // The same answers as @pulumi/policy's handlers, built once per call (server/).
                analyze: own ? withSecrets((call, cb) => analyzeHandler().analyze(call, cb), (req) => [req], false) : reference.analyze,
                remediate: own ? (call, cb) => (remediateWhenEnabled ??= remediateHandler().remediateOnlyWhenEnabled(remediate))(call, cb) : remediate,
                analyzeStack: own ? withSecrets(inStackCall((call, cb) => analyzeStackHandler().analyzeStack(call, cb)), (req) => req.getResourcesList(), false) : reference.analyzeStack,
            };
        }
        return addService.call(this, service, impl);
    };
}

function wrapConfigure(next: Handler): Handler {
    return (call, callback) => {
        try {
            let raw: unknown = undefined;
            const levels = new Map<string, number>();
            const ruleErrors: string[] = [];
            for (const [name, cfg] of call.request.getPolicyconfigMap().entries()) {
                levels.set(name, cfg.getEnforcementlevel());
                if (name === SETTINGS_KEY) raw = cfg.getProperties()?.toJavaScript() ?? {};
                else ruleErrors.push(...ruleConfigErrors(name, cfg.getProperties()?.toJavaScript()));
            }
            resetSession();
            checkPolicyKeys(levels.keys());
            if (ruleErrors.length) throw new SettingsError(`configuration du pack invalide / invalid policy pack configuration: ${ruleErrors.join("; ")}`);
            applySettings(raw);
            captureLevels(levels);
        } catch (e) {
            const grpc = require(require.resolve("@grpc/grpc-js", { paths: [require.resolve("@pulumi/policy")] }));
            const message = e instanceof SettingsError ? e.message : `configuration: ${String((e as Error)?.message ?? e)}`;
            callback({ code: grpc.status.INVALID_ARGUMENT, details: message, message });
            return;
        }
        // The policies' configuration as @pulumi/policy keeps it, taken when its Configure succeeds.
        let commit: (() => void) | undefined;
        try {
            commit = readPolicyConfig(call.request);
        } catch {
            commit = undefined; // @pulumi/policy fails the call on the same entry.
        }
        return next(call, (err, resp) => {
            if (!err) commit?.();
            callback(err, resp);
        });
    };
}

function wrapConfigureStack(next: Handler | undefined): Handler | undefined {
    if (!next) return next;
    return (call, callback) => {
        try {
            const req = call.request;
            // The checker names what it does not know of the stack in a reserved tag, removed
            // first so that no policy sees it as a tag (see stack-knowledge.ts).
            let unknown: { tags: boolean; config: boolean } | undefined;
            const tags = typeof req.getTagsMap === "function" ? req.getTagsMap() : undefined;
            const marker = tags?.get(UNKNOWN_PARTS_TAG);
            if (marker !== undefined) {
                unknown = parseUnknownParts(String(marker));
                tags.del(UNKNOWN_PARTS_TAG);
            }
            const secret = new Set<string>(typeof req.getConfigSecretKeysList === "function" ? req.getConfigSecretKeysList() : []);
            const values = new Map<string, string>();
            const keys = new Set<string>(secret);
            if (typeof req.getConfigMap === "function") {
                for (const [k, v] of req.getConfigMap().entries()) {
                    keys.add(k);
                    if (!secret.has(k)) values.set(k, String(v));
                }
            }
            setStackConfiguration(unknown ? { values, keys, unknown } : { values, keys });
        } catch {
            // The stack configuration is a convenience for remediations; never fail the call for it.
        }
        return next(call, (err, resp) => {
            // The tags as @pulumi/policy keeps them, for the pack's handlers.
            if (!err) {
                try {
                    setStackTags(call.request.getTagsMap());
                } catch {
                    // @pulumi/policy would have failed on the same map.
                }
            }
            callback(err, resp);
        });
    };
}

/**
 * Indexes the secrets of the call's resources and of their providers, for the rest of the operation
 * (see secrets.ts); for Remediate, also keeps the properties as the engine sent them for the
 * duration of the call (see remediation.ts).
 */
function withSecrets(next: Handler, resourcesOf: (req: any) => any[], keepWire: boolean): Handler {
    return (call, callback) => {
        const index = sessionSecrets();
        const releases: (() => void)[] = [];
        let sent: unknown;
        try {
            for (const r of resourcesOf(call.request)) {
                const urn: string = r.getUrn();
                const props = wireOf(r.getProperties());
                index.add(urn, props);
                const provider = typeof r.getProvider === "function" ? r.getProvider() : undefined;
                if (provider) index.add(provider.getUrn(), wireOf(provider.getProperties()));
                if (keepWire) {
                    releases.push(holdWireProperties(urn, props));
                    sent = props;
                }
            }
        } catch {
            // Unreadable request: @pulumi/policy will report it; nothing to record.
        }
        let answered = false;
        const answer = (err: unknown, resp?: unknown) => {
            if (answered) return;
            answered = true;
            for (const release of releases) release();
            // Assets and archives come back as they were sent, or the resource is not remediated.
            if (keepWire && !err) dropCorruptingRemediations(sent, resp);
            callback(err, resp);
        };
        let pending: unknown;
        try {
            pending = next(call, answer);
        } catch (e) {
            answer(internalError(e));
            return;
        }
        // @pulumi/policy's handlers are async: one that rejects would leave the call unanswered.
        if (pending && typeof (pending as Promise<unknown>).then === "function") {
            (pending as Promise<unknown>).then(undefined, (e) => answer(internalError(e)));
        }
        return pending;
    };
}

function internalError(e: unknown): { code: number; details: string; message: string } {
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [require.resolve("@pulumi/policy")] }));
    const text = String((e as Error)?.message ?? e).split("\n")[0].slice(0, 300);
    const message = `cloud-de-confiance: ${text}`;
    return { code: grpc.status.INTERNAL, details: message, message };
}
