// The create journal (provider/framework/create-journal.ts): entries are written whole before a create leaves and
// removed before its outcome returns; only an entry whose writer is provably gone may be settled, by one process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  claim,
  entries,
  forgetCreate,
  journalDir,
  recordCreate,
  release,
  sharesUrl,
  writerGone,
} from "../../provider/framework/create-journal";

const fresh = () => mkdtempSync(path.join(os.tmpdir(), "pek-journal-"));
const entry = (mark: string) => ({
  mark,
  type: "ApmAgentKey",
  label: 'ApmAgentKey "a"',
  outs: { name: "a", __createMark: mark },
  urls: ["http://127.0.0.1:9200"],
});
/** A process that has already ended: its pid names nobody (or somebody else, with another start time). */
function endedPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("the create journal", () => {
  it("lives in ELASTIC_KEYS_JOURNAL_DIR, else under PULUMI_HOME, else ~/.pulumi", () => {
    expect(journalDir({ ELASTIC_KEYS_JOURNAL_DIR: "/j" })).toBe("/j");
    expect(journalDir({ PULUMI_HOME: "/ph" })).toBe("/ph/elastic-keys/journal");
    expect(journalDir({ HOME: "/h" })).toBe("/h/.pulumi/elastic-keys/journal");
  });

  it("records an entry for this process, readable only by its owner, and forgets it", () => {
    const dir = fresh();
    recordCreate(dir, entry("m1"));
    const [{ entry: e, file }] = entries(dir);
    expect(e).toMatchObject({ version: 1, mark: "m1", type: "ApmAgentKey", writer: { pid: process.pid } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(writerGone(e.writer)).toBe(false); // this very process
    forgetCreate(dir, "m1");
    expect(entries(dir)).toEqual([]);
  });

  it("knows a writer is gone only when its process ended on this host", () => {
    const started = readFileSync("/proc/self/stat", "utf8")
      .replace(/^.*\) /s, "")
      .split(" ")[19];
    expect(writerGone({ host: os.hostname(), pid: endedPid(), started: "1" })).toBe(true);
    expect(writerGone({ host: os.hostname(), pid: process.pid, started })).toBe(false);
    expect(writerGone({ host: os.hostname(), pid: process.pid, started: "not-this-one" })).toBe(true); // pid reused
    expect(writerGone({ host: `${os.hostname()}-elsewhere`, pid: endedPid(), started: "1" })).toBe(false);
  });

  it("lets one process claim an entry; a released one can be claimed again; junk files are skipped", () => {
    const dir = fresh();
    recordCreate(dir, entry("m2"));
    writeFileSync(path.join(dir, "junk.json"), "{not json");
    const [{ file }] = entries(dir);
    const claimed = claim(file)!;
    expect(claimed).toBeDefined();
    expect(claim(file)).toBeUndefined();
    expect(entries(dir)).toEqual([]);
    release(claimed);
    expect(entries(dir).map((e) => e.entry.mark)).toEqual(["m2"]);
    expect(readdirSync(dir).some((n) => n.endsWith(".tmp"))).toBe(false);
  });

  it("matches clusters by a shared node URL", () => {
    expect(sharesUrl(["http://A:9200/"], ["http://b:9200", "http://a:9200"])).toBe(true);
    expect(sharesUrl(["http://a:9200"], ["http://b:9200"])).toBe(false);
  });
});
