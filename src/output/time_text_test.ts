import assert from "node:assert/strict";
import { hasReference, referenceFiles } from "../../tests/_support/reference_files.ts";
import { dateText, durationText } from "./time_text.ts";

Deno.test("dateText()", async (t) => {
  await t.step("formats UTC dates as gmtime + %Z (GMT)", () => {
    assert.equal(
      dateText(1022171701, 691172000, true),
      "1022171701.691172000 sec (Thu 23 May 2002 16:35:01 GMT)",
    );
    assert.equal(dateText(0, 22000, true), "0.000022000 sec (Thu 01 Jan 1970 00:00:00 GMT)");
    assert.equal(
      dateText(1444570624, 853841000, true),
      "1444570624.853841000 sec (Sun 11 Oct 2015 13:37:04 GMT)",
    );
    assert.equal(
      dateText(951782400, 0, true),
      "951782400.000000000 sec (Tue 29 Feb 2000 00:00:00 GMT)",
    );
    assert.equal(
      dateText(4294967295, 999999999, true),
      "4294967295.999999999 sec (Sun 07 Feb 2106 06:28:15 GMT)",
    );
  });

  await t.step("prints a fraction >= 1e9 in full", () => {
    assert.match(dateText(980658802, 1882137472, true), /^980658802\.1882137472 sec \(/);
  });

  await t.step("formats local dates with the local zone abbreviation", () => {
    const sec = 1795433769;
    const d = new Date(sec * 1000);
    const text = dateText(sec, 929543, false);
    assert.match(text, /^1795433769\.000929543 sec \(Mon 23 Nov 2026 \d\d:\d\d:09 [^ ]+\)$/);
    if (d.getTimezoneOffset() === 0 && d.getHours() === d.getUTCHours()) {
      assert.match(text, / 11:36:09 (UTC|GMT|[A-Z]{3,5})\)$/);
    }
  });
});

Deno.test("durationText()", async (t) => {
  await t.step("formats the examples", () => {
    assert.equal(durationText(24, 949226000), "24.949226000 sec");
    assert.equal(durationText(50276, 646078000), "50276.646078000 sec (13h 57m 56s)");
    assert.equal(durationText(226, 927152000), "226.927152000 sec (3m 46s)");
    assert.equal(durationText(50265, 727168000), "50265.727168000 sec (13h 57m 45s)");
    assert.equal(durationText(1566, 588458000), "1566.588458000 sec (26m 6s)");
    assert.equal(durationText(236422779, 72636), "236422779.000072636 sec (7y 181d 8h 59m 39s)");
  });

  await t.step("omits zero parts", () => {
    assert.equal(durationText(0, 0), "0.000000000 sec");
    assert.equal(durationText(59, 999999999), "59.999999999 sec");
    assert.equal(durationText(60, 0), "60.000000000 sec (1m)");
    assert.equal(durationText(3600, 0), "3600.000000000 sec (1h)");
    assert.equal(durationText(3601, 0), "3601.000000000 sec (1h 1s)");
    assert.equal(durationText(86400 + 61, 0), "86461.000000000 sec (1d 1m 1s)");
    assert.equal(durationText(31536000, 5), "31536000.000000005 sec (1y)");
    assert.equal(durationText(31536000 + 7, 5), "31536007.000000005 sec (1y 7s)");
  });
});

// ---------------------------------------------------------------------------------------------

Deno.test({
  name: "dateText() and durationText() reproduce the reference report lines",
  ignore: !hasReference(),
  fn() {
    const files = referenceFiles("_report.txt");
    let dates = 0, durations = 0;
    for (const f of files) {
      const text = Deno.readTextFileSync(f);
      for (const m of text.matchAll(/^Dump st(?:art|op ): ((\d+)\.(\d+) sec .*)$/gm)) {
        assert.equal(dateText(+m[2], +m[3], true), m[1], f);
        dates++;
      }
      for (const m of text.matchAll(/^Total dump duration: ((\d+)\.(\d+) sec.*)$/gm)) {
        assert.equal(durationText(+m[2], +m[3]), m[1], f);
        durations++;
      }
    }
    assert.ok(dates > 100 && durations > 100, `only ${dates} dates, ${durations} durations`);
  },
});
