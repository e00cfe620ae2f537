/**
 * The pack served in this process, for property tests that need speed: the very handlers the
 * spawned pack serves (those intercept.ts registers on `@pulumi/policy`'s server: the pack's own
 * Analyze and AnalyzeStack, `@pulumi/policy`'s others), called without a socket. Requests and answers are the driver's own protobuf messages, so
 * `evaluate` and every helper written for `PolicyPackProcess` run on it unchanged; only the
 * transport (the binary encoding and the loopback connection) is left out. A smaller sample of
 * the same cases goes through the real protocol (test/robustness-property.test.ts).
 *
 * `@pulumi/policy` serves one pack per process: this is a singleton.
 */
import { EventEmitter } from "events";
import { PolicyPackProcess } from "../../src/engine/driver";
import { PACK_DIR } from "./pack";

type Handler = (call: { request: unknown }, callback: (err: unknown, resp?: unknown) => void) => unknown;

let served: PolicyPackProcess | undefined;
let handlers: { served: Record<string, Handler>; reference: Record<string, Handler> } | undefined;

/**
 * The handlers of the in-process pack: those it serves, and `@pulumi/policy`'s own that the pack's
 * Analyze and AnalyzeStack replace (intercept.ts `referenceHandlers`), sharing the same state.
 */
export function inProcessHandlers(): { served: Record<string, Handler>; reference: Record<string, Handler> } {
    inProcessPack();
    return handlers!;
}

export function inProcessPack(): PolicyPackProcess {
    if (served) return served;
    const policyEntry = require.resolve("@pulumi/policy", { paths: [PACK_DIR] });
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyEntry] }));
    const proto = grpc.Server.prototype;
    const { addService, bindAsync } = proto;
    let impl: Record<string, Handler> | undefined;
    // Capture the handlers instead of registering them, and bind no port. intercept.ts wraps
    // this capture as it wraps the real registration.
    proto.addService = function (_service: unknown, handlers: Record<string, Handler>) {
        impl = handlers;
    };
    proto.bindAsync = function () {
        /* no socket */
    };
    try {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        require("@cloud-de-confiance/policies/dist/lib/intercept").interceptConfiguration();
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { PACK_NAME, policyPackArgs } = require("@cloud-de-confiance/policies/dist/pack");
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { PolicyPack } = require(policyEntry);
        new PolicyPack(PACK_NAME, policyPackArgs());
    } finally {
        proto.addService = addService;
        proto.bindAsync = bindAsync;
    }
    if (!impl) throw new Error("the pack registered no Analyzer service");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const reference = require("@cloud-de-confiance/policies/dist/lib/intercept").referenceHandlers();
    handlers = { served: impl, reference };
    const own = impl;
    type Callback = (err: unknown, resp?: unknown) => void;
    // Called as a grpc-js client method is: (request, callback) or (request, options, callback);
    // call options (the driver's deadline) mean nothing without a transport.
    const method = (name: string) => (request: unknown, optionsOrCb: object | Callback, maybeCb?: Callback) => {
        const cb = (typeof optionsOrCb === "function" ? optionsOrCb : maybeCb) as Callback;
        const h = own[name];
        if (!h) return cb({ code: 12, details: `${name}: unimplemented` });
        h({ request }, (err, resp) => cb(err ?? null, resp));
    };
    const client = {
        getAnalyzerInfo: method("getAnalyzerInfo"),
        getPluginInfo: method("getPluginInfo"),
        configure: method("configure"),
        configureStack: method("configureStack"),
        analyze: method("analyze"),
        analyzeStack: method("analyzeStack"),
        remediate: method("remediate"),
        close: () => undefined,
    };
    const child = Object.assign(new EventEmitter(), { stderr: undefined, kill: () => child.emit("exit", 0, null) });
    // The driver's constructor is private to keep callers on `start`; here the transport differs.
    const Ctor = PolicyPackProcess as unknown as new (...args: unknown[]) => PolicyPackProcess;
    served = new Ctor(PACK_DIR, 0, child, client, 0);
    return served;
}
