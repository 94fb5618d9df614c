// Writes a clean tslab notebook (no outputs) from a percent-format script, so notebooks can be
// written and reviewed as text. Cells start with `// %%` (code) or `// %% [markdown]` (markdown,
// each line written as a `// ` comment).
// Usage: node scripts/mknb.mjs notebooks/src/00-topologies.ts notebooks/00-topologies.ipynb
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node scripts/mknb.mjs <script.ts> <notebook.ipynb>");
  process.exit(2);
}

const cells = [];
let current = null;
for (const line of readFileSync(input, "utf8").split("\n")) {
  const marker = /^\/\/ %%(?:\s*\[(markdown)\])?\s*$/.exec(line);
  if (marker) {
    current = { type: marker[1] ? "markdown" : "code", lines: [] };
    cells.push(current);
  } else if (current) {
    current.lines.push(current.type === "markdown" ? line.replace(/^\/\/ ?/, "") : line);
  }
}

function source(lines) {
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  while (lines.length && lines[0].trim() === "") lines.shift();
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l));
}

const notebook = {
  cells: cells.map((c) =>
    c.type === "markdown"
      ? { cell_type: "markdown", metadata: {}, source: source(c.lines) }
      : { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: source(c.lines) },
  ),
  metadata: {
    kernelspec: { display_name: "TypeScript (tslab)", language: "typescript", name: "tslab" },
    language_info: { codemirror_mode: { mode: "typescript", name: "javascript", typescript: true }, file_extension: ".ts", mimetype: "text/typescript", name: "typescript", version: "5.0.4" },
  },
  nbformat: 4,
  nbformat_minor: 5,
};
notebook.cells.forEach((c, i) => (c.id = `cell-${i}`));
writeFileSync(output, JSON.stringify(notebook, null, 1) + "\n");
console.log(`${output}: ${cells.length} cells`);
