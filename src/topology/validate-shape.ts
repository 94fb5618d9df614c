/**
 * The shape of a serialised topology (zod 4) and the translation of zod's issues into tiersim
 * issues whose messages carry a rule and a fix. Nodes and links are parsed one by one so that a
 * broken node does not hide the issues of the others.
 */
import { z } from "zod";
import type { Issue } from "../core/errors.js";

/** A number, or in JSON a string with a unit that the semantic pass parses. */
const quantity = z.union([z.number(), z.string()]);

const curveSchema = z.strictObject({
  readShare: z.number(),
  points: z.array(z.tuple([z.number(), z.number()])),
  source: z.string().optional(),
});

const memorySchema = z.strictObject({
  kind: z.enum(["dram", "cxl", "hbm", "pmem"]),
  capacityBytes: quantity,
  zone: z.enum(["normal", "movable"]),
  readBandwidthGBps: quantity,
  writeBandwidthGBps: quantity,
  idleLatencyNs: quantity,
  curves: z.array(curveSchema),
  hmat: z.boolean(),
  online: z.boolean(),
  source: z.string().optional(),
  /** Private Memory Nodes (§6.1); its content is checked by checkPrivate (private.ts) with paths. */
  private: z.unknown().optional(),
});

/** One node as JSON may give it (quantities possibly still strings). */
export const nodeSchema = z.strictObject({
  id: z.number(),
  socket: z.number(),
  cpus: z.array(z.number()),
  memory: memorySchema.nullable(),
  source: z.string().optional(),
});

/** One link as JSON may give it. */
export const linkSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(["cxl", "interconnect"]),
  from: z.number(),
  to: z.number(),
  readBandwidthGBps: quantity,
  writeBandwidthGBps: quantity,
  latencyNs: quantity,
  source: z.string().optional(),
});

/** The envelope; nodes, links and distances are checked separately. */
export const envelopeSchema = z.strictObject({
  format: z.literal("tiersim.topology/1"),
  name: z.string(),
  description: z.string(),
  nodes: z.array(z.unknown()),
  links: z.array(z.unknown()),
  distances: z.unknown(),
});

export type RawNode = z.infer<typeof nodeSchema>;
export type RawLink = z.infer<typeof linkSchema>;

function describeExpected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `must be ${issue.expected === "array" ? "an array" : `a ${issue.expected}`}`;
    case "invalid_value":
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`;
    case "unrecognized_keys":
      return `has unknown key${issue.keys.length === 1 ? "" : "s"} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "too_small":
    case "too_big":
      return "has the wrong number of items";
    case "invalid_union":
      return "must be a number or a string with a unit";
    default:
      return issue.message;
  }
}

function fixFor(issue: z.core.$ZodIssue, where: string): string {
  if (issue.code === "unrecognized_keys") return "remove them or correct their spelling (see TopologySpec in src/topology/types.ts)";
  if (issue.code === "invalid_union") return 'write e.g. 68719476736 or "64GiB", 36 or "36GB/s", 110 or "110ns"';
  if (issue.code === "too_small" || issue.code === "too_big") return "curve points are [bandwidth GB/s, latency ns] pairs";
  return `give ${where} the documented form (see TopologySpec in src/topology/types.ts)`;
}

/**
 * Runs a schema and returns its data, or records its issues under `prefix` and returns undefined.
 * @example parseShape(nodeSchema, raw, ["nodes", 2], issues) // undefined + issues at ["nodes", 2, ...]
 */
export function parseShape<T>(
  schema: z.ZodType<T>,
  input: unknown,
  prefix: readonly (string | number)[],
  issues: Issue[],
): T | undefined {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  for (const zi of r.error.issues) {
    const path = [...prefix, ...zi.path.map((k) => (typeof k === "symbol" ? String(k) : k))];
    const field = path.length === 0 ? "the topology" : `"${String(path[path.length - 1])}"`;
    issues.push({
      code: zi.code,
      path,
      message: `${field} ${describeExpected(zi)}. Fix: ${fixFor(zi, field)}.`,
    });
  }
  return undefined;
}
