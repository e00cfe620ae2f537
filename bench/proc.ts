/**
 * What the kernel says of a process (Linux /proc), for `npm run bench`: CPU time and peak resident
 * memory of the pack process alone, so that the client's own work never counts.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ). */
const TICKS = (() => {
    try {
        return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
        return 100;
    }
})();

/** User plus system CPU time of a process so far, in milliseconds. */
export function cpuMs(pid: number): number {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (2nd field) is in parentheses and may hold spaces: count after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS;
}

function statusKiB(pid: number, key: string): number {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : NaN;
}

/** Peak resident memory of a process so far (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
    return statusKiB(pid, "VmHWM") / 1024;
}

/** Resident memory now (VmRSS), in MiB. */
export function rssMiB(pid: number): number {
    return statusKiB(pid, "VmRSS") / 1024;
}

export interface Machine {
    cpu: string;
    cores: number;
    memoryGiB: number;
    node: string;
    os: string;
}

export function machine(): Machine {
    let cpu = os.cpus()[0]?.model ?? "unknown";
    try {
        const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
        if (m) cpu = m[1].trim();
    } catch {
        // not Linux: os.cpus() is enough
    }
    return {
        cpu,
        cores: os.cpus().length,
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
        os: `${os.type()} ${os.release()}`,
    };
}
