// Baseline for `npm run bench`: the smallest pack @pulumi/policy can serve, one resource policy and
// one stack policy, neither reporting anything.
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("empty", {
    policies: [
        { name: "nothing", description: "Reports nothing.", enforcementLevel: "advisory", validateResource: () => undefined },
        { name: "nothing-stack", description: "Reports nothing on the stack.", enforcementLevel: "advisory", validateStack: () => undefined },
    ],
});
