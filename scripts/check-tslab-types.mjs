// Type-checks dist/*.d.ts with tslab's own TypeScript (5.0.4, Node10 resolution), the way a
// notebook sees them. Newer TypeScript emits types (Float64Array<ArrayBuffer>, MapIterator,
// NoInfer) that 5.0 silently turns into `any` or rejects, so an error in dist/ fails the run.
// Errors inside third-party declarations are not ours and are ignored.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const tsc = require.resolve("@tslab/typescript-for-tslab/bin/tsc", { paths: [require.resolve("tslab")] });
const version = require(tsc.replace(/bin\/tsc$/, "package.json")).version;
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.tslab-compat.json"], { encoding: "utf8" });
const ours = r.stdout.split("\n").filter((l) => l.startsWith("dist/"));
console.log(`tslab TS ${version}: ${ours.length} error(s) in dist/*.d.ts`);
for (const l of ours) console.log("  " + l);
process.exit(ours.length ? 1 : 0);
