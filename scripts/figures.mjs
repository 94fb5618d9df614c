// `npm run figures`: regenerates out/figures on a fresh machine. Installs the npm dependencies
// when node_modules is missing, makes sure Debian's chromium (it renders the PNGs) and Jupyter
// are there, builds, runs `tiersim figures`, then executes every notebook that exports its
// figures (it reads TIERSIM_FIGURES_DIR) so their PNG, HTML and CSV land in out/figures/<name>/.
// Extra arguments go to the command, e.g. `npm run figures -- --preset sprCxl --out /tmp/figs`;
// `--no-notebooks` skips the notebooks.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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
const extra = process.argv.slice(2).filter((a) => a !== "--no-notebooks");
const notebooks = !process.argv.includes("--no-notebooks");
run(process.execPath, ["scripts/setup-system.mjs", "chromium", ...(notebooks ? ["jupyter"] : [])]);
run(npm, ["run", "build"]);
run(process.execPath, ["dist/cli/main.js", "figures", ...(extra.includes("--out") ? [] : ["--out", "out/figures"]), ...extra]);
if (notebooks) {
  const { listNotebooks, executeNotebook } = await import("./run-notebooks.mjs");
  const at = extra.indexOf("--out");
  process.env.TIERSIM_FIGURES_DIR = resolve(root, at >= 0 ? extra[at + 1] : "out/figures");
  for (const nb of listNotebooks().filter((p) => readFileSync(resolve(root, p), "utf8").includes("TIERSIM_FIGURES_DIR"))) {
    console.error(`figures: executing ${nb}`);
    const r = executeNotebook(nb);
    if (!r.ok) {
      console.error(r.output);
      process.exit(1);
    }
    console.error(`figures: ${nb} done (${r.seconds.toFixed(1)} s)`);
  }
}
