import { describe, expect, it } from "vitest";
import {
  formatBandwidth,
  formatDuration,
  formatSize,
  parseBandwidth,
  parseDuration,
  parseSize,
  sizeToPages,
} from "../../src/core/units.js";
import { UsageError } from "../../src/core/errors.js";

describe("parseSize", () => {
  it("reads binary units as powers of 1024 and decimal units as powers of 1000", () => {
    expect(parseSize("64GiB")).toBe(64 * 2 ** 30);
    expect(parseSize("4KiB")).toBe(4096);
    expect(parseSize("2MiB")).toBe(2 * 2 ** 20);
    expect(parseSize("1TiB")).toBe(2 ** 40);
    expect(parseSize("3GB")).toBe(3e9);
    expect(parseSize("1.5 GiB")).toBe(1.5 * 2 ** 30);
    expect(parseSize("512M")).toBe(512 * 2 ** 20); // numactl-style suffix
    expect(parseSize(12345)).toBe(12345);
  });

  it("rejects unknown units naming the value, the rule and the fix", () => {
    expect(() => parseSize("64GiBs", "capacity")).toThrow(UsageError);
    expect(() => parseSize("64GiBs", "capacity")).toThrow(
      /^capacity: got "64GiBs"; is not a quantity with a known unit \(.*\)\. Fix: write e\.g\. "64GiB" or "4KiB"\.$/,
    );
    expect(() => parseSize("-1GiB")).toThrow(/known unit/);
    expect(() => parseSize(-5)).toThrow(/cannot be negative/);
    expect(() => parseSize(Number.NaN)).toThrow(/finite number/);
  });

  it("rounds lengths up to whole pages as mmap does", () => {
    expect(sizeToPages("64MiB")).toBe(16384);
    expect(sizeToPages(1)).toBe(1);
    expect(sizeToPages(4097)).toBe(2);
    expect(sizeToPages(0)).toBe(0);
  });
});

describe("parseBandwidth and parseDuration", () => {
  it("converts bandwidth to GB/s", () => {
    expect(parseBandwidth("250GB/s")).toBe(250);
    expect(parseBandwidth("200000MB/s")).toBeCloseTo(200, 12);
    expect(parseBandwidth("36 GB/s")).toBe(36);
    expect(parseBandwidth(24.5)).toBe(24.5);
    expect(() => parseBandwidth("36GB")).toThrow(/bandwidth: got "36GB"/);
  });

  it("converts durations to nanoseconds", () => {
    expect(parseDuration("110ns")).toBe(110);
    expect(parseDuration("10ms")).toBe(1e7);
    expect(parseDuration("30s")).toBe(3e10);
    expect(parseDuration("10min")).toBe(6e11);
    expect(parseDuration("1.5us")).toBe(1500);
    expect(() => parseDuration("10 parsecs", "duration")).toThrow(/duration: got "10 parsecs"/);
  });
});

describe("formatting", () => {
  it("prints with the largest unit that keeps the number >= 1", () => {
    expect(formatSize(64 * 2 ** 30)).toBe("64GiB");
    expect(formatSize(1536)).toBe("1.5KiB");
    expect(formatSize(100)).toBe("100B");
    expect(formatBandwidth(208.5238)).toBe("208.52GB/s");
    expect(formatDuration(1.5e9)).toBe("1.5s");
    expect(formatDuration(110)).toBe("110ns");
    expect(formatDuration(6e11)).toBe("10min");
  });

  it("round-trips through the parsers", () => {
    for (const s of ["64GiB", "4KiB", "3MiB"]) expect(formatSize(parseSize(s))).toBe(s);
    for (const d of ["110ns", "10ms", "30s"]) expect(formatDuration(parseDuration(d))).toBe(d);
  });
});
