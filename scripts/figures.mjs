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

/**
 * The value of `--out X` or `--out=X` in `args`, the last one winning as in the command's
 * parseArgs ("" for a trailing `--out`, which the command rejects); undefined when absent.
 */
function outArg(args) {
  let out;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out") out = args[++i] ?? "";
    else if (args[i].startsWith("--out=")) out = args[i].slice("--out=".length);
  }
  return out;
}

if (!existsSync(resolve(root, "node_modules"))) run(npm, ["ci"]);
const extra = process.argv.slice(2).filter((a) => a !== "--no-notebooks");
const notebooks = !process.argv.includes("--no-notebooks");
run(process.execPath, ["scripts/setup-system.mjs", "chromium", ...(notebooks ? ["jupyter"] : [])]);
run(npm, ["run", "build"]);
// The output directory, given as `--out DIR` or `--out=DIR` (default out/figures): the command
// writes there and the notebooks are pointed at the same place.
const outGiven = outArg(extra);
const outDir = outGiven ?? "out/figures";
run(process.execPath, ["dist/cli/main.js", "figures", ...(outGiven === undefined ? ["--out", outDir] : []), ...extra]);
if (notebooks) {
  const { listNotebooks, executeNotebook } = await import("./run-notebooks.mjs");
  process.env.TIERSIM_FIGURES_DIR = resolve(root, outDir);
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
