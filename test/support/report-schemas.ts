/**
 * Validators for the reports CI platforms ingest.
 *
 * - SARIF: the official OASIS SARIF 2.1.0 schema (JSON Schema draft-04), as `@microsoft/jest-sarif`
 *   ships it.
 * - GitLab security report (SAST): GitLab's schema is not published in an npm package; this is the
 *   part of the SAST report schema 15.0.6 GitLab validates our reports against, written from it:
 *   required properties, enumerations, patterns and maximum lengths of `scan`, `vulnerabilities`
 *   (`id`, `name`, `description`, `severity`, `solution`, `identifiers`, `location`, `tracking`,
 *   `details`) as the schema states them.
 */
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";

export function sarifValidator() {
    const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
    // unicodeRegExp: false: the schema's `language` pattern is not a valid Unicode-mode regexp.
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    return ajv.compile(schema);
}

const component = {
    type: "object",
    required: ["id", "name", "version", "vendor"],
    properties: {
        id: { type: "string", minLength: 1 },
        name: { type: "string", minLength: 1 },
        url: { type: "string", pattern: "^https?://.+" },
        version: { type: "string", minLength: 1 },
        vendor: { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1 } } },
    },
};

const identifier = {
    type: "object",
    required: ["type", "name", "value"],
    properties: {
        type: { type: "string", minLength: 1 },
        name: { type: "string", minLength: 1 },
        url: { type: "string", pattern: "^(https?|ftp)://.+" },
        value: { type: "string", minLength: 1 },
    },
};

const TIME = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$";

/** The SAST report schema 15.0.6, as far as this tool writes it. */
export const SAST_SCHEMA_SUBSET = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    required: ["scan", "version", "vulnerabilities"],
    properties: {
        scan: {
            type: "object",
            required: ["analyzer", "end_time", "scanner", "start_time", "status", "type"],
            properties: {
                end_time: { type: "string", pattern: TIME },
                start_time: { type: "string", pattern: TIME },
                analyzer: { ...component, properties: { ...component.properties, url: { type: "string", pattern: "^https?://.+" } } },
                scanner: component,
                status: { type: "string", enum: ["success", "failure"] },
                type: { type: "string", enum: ["sast"] },
            },
        },
        schema: { type: "string", pattern: "^https?://.+" },
        version: { type: "string", pattern: "^[0-9]+\\.[0-9]+\\.[0-9]+$" },
        vulnerabilities: {
            type: "array",
            items: {
                type: "object",
                required: ["id", "identifiers", "location"],
                properties: {
                    id: { type: "string", minLength: 1 },
                    name: { type: "string", maxLength: 255 },
                    description: { type: "string", maxLength: 1048576 },
                    severity: { type: "string", enum: ["Info", "Unknown", "Low", "Medium", "High", "Critical"] },
                    solution: { type: "string", maxLength: 7000 },
                    identifiers: { type: "array", minItems: 1, items: identifier },
                    details: {
                        type: "object",
                        patternProperties: {
                            "^.*$": {
                                type: "object",
                                required: ["name", "type", "value"],
                                properties: { name: { type: "string", minLength: 1 }, type: { const: "text" }, value: { type: "string" } },
                            },
                        },
                    },
                    tracking: {
                        type: "object",
                        required: ["items"],
                        properties: {
                            type: { const: "source" },
                            items: {
                                type: "array",
                                items: {
                                    type: "object",
                                    required: ["signatures"],
                                    properties: {
                                        file: { type: "string" },
                                        start_line: { type: "number" },
                                        end_line: { type: "number" },
                                        signatures: {
                                            type: "array",
                                            minItems: 1,
                                            items: {
                                                type: "object",
                                                required: ["algorithm", "value"],
                                                // GitLab's signature algorithms.
                                                properties: { algorithm: { enum: ["hash", "location", "scope_offset", "scope_offset_compressed"] }, value: { type: "string" } },
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                    location: {
                        type: "object",
                        // GitLab needs a file and a line to show a SAST finding in a merge request.
                        required: ["file", "start_line"],
                        properties: {
                            file: { type: "string", minLength: 1 },
                            start_line: { type: "number", minimum: 1 },
                            end_line: { type: "number", minimum: 1 },
                        },
                    },
                },
            },
        },
    },
};

export function sastValidator() {
    const ajv = new Ajv({ allErrors: true, strict: false });
    return ajv.compile(SAST_SCHEMA_SUBSET);
}
