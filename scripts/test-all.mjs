// `npm test`: the whole check a fresh clone must pass. Installs the system programs it needs
// (Jupyter, Chromium) when it can, then runs the typecheck, vitest, the build, tslab's own
// TypeScript 5.0 over our declarations, and every notebook through real Jupyter. Every step
// runs even when an earlier one failed, so one run shows everything that is wrong; the last
// line is `N passed, N failed` counting vitest tests, checks and notebooks.
import { spawnSync } from "node:child_process";
import { readFileSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { ensure } from "./setup-system.mjs";
import { listNotebooks, executeNotebook } from "./run-notebooks.mjs";

const root = resolve(fileURLToPath(import.meta.url), "../..");
process.chdir(root);
let passed = 0;
let failed = 0;
const failures = [];

/** Runs one command, printing its name and time; `env` adds to the environment. Returns whether it exited 0. */
function step(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, env: { ...process.env, ...env } });
  const ok = r.status === 0;
  console.log(`${ok ? "✓" : "✗"} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

function check(name, cmd, args) {
  if (step(name, cmd, args)) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

ensure(["jupyter", "chromium"]);

check("typecheck", process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.check.json"]);

// Built before vitest: worker-pool tests (piscina) run the compiled workers in dist/.
check("build", process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]);

mkdirSync(".nbout", { recursive: true });

/** One vitest pass with a JSON report; adds its counts. `env` selects the pass (vitest.config.ts). */
function vitestPass(name, env) {
  const report = join(".nbout", `${name}.json`);
  rmSync(report, { force: true });
  const ok = step(name, process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], env);
  try {
    const json = JSON.parse(readFileSync(report, "utf8"));
    passed += json.numPassedTests;
    failed += json.numFailedTests + json.numPendingTests + json.numTodoTests;
    if (json.numTotalTests === 0) {
      failed++;
      failures.push(`${name} ran no test`);
    }
    if (!ok && json.numFailedTests === 0) {
      failed++;
      failures.push(`${name} (suite error)`);
    } else if (json.numFailedTests > 0) failures.push(`${name}: ${json.numFailedTests} test(s)`);
  } catch {
    failed++;
    failures.push(`${name} (no report)`);
  }
}

vitestPass("vitest", { TIERSIM_TIMING: "0" });
// Wall-time bounds alone, one file at a time, so they measure the code and not the neighbours.
vitestPass("vitest timing", { TIERSIM_TIMING: "1" });

check("tslab declaration check (TypeScript 5.0.4 over dist/*.d.ts)", process.execPath, ["scripts/check-tslab-types.mjs"]);

for (const nb of listNotebooks()) {
  console.log(`\n▶ notebook ${nb}`);
  const r = executeNotebook(nb);
  console.log(`${r.ok ? "✓" : "✗"} notebook ${basename(nb)} (${r.seconds.toFixed(1)} s)`);
  if (r.ok) passed++;
  else {
    failed++;
    failures.push(`notebook ${nb}`);
    console.log(r.output);
  }
}

if (failures.length) console.log(`\nFailed: ${failures.join("; ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
