// Executes notebooks headless through Debian's Jupyter with the committed tslab kernelspec,
// failing on any cell error. Executed copies go to .nbout/ (never committed).
// Usage: node scripts/run-notebooks.mjs [notebooks/xx.ipynb ...]   (no argument = all)
import { spawnSync } from "node:child_process";
import { readdirSync, mkdirSync } from "node:fs";
import { join, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");

/** All notebooks in notebooks/, in name order. */
export function listNotebooks() {
  return readdirSync(join(root, "notebooks"))
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join("notebooks", f));
}

/** Executes one notebook; returns { ok, seconds, output }. */
export function executeNotebook(path) {
  mkdirSync(join(root, ".nbout"), { recursive: true });
  const started = Date.now();
  const r = spawnSync(
    "/usr/bin/jupyter-nbconvert",
    [
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.timeout=900",
      "--ExecutePreprocessor.kernel_name=tslab",
      `--output-dir=${join(root, ".nbout")}`,
      path,
    ],
    {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        JUPYTER_PATH: join(root, "jupyter"),
        PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH}`,
      },
    },
  );
  return { ok: r.status === 0, seconds: (Date.now() - started) / 1000, output: `${r.stdout}${r.stderr}` };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { ensure } = await import("./setup-system.mjs");
  ensure(["jupyter"]);
  const paths = process.argv.length > 2 ? process.argv.slice(2) : listNotebooks();
  let failed = 0;
  for (const p of paths) {
    const r = executeNotebook(p);
    console.log(`${r.ok ? "✓" : "✗"} ${basename(p)} (${r.seconds.toFixed(1)} s)`);
    if (!r.ok) {
      failed++;
      console.log(r.output);
    }
  }
  process.exit(failed ? 1 : 0);
}
