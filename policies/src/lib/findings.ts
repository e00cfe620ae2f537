/**
 * One finding per fault, however many times a resource repeats it.
 *
 * A rule reports each occurrence it finds (a container without limits, a security-group rule open
 * to the world, a tag without value…). The pack does not hand each one to the engine: within one
 * policy call, the occurrences of the same fault are gathered into one finding that counts them and
 * names the first `MAX_ITEMS`. Same fault = same rule, same resource at fault, same property up to
 * array indices (`containers[0].image` and `containers[7].image`, `rules[2].cidr`…), same literal
 * problem and fix (the text of the `m` templates without their values). Distinct faults of one
 * resource (a flavor neither allowed nor justified, an endpoint in http and a missing region) stay
 * distinct findings, in the order they were first reported. Only the first `MAX_ITEMS` occurrences of a fault are kept, so that memory and message
 * length stay bounded whatever the size of the resource.
 */
import { MAX_ITEMS, templateText } from "./message";
import type { Violation } from "./rule";

export interface FaultGroup {
    /** The resource at fault (undefined: the whole stack). */
    at: { urn: string; name: string; type: string } | undefined;
    /** The first occurrences, in the order reported (at most `MAX_ITEMS`). */
    first: Violation[];
    /** How many occurrences were reported. */
    count: number;
}

/** The occurrences a policy call reports, gathered by fault. */
export class FaultCollector {
    private readonly groups = new Map<string, FaultGroup>();

    add(v: Violation, at: FaultGroup["at"]): void {
        const key = faultKey(v, at);
        const g = this.groups.get(key);
        if (!g) this.groups.set(key, { at, first: [v], count: 1 });
        else {
            g.count++;
            if (g.first.length < MAX_ITEMS) g.first.push(v);
        }
    }

    /** The faults, in the order of their first occurrence; the collector is emptied. */
    drain(): FaultGroup[] {
        const out = [...this.groups.values()];
        this.groups.clear();
        return out;
    }
}

/** The property of an occurrence without its array indices: `containers[3].image` → `containers[].image`. */
export function propertyShape(property: string | undefined): string {
    return property === undefined ? "" : property.replace(/\[\d+\]/g, "[]");
}

function faultKey(v: Violation, at: FaultGroup["at"]): string {
    return [at?.urn ?? "", propertyShape(v.property), templateText(v.problem.fr), v.fix ? templateText(v.fix.fr) : ""].join("\u0001");
}
