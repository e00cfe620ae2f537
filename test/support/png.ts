/** A minimal PNG reader (8-bit RGB or RGBA, not interlaced), enough to look at a browser's screenshot. */
import * as zlib from "node:zlib";

export interface Image {
    width: number;
    height: number;
    /** RGBA, 4 bytes per pixel. */
    pixels: Uint8Array;
}

export function readPng(buf: Buffer): Image {
    if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
    let pos = 8;
    let width = 0;
    let height = 0;
    let colourType = 0;
    const idat: Buffer[] = [];
    while (pos < buf.length) {
        const len = buf.readUInt32BE(pos);
        const type = buf.toString("latin1", pos + 4, pos + 8);
        const data = buf.subarray(pos + 8, pos + 8 + len);
        if (type === "IHDR") {
            width = data.readUInt32BE(0);
            height = data.readUInt32BE(4);
            const depth = data[8];
            colourType = data[9];
            if (depth !== 8 || (colourType !== 2 && colourType !== 6) || data[12] !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour ${colourType}, interlace ${data[12]}`);
        } else if (type === "IDAT") idat.push(data);
        else if (type === "IEND") break;
        pos += 12 + len;
    }
    const channels = colourType === 6 ? 4 : 3;
    const raw = zlib.inflateSync(Buffer.concat(idat));
    const stride = width * channels;
    const out = new Uint8Array(width * height * 4);
    let prev = new Uint8Array(stride);
    for (let y = 0; y < height; y++) {
        const filter = raw[y * (stride + 1)];
        const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
        const cur = new Uint8Array(stride);
        for (let x = 0; x < stride; x++) {
            const a = x >= channels ? cur[x - channels] : 0;
            const b = prev[x];
            const c = x >= channels ? prev[x - channels] : 0;
            let v = line[x];
            if (filter === 1) v += a;
            else if (filter === 2) v += b;
            else if (filter === 3) v += (a + b) >> 1;
            else if (filter === 4) {
                const p = a + b - c;
                const pa = Math.abs(p - a);
                const pb = Math.abs(p - b);
                const pc = Math.abs(p - c);
                v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            }
            cur[x] = v & 0xff;
        }
        for (let x = 0; x < width; x++) {
            const o = (y * width + x) * 4;
            out[o] = cur[x * channels];
            out[o + 1] = cur[x * channels + 1];
            out[o + 2] = cur[x * channels + 2];
            out[o + 3] = channels === 4 ? cur[x * channels + 3] : 255;
        }
        prev = cur;
    }
    return { width, height, pixels: out };
}

/** How many pixels are within `tolerance` of the colour `#rrggbb`. */
export function countColour(img: Image, hex: string, tolerance = 8): number {
    const r = parseInt(hex.slice(1, 3), 16);
    const g = parseInt(hex.slice(3, 5), 16);
    const b = parseInt(hex.slice(5, 7), 16);
    let n = 0;
    for (let i = 0; i < img.pixels.length; i += 4) {
        if (Math.abs(img.pixels[i] - r) <= tolerance && Math.abs(img.pixels[i + 1] - g) <= tolerance && Math.abs(img.pixels[i + 2] - b) <= tolerance) n++;
    }
    return n;
}
