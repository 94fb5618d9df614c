// `npm run figures`: regenerates out/figures on a fresh machine. Installs the npm dependencies
// when node_modules is missing, makes sure Debian's chromium is there (it renders the PNGs),
// builds, and runs `tiersim figures`. Extra arguments go to the command, e.g.
// `npm run figures -- --preset sprCxl --out /tmp/figs`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(cmd, args) {
  console.error(`figures: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`figures: \`${cmd} ${args.join(" ")}\` failed with exit code ${r.status ?? r.signal}`);
    process.exit(r.status ?? 1);
  }
}

if (!existsSync(resolve(root, "node_modules"))) run(npm, ["ci"]);
run(process.execPath, ["scripts/setup-system.mjs", "chromium"]);
run(npm, ["run", "build"]);
const extra = process.argv.slice(2);
run(process.execPath, ["dist/cli/main.js", "figures", ...(extra.includes("--out") ? [] : ["--out", "out/figures"]), ...extra]);
