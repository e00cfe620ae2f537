// Baseline for `npm run bench`: the smallest pack @pulumi/policy can serve.
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("empty", {
    policies: [{ name: "nothing", description: "Reports nothing.", enforcementLevel: "advisory", validateResource: () => undefined }],
});
