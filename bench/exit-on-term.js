// Preloaded in a profiled pack process (`npm run bench -- --profile`): V8 writes --cpu-prof and
// --heap-prof files only on a normal exit, so SIGTERM (how the driver stops a pack) exits normally.
process.on("SIGTERM", () => process.exit(0));
