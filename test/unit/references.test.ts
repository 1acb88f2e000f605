// Every reference resolves inside the repository. Section codes ("C.3", "0.3 gate 7", "docs/elastic-api.md B") cited
// in comments, docs and test names must be headings of docs/elastic-api.md, a file that cites them must name that page
// before its first citation, and nothing may cite notes kept outside the repository ("pulumi-notes …",
// "shared/reference/…", "(brief: …)", or "reference C.1" for the old team notes).
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.join(__dirname, "..", "..");
const DOC = "docs/elastic-api.md";
const SELF = "test/unit/references.test.ts"; // holds the patterns and failing fixtures below
const SCANNED = ["provider", "sdk", "emulator", "scripts", "test", "examples", "docs", "README.md", "CHANGELOG.md"];
const SCANNED_FILE = /\.(ts|mts|cts|js|mjs|cjs|md|sh|ya?ml)$/;
const SKIPPED_DIR = new Set(["node_modules", "dist", "coverage", ".pulumi-test", ".test-results", ".bench"]);

const SECTION = String.raw`(?:0\.\d+|[A-H](?:\.\d+){0,2})`;
/** A lettered code with a number, anywhere: "C.3", "D.1–D.3". Version numbers ("8.14", "v9.0.3") never match. */
const LETTERED = /\b[A-H]\.\d+(?:\.\d+)?\b/g;
/** Codes right after the page's name, including bare letters and 0.x: "docs/elastic-api.md 0.1, 0.2, E.3". */
const AFTER_DOC = new RegExp(String.raw`docs/elastic-api\.md\)?\s+(${SECTION}(?:\s*[,–/]\s*${SECTION})*)\b`, "g");
/** The numbered gates and tables of section 0 cited on their own: "0.3 gate 4", "(0.2)". */
const CONVENTION = /\b(0\.\d+)(?= gate \d| table\b|\))/g;
const OUTSIDE: [RegExp, string][] = [
  [/pulumi-notes/g, "cites pulumi-notes, which is not in the repository: cite the @pulumi/pulumi file instead"],
  [/shared\/reference/g, `cites shared/reference/…, which is not in the repository: cite ${DOC}`],
  [/\(brief:/g, "cites a brief that is not in the repository: cite a README section or a test"],
  [new RegExp(String.raw`\breference ${SECTION}\b`, "g"), `cites "reference <code>": name ${DOC} instead`],
];

function definedSections(doc: string): Set<string> {
  const codes = new Set<string>();
  for (const m of doc.matchAll(new RegExp(String.raw`^#{1,4} (${SECTION})[.\s]`, "gm"))) codes.add(m[1]);
  return codes;
}

/** What is wrong with the references in one file's text, as "file:line: problem". */
function referenceProblems(file: string, text: string, defined: Set<string>): string[] {
  const problems: string[] = [];
  const at = (index: number, problem: string) =>
    problems.push(`${file}:${text.slice(0, index).split("\n").length}: ${problem}`);
  const cited: { code: string; index: number }[] = [];
  for (const m of text.matchAll(LETTERED)) cited.push({ code: m[0], index: m.index });
  for (const m of text.matchAll(CONVENTION)) cited.push({ code: m[1], index: m.index });
  for (const m of text.matchAll(AFTER_DOC)) {
    for (const code of m[1].split(/\s*[,–/]\s*/)) cited.push({ code, index: m.index });
  }
  for (const { code, index } of cited) {
    if (!defined.has(code)) at(index, `cites section ${code}, which ${DOC} does not define as a heading`);
  }
  for (const [pattern, problem] of OUTSIDE) for (const m of text.matchAll(pattern)) at(m.index, problem);
  if (file !== DOC && cited.length > 0) {
    const first = Math.min(...cited.map((c) => c.index));
    const named = text.indexOf(DOC);
    if (named === -1 || named > first) at(first, `cites a section code before naming ${DOC} in this file`);
  }
  return problems;
}

/** The scanned files under `relative` (a file or a folder), as repository-relative paths. */
function scannedFiles(relative: string): string[] {
  if (!statSync(path.join(ROOT, relative)).isDirectory()) return SCANNED_FILE.test(relative) ? [relative] : [];
  return readdirSync(path.join(ROOT, relative), { withFileTypes: true })
    .filter((e) => !(e.isDirectory() && SKIPPED_DIR.has(e.name)))
    .flatMap((e) => scannedFiles(path.posix.join(relative, e.name)));
}

const defined = definedSections(readFileSync(path.join(ROOT, DOC), "utf8"));

describe("references", () => {
  it(`${DOC} defines the sections the repository cites`, () => {
    const codes = ["0.1 0.2 0.3", "A A.1 A.2 A.3 A.4 A.5 A.6", "B B.1 B.2 B.3 B.4 B.5", "C C.1 C.2 C.3 C.4 C.5 C.6"];
    codes.push("D D.1 D.2 D.3", "E E.1 E.2 E.3 E.4", "F G G.1 H");
    for (const code of codes.join(" ").split(" ")) expect(defined).toContain(code);
  });

  it("every section code cited in provider, sdk, emulator, scripts, test, examples and the docs resolves", () => {
    const files = SCANNED.flatMap(scannedFiles).filter((f) => f !== SELF);
    expect(files.length).toBeGreaterThan(100);
    const problems = files.flatMap((f) => referenceProblems(f, readFileSync(path.join(ROOT, f), "utf8"), defined));
    expect(problems).toEqual([]);
  });

  it.each([
    ["an undefined code", "// see docs/elastic-api.md C.9", /section C\.9/],
    ["an undefined convention", "// docs/elastic-api.md 0.1; the gates of 0.9 gate 2", /section 0\.9/],
    ["a code before the page is named", "// Fleet refuses it (B.2).\n// docs/elastic-api.md", /before naming/],
    ["a code in a file that never names the page", 'it("keeps the key (C.3)", () => {});', /before naming/],
    ["the old team notes", "// docs/elastic-api.md C.1 (reference C.1)", /"reference <code>"/],
    ["pulumi-notes", "// cached per object (pulumi-notes 3.1)", /pulumi-notes/],
    ["a path outside the repository", "following `shared/reference/elastic-api.md`", /shared\/reference/],
    ["a brief", "// The route table (brief: ES routes).", /brief/],
  ])("fails on %s", (_what, text, problem) => {
    const problems = referenceProblems("fixture.ts", text, defined);
    expect(problems.join("\n")).toMatch(problem);
  });

  it("accepts resolved citations and ignores version numbers", () => {
    const text = [
      "// Section codes refer to docs/elastic-api.md.",
      "// (docs/elastic-api.md 0.1, 0.2, E.3), D.1–D.3, B.2 step 2, 0.3 gate 7, (0.2), C.1 table, F, H.",
      'const v = ["8.14", "9.0.3", "v3.259.0"]; // 8.15+ answers 404; Node 22.x; rate: 0.1',
      "[docs/elastic-api.md](../../../docs/elastic-api.md) A.3; `docs/elastic-api.md` and the upstream suites",
    ].join("\n");
    expect(referenceProblems("fixture.ts", text, defined)).toEqual([]);
  });
});
