/**
 * Message sizes on the Analyzer protocol, as the Pulumi CLI sets them.
 *
 * gRPC refuses by default any message over 4 MiB; an AnalyzeStack request of a few thousand
 * resources is larger (about 18 MiB for 50,000 resources of the bench's stacks).
 *
 * - The engine's analyzer client (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go,
 *   analyzerPluginDialOptions) dials with `rpcutil.GrpcChannelOptions()`, that is
 *   `grpc.MaxCallRecvMsgSize(400 MiB)` (sdk/go/common/util/rpcutil/serve.go, pulumi/pulumi#2319),
 *   and keeps grpc-go's default send limit (math.MaxInt32: no practical limit).
 * - The pack's server (@pulumi/policy server.js, started by @pulumi/pulumi/cmd/run-policy-pack)
 *   is created with `grpc.max_receive_message_length` 400 MiB and grpc-js's default send limit
 *   (none).
 *
 * So the real CLI hands the pack requests of up to 400 MiB, and the driver does the same.
 */
export const MAX_RPC_MESSAGE_SIZE = 400 * 1024 * 1024;

/** The channel options of the driver's client: the engine's. */
export const CLIENT_OPTIONS = {
    "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
    // grpc-go's default for a client is math.MaxInt32; grpc-js takes -1 for « no limit ».
    "grpc.max_send_message_length": -1,
} as const;
