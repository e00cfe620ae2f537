/**
 * The Pulumi Node.js SDK (`@pulumi/pulumi`) as loaded from the program's directory: the parts of its
 * runtime the checker drives (mocks, monitor, stack) and of its protocol messages it reads.
 */
import * as path from "path";
import { InputError } from "../errors";
import { Props } from "./mocks";

export interface ProtoStruct {
    toJavaScript(): Record<string, unknown>;
}
export interface ProtoAliasSpec {
    getName(): string;
    getType(): string;
    getStack(): string;
    getProject(): string;
    getParenturn(): string;
    getNoparent(): boolean;
}
export interface ProtoAlias {
    getUrn(): string;
    getSpec(): ProtoAliasSpec | undefined;
}
export interface ProtoSourcePosition {
    getUri(): string;
    getLine(): number;
    getColumn(): number;
}
export interface ProtoInvokeRequest {
    getTok(): string;
    getProvider(): string;
    getVersion?(): string;
}
export interface ProtoRegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getRemote(): boolean;
    getObject(): ProtoStruct | undefined;
    getProtect(): boolean | undefined;
    getDependenciesList(): string[];
    getProvider(): string;
    getVersion(): string;
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getAliasesList(): ProtoAlias[];
    getAliasurnsList(): string[];
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    getSourceposition?(): ProtoSourcePosition | undefined;
    getStacktrace?(): { getFramesList(): { getPc(): ProtoSourcePosition | undefined }[] } | undefined;
}
export type Callback = (err: unknown, resp?: unknown) => void;
export interface Monitor {
    newUrn(parent: string, type: string, name: string): string;
    registerResource(req: ProtoRegisterRequest, cb: Callback): unknown;
    readResource(req: unknown, cb: Callback): unknown;
    invoke(req: ProtoInvokeRequest, cb: Callback): unknown;
    registerResourceOutputs(req: unknown, cb: Callback): unknown;
    supportsFeature(req: { getId(): string }, cb: Callback): unknown;
}
export interface MockResourceArgs {
    type: string;
    name: string;
    inputs: Props;
    provider?: string;
    custom?: boolean;
    id?: string;
}
export interface MockCallArgs {
    token: string;
    inputs: Props;
    provider?: string;
}
export interface Runtime {
    setMocks(
        mocks: {
            newResource(a: MockResourceArgs): { id: string | undefined; state: Props };
            call(a: MockCallArgs): Props;
        },
        project: string,
        stack: string,
        preview: boolean,
        organization?: string,
    ): Promise<void>;
    setAllConfig(c: Record<string, string>, secretKeys?: string[]): void;
    getMonitor(): Monitor | undefined;
    runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
    waitForRPCs(): Promise<void>;
    disconnectSync(): void;
    resetOptions(
        project: string,
        stack: string,
        parallel: number,
        engineAddr: string,
        monitorAddr: string,
        preview: boolean,
        organization: string,
    ): void;
}
export interface Store {
    settings: { rpcDone: Promise<unknown> };
}

/** `Resource` of the SDK: where it takes the stack of a registration (SDKs that report positions). */
export interface ResourceClass {
    callsites?: () => { file?: string; line?: number; column?: number }[];
}

/** `runtime/resource.js` of the SDK: its registration functions, called from the Resource constructor. */
export type RuntimeResourceModule = Record<string, unknown>;

export interface Sdk {
    /** The folder of the SDK (node_modules/@pulumi/pulumi). */
    dir: string;
    runtime: Runtime;
    getStore(): Store;
    Resource: ResourceClass;
    runtimeResource: RuntimeResourceModule;
}

export function loadSdk(programDir: string): Sdk {
    let main: string;
    try {
        main = require.resolve("@pulumi/pulumi", { paths: [programDir] });
    } catch {
        throw new InputError(`${programDir}: cannot find @pulumi/pulumi from the program (run npm install in the project)`);
    }
    const sdkDir = path.dirname(main);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pulumi = require(main) as { runtime: Runtime; Resource: ResourceClass };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const state = require(path.join(sdkDir, "runtime", "state.js")) as { getStore(): Store };
    if (typeof pulumi.runtime?.setMocks !== "function" || typeof state.getStore !== "function") {
        throw new InputError(`${sdkDir}: this @pulumi/pulumi has no mock runtime (a 3.x SDK is required)`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtimeResource = require(path.join(sdkDir, "runtime", "resource.js")) as RuntimeResourceModule;
    return { dir: sdkDir, runtime: pulumi.runtime, getStore: state.getStore, Resource: pulumi.Resource, runtimeResource };
}

