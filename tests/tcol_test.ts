/**
 * `t2 tcol` against util-linux `column -t -s TAB`, run here at test time in a UTF-8 locale
 * (skipped, saying so, where `column` is not installed): the reference outputs of ../shared
 * (flow, packet and summary files) and inputs made to hit the edge cases of §2 of
 * ../shared/spec/tools/tcol.md. Also `t2 tawk ... | t2 tcol`, the tutorials' pipeline.
 */

import assert from "node:assert/strict";
import { column, firstDifference, HAS_COLUMN, HAS_GAWK, REFERENCE, tawk, tcol } from "./_tawk.ts";

const noColumn = HAS_COLUMN ? "" : " SKIPPED: util-linux column is not installed";
const noRef = REFERENCE ? "" : " SKIPPED: ../shared/reference is absent";

async function same(args: string[], input?: { text?: string; file?: string }) {
  const [got, want] = await Promise.all([tcol(args, input), column(args, input)]);
  assert.equal(want.code, 0, want.stderr);
  assert.equal(got.code, 0, got.stderr);
  assert.ok(
    got.stdout === want.stdout,
    `${args.join(" ")}: ${firstDifference(got.stdout, want.stdout)}`,
  );
  return got.stdout;
}

Deno.test({
  name: `tcol: equals column -t -s TAB on reference flow, packet and summary files${
    noColumn || noRef
  }`,
  ignore: !HAS_COLUMN || !REFERENCE,
  async fn() {
    const r = REFERENCE!;
    for (
      const f of [
        "annoloc-small/flow/annoloc-small_flows.txt",
        "annoloc-small/flow/annoloc-small_tcpwin.txt",
        "annoloc-small/flow/annoloc-small_headers.txt",
        "faf-small/flow-s/faf-small_packets.txt",
        "faf-small/dflt/faf-small_flows.txt",
        "annoloc-small/dflt/annoloc-small_protocols.txt",
        "annoloc-small/dflt/annoloc-small_icmpStats.txt",
        "6in4-tunnel-ipv6-tcp-tls-dns-icmpv6/base/6in4-tunnel-ipv6-tcp-tls-dns-icmpv6_flows.txt",
      ]
    ) {
      await same([r + f]);
    }
    // several files, and standard input
    await same([
      r + "annoloc-small/flow/annoloc-small_tcpwin.txt",
      r + "faf-small/flow/faf-small_tcpwin.txt",
    ]);
    await same([], { file: r + "faf-small/flow/faf-small_flows.txt" });
  },
});

Deno.test({
  name: `tcol: equals column on empty cells, blank lines, wide and invalid characters${noColumn}`,
  ignore: !HAS_COLUMN,
  async fn() {
    const cases = [
      "a\tbb\tccc\nxyz\n\tq\nk\tl\tm\tn\n",
      "a\tb\n\n  \n\t\t\n\r\n\f\nc\td\n",
      "x\t\t\ty\n\t\t\t\n1\t2\n",
      "日本語\tx\nAB\ty\né\u0301\tz\n",
      "\x1b[1;31mred\x1b[0m\tx\n\x01[12\ty\nplain\tz\n",
      "😀\ta\n\u200b\tb\n\u00a0\tc\n\u3000\n",
      "last\tline\tno newline",
      "cr\tline\r\nnext\tx\r\n",
      "",
    ];
    for (const text of cases) await same([], { text });
    // bytes that are not UTF-8: through a file, so that they are not re-encoded
    const dir = Deno.makeTempDirSync();
    try {
      const path = `${dir}/bad.txt`;
      Deno.writeFileSync(
        path,
        new Uint8Array([
          0x61,
          0xc3,
          0x09,
          0x78,
          0x0a,
          0xe6,
          0x97,
          0x62,
          0x09,
          0x79,
          0x0a,
          0xed,
          0xa0,
          0x80,
          0x0a,
        ]),
      );
      await same([path]);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: `tcol: t2 tawk ... | t2 tcol gives column's table of gawk's selection${
    noColumn || noRef || (HAS_GAWK ? "" : " SKIPPED: gawk is not installed")
  }`,
  ignore: !HAS_COLUMN || !REFERENCE || !HAS_GAWK,
  async fn() {
    const f = `${REFERENCE}annoloc-small/flow/annoloc-small_flows.txt`;
    const sel = await tawk(["hdr() || ($tcpWinThCnt > 20 && ($tcpWinThCnt / $pktsSnt) > 0.9)", f]);
    assert.equal(sel.code, 0, sel.stderr);
    const table = await same([], { text: sel.stdout });
    const lines = table.split("\n");
    assert.ok(lines[0].startsWith("%dir  flowInd  flowStat"));
    assert.ok(lines[1].startsWith("B     53       0x0400000200004001"));
  },
});

Deno.test("tcol: a missing file is named on stderr, the others are shown, exit 1", async () => {
  const r = await tcol(["/nonexistent/x.txt"], { text: "" });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /t2 tcol: \/nonexistent\/x\.txt: No such file or directory/);
});

Deno.test({
  name: `tcol: a summary file, by the rules of the spec (no column needed)${noRef}`,
  ignore: !REFERENCE,
  async fn() {
    const r = await tcol([`${REFERENCE}annoloc-small/flow/annoloc-small_tcpwin.txt`]);
    assert.equal(r.code, 0, r.stderr);
    // widths 15, 9, 11: cells padded, two spaces between columns, the last one not padded
    assert.equal(
      r.stdout,
      "# IP             pktTcpCnt  winRelThCnt\n" +
        "138.212.188.72   122        0.032787\n" +
        "138.212.191.238  60         0.966667\n",
    );
  },
});
