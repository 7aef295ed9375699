import assert from "node:assert/strict";
import { convertSetting, parseAssignment, Settings, type SettingSpecs } from "./settings.ts";

Deno.test("parseAssignment() reads NAME=VALUE and PART.NAME=VALUE", () => {
  assert.deepStrictEqual(parseAssignment("TCPWIN_THRES=5"), { name: "TCPWIN_THRES", value: "5" });
  assert.deepStrictEqual(parseAssignment("tcpWin.TCPWIN_THRES=5"), {
    part: "tcpWin",
    name: "TCPWIN_THRES",
    value: "5",
  });
  // Spaces around the parts are dropped; the value may contain '=' and '.'.
  assert.deepStrictEqual(parseAssignment(" SUFFIX = _a=b.txt "), {
    name: "SUFFIX",
    value: "_a=b.txt",
  });
  assert.deepStrictEqual(parseAssignment("X="), { name: "X", value: "" });
});

Deno.test("parseAssignment() refuses text without a name before '='", () => {
  for (const bad of ["TCPWIN_THRES", "=5", ""]) {
    assert.throws(() => parseAssignment(bad), (e: Error) => {
      assert.ok(e instanceof SyntaxError);
      assert.equal(e.message, `Cannot parse setting "${bad}": expected NAME=VALUE`);
      return true;
    });
  }
});

Deno.test("convertSetting() converts and checks numbers against the spec", () => {
  const int = { type: "int", default: 1, min: 0, max: 10, description: "" } as const;
  const flt = { type: "float", default: 1, min: 0, description: "" } as const;
  const str = { type: "string", default: "", description: "" } as const;
  assert.equal(convertSetting("N", int, "7"), 7);
  assert.equal(convertSetting("N", int, "1e1"), 10);
  assert.equal(convertSetting("F", flt, "2.2"), 2.2);
  assert.equal(convertSetting("S", str, " 12 "), " 12 ");
  const fails: [typeof int | typeof flt, string, string][] = [
    [int, "7.5", 'Cannot set N to "7.5": expected an integer'],
    [int, "x", 'Cannot set N to "x": expected a number'],
    [int, "", 'Cannot set N to "": expected a number'],
    [flt, "Infinity", 'Cannot set N to "Infinity": expected a number'],
    [int, "-1", 'Cannot set N to "-1": minimum is 0'],
    [int, "11", 'Cannot set N to "11": maximum is 10'],
    [flt, "-0.5", 'Cannot set N to "-0.5": minimum is 0'],
  ];
  for (const [spec, text, message] of fails) {
    assert.throws(() => convertSetting("N", spec, text), (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.equal(e.message, message);
      return true;
    });
  }
});

const CORE: SettingSpecs = {
  FLOW_TIMEOUT: { type: "float", default: 182, min: 0, description: "timeout" },
  SUBNET_ON: { type: "int", default: 1, min: 0, max: 1, description: "geo" },
};
const TCPWIN: SettingSpecs = {
  TCPWIN_THRES: { type: "int", default: 1, min: 0, description: "threshold" },
  TCPWIN_SUFFIX: { type: "string", default: "_tcpwin.txt", description: "suffix" },
};
const TMT: SettingSpecs = {
  TCPWIN_THRES: { type: "int", default: 1, min: 0, description: "threshold" },
  TMT_EST: { type: "float", default: 1, min: 0, description: "established" },
};

function loaded(): Settings {
  const s = new Settings();
  s.declare("core", CORE);
  s.declare("tcpWin", TCPWIN);
  s.declare("tcpWinTMT", TMT);
  return s;
}

Deno.test("Settings start from the declared defaults and list them in declaration order", () => {
  const s = loaded();
  assert.equal(s.get("tcpWin", "TCPWIN_SUFFIX"), "_tcpwin.txt");
  assert.equal(s.num("core", "FLOW_TIMEOUT"), 182);
  assert.deepStrictEqual(
    s.list().map((x) => `${x.part}.${x.name}=${x.value}`),
    [
      "core.FLOW_TIMEOUT=182",
      "core.SUBNET_ON=1",
      "tcpWin.TCPWIN_THRES=1",
      "tcpWin.TCPWIN_SUFFIX=_tcpwin.txt",
      "tcpWinTMT.TCPWIN_THRES=1",
      "tcpWinTMT.TMT_EST=1",
    ],
  );
});

Deno.test("Settings.apply(): a bare name sets every part declaring it, PART.NAME only that part", () => {
  const s = loaded();
  s.apply([{ name: "TCPWIN_THRES", value: "5" }]);
  assert.deepStrictEqual([s.num("tcpWin", "TCPWIN_THRES"), s.num("tcpWinTMT", "TCPWIN_THRES")], [
    5,
    5,
  ]);
  s.apply([{ part: "tcpWinTMT", name: "TCPWIN_THRES", value: "9" }]);
  assert.deepStrictEqual([s.num("tcpWin", "TCPWIN_THRES"), s.num("tcpWinTMT", "TCPWIN_THRES")], [
    5,
    9,
  ]);
  // Later assignments win.
  s.apply([{ name: "FLOW_TIMEOUT", value: "10" }, { name: "FLOW_TIMEOUT", value: "20.5" }]);
  assert.equal(s.num("core", "FLOW_TIMEOUT"), 20.5);
});

Deno.test("Settings.apply(): an undeclared name is an error that suggests close names", () => {
  const s = loaded();
  assert.throws(() => s.apply([{ name: "TCPWIN_THRESH", value: "5" }]), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.equal(
      e.message,
      "Cannot set TCPWIN_THRESH: no loaded part declares TCPWIN_THRESH (did you mean TCPWIN_THRES?)",
    );
    return true;
  });
  assert.throws(() => s.apply([{ name: "subnet_on", value: "0" }]), /did you mean SUBNET_ON\?/);
  assert.throws(
    () => s.apply([{ name: "COMPLETELY_DIFFERENT", value: "0" }]),
    (e: Error) =>
      e.message === "Cannot set COMPLETELY_DIFFERENT: no loaded part declares COMPLETELY_DIFFERENT",
  );
});

Deno.test("Settings.apply(): a part that is not loaded, or that does not declare the name, is an error", () => {
  const s = loaded();
  assert.throws(
    () => s.apply([{ part: "basicStats", name: "X", value: "1" }]),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        'Cannot set basicStats.X: no loaded part is named "basicStats" (loaded: core, tcpWin, tcpWinTMT)',
  );
  assert.throws(
    () => s.apply([{ part: "tcpWin", name: "TMT_EST", value: "1" }]),
    /^RangeError: Cannot set tcpWin.TMT_EST: no loaded part declares TMT_EST/,
  );
});

Deno.test("Settings.apply(): a bad value leaves the setting unchanged and names it", () => {
  const s = loaded();
  assert.throws(
    () => s.apply([{ name: "SUBNET_ON", value: "2" }]),
    /^RangeError: Cannot set SUBNET_ON to "2": maximum is 1$/,
  );
  assert.equal(s.num("core", "SUBNET_ON"), 1);
});

Deno.test("Settings.get() of an undeclared setting throws a RangeError", () => {
  assert.throws(() => loaded().get("core", "NOPE"), RangeError);
  assert.throws(() => loaded().get("nope", "FLOW_TIMEOUT"), RangeError);
});
