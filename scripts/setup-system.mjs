// Makes sure the system programs tiersim's tests and figures need are present: Debian's
// Jupyter (to execute notebooks with the tslab kernel) and Debian's Chromium (to render figures).
// Installs them with apt when running as root; otherwise fails naming the exact command.
// Usage: node scripts/setup-system.mjs [jupyter] [chromium]   (no argument = both)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const APT_PACKAGES = {
  jupyter: ["jupyter-nbconvert", "python3-nbclient", "python3-ipykernel", "jupyter-client", "jupyter-notebook"],
  chromium: ["chromium"],
};

function jupyterPresent() {
  if (!existsSync("/usr/bin/jupyter-nbconvert") || !existsSync("/usr/bin/python3")) return false;
  const r = spawnSync("/usr/bin/python3", ["-c", "import nbclient, nbformat, nbconvert, jupyter_client"], { stdio: "ignore" });
  return r.status === 0;
}

const PRESENT = {
  jupyter: jupyterPresent,
  chromium: () => existsSync("/usr/bin/chromium"),
};

function run(cmd, args) {
  console.error(`setup-system: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed with exit code ${r.status}`);
}

export function ensure(names) {
  const missing = names.filter((n) => !PRESENT[n]());
  if (missing.length === 0) return;
  const packages = missing.flatMap((n) => APT_PACKAGES[n]);
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(" ")}`;
  const canInstall = typeof process.getuid === "function" && process.getuid() === 0 && existsSync("/usr/bin/apt-get");
  if (!canInstall) {
    console.error(`setup-system: missing ${missing.join(" and ")}. Install as root:\n  ${command}`);
    process.exit(2);
  }
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "--no-install-recommends", ...packages]);
  const still = missing.filter((n) => !PRESENT[n]());
  if (still.length > 0) {
    console.error(`setup-system: ${still.join(" and ")} still missing after: ${command}`);
    process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = process.argv.slice(2);
  for (const w of wanted) {
    if (!(w in APT_PACKAGES)) {
      console.error(`setup-system: unknown component "${w}"; use jupyter and/or chromium`);
      process.exit(2);
    }
  }
  ensure(wanted.length ? wanted : Object.keys(APT_PACKAGES));
}
