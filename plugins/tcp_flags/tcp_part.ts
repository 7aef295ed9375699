/**
 * tcpFlags, per packet parsed as TCP: the TCP part (spec/plugins/tcpFlags.md §5.15-§5.20) —
 * flags, options, the effective window and its statistics, the sequence and ACK analysis,
 * then the flow's state update. The steps share the packet's values through a
 * {@linkcode Scratch}; each is its own function (see ip_part.ts for why).
 *
 * @module
 */

import { type Flows, flowStatus, type Packet } from "../../mod.ts";
import { RTT_ACK, RTT_STOP, RTT_SYN, RTT_SYN_ACK } from "./ip_part.ts";
import type { Scratch, Totals } from "./run_state.ts";
import type { Config } from "./settings.ts";
import {
  ACK_BYTES,
  ACK_CNT,
  ACK_FAULT_CNT,
  ACK_LAST,
  ANOMALY,
  ANOMALY_LAST,
  FLAGS_AGG,
  IN_FLIGHT,
  IN_FLIGHT_MAX,
  IP_FLAGS,
  JA4_CNT,
  LAST_FLAGS,
  M_LEN,
  MP_AID,
  MP_DSSF,
  MP_F,
  MP_TBF,
  MSS,
  OPT_CNT,
  OPT_PKT_CNT,
  type Records,
  RTT_AVG,
  RTT_STATE,
  SCAN_PKTS,
  SEQ_BYTES,
  SEQ_FAULT_CNT,
  SEQ_LAST,
  SEQ_MAX,
  SEQ_NEXT,
  SEQ_OK_CNT,
  STAT,
  STAT_LAST,
  TCP_OPTS,
  TS_ECR,
  TS_FIRST_NS,
  TS_FIRST_SEC,
  TS_LAST_NS,
  TS_LAST_SEC,
  TS_VAL,
  TS_VAL_INIT,
  TS_VAL_MAX,
  WIN_AVG,
  WIN_DIR_CHG,
  WIN_DOWN,
  WIN_INIT,
  WIN_LAST,
  WIN_MAX,
  WIN_MIN,
  WIN_MIN_CNT,
  WIN_PKTS,
  WIN_UP,
  WS_SHIFT,
} from "./state.ts";

const { IPV4_FRAG_PENDING_H } = flowStatus;

/**
 * §5.15: the flags byte widened with the combination bits into `s.fl`; the SYN retry and scan
 * checks, the RTT state machine and the bytes in flight.
 */
export function tcpFlagsStep(
  r: Records,
  t: Totals,
  s: Scratch,
  p: Packet,
  flow: number,
  o: number,
): void {
  const u8 = r.u8;
  const p8 = flow * r.w8;
  let fl = p.u8(p.l4Off + 13);
  const tf = fl & 0x3f;
  if (tf === 0) {
    fl |= 0x0800; // NULL
    s.anom |= 0x1000;
  } else if (tf === 0x29) {
    fl |= 0x8000; // Xmas
    s.anom |= 0x1000;
  }
  switch (fl & 0x17) {
    case 0x02:
      if (u8[p8 + RTT_STATE] === RTT_SYN) {
        if (s.d > 0.9) {
          s.anom |= 0x0001;
          t.nSynRetry++;
        } else {
          s.anom |= 0x1000;
          t.nScans++;
        }
      }
      if (p.l7Len > 0) s.anom |= 0x4000;
      u8[p8 + RTT_STATE] = RTT_SYN;
      break;
    case 0x12:
      fl |= 0x0200;
      u8[p8 + RTT_STATE] = RTT_SYN_ACK;
      break;
    case 0x10:
      if (u8[p8 + RTT_STATE] === RTT_SYN_ACK) u8[p8 + RTT_STATE] = RTT_ACK;
      if (o >= 0) inFlight(r, p, flow, o);
      break;
    case 0x11:
      fl |= 0x0100;
      u8[p8 + RTT_STATE] = RTT_STOP;
      break;
    case 0x14:
      fl |= 0x0400;
      u8[p8 + RTT_STATE] = RTT_STOP;
      break;
    case 0x03:
      fl |= 0x1000;
      u8[p8 + RTT_STATE] = RTT_STOP;
      break;
    case 0x07:
      fl |= 0x2000;
      u8[p8 + RTT_STATE] = RTT_STOP;
      break;
    case 0x05:
      fl |= 0x4000;
      u8[p8 + RTT_STATE] = RTT_STOP;
      break;
    default:
      u8[p8 + RTT_STATE] = RTT_STOP;
  }
  s.fl = fl;
}

/** A pure ACK: the opposite's RTT state moves on, its bytes in flight are acknowledged. */
function inFlight(r: Records, p: Packet, flow: number, o: number): void {
  const u32 = r.u32;
  const p32 = flow * r.w32;
  const o8 = o * r.w8;
  const os = r.u8[o8 + RTT_STATE];
  if (os === 0 || os === RTT_SYN_ACK) r.u8[o8 + RTT_STATE] = RTT_ACK;
  u32[o * r.w32 + IN_FLIGHT] = 0;
  u32[p32 + IN_FLIGHT] += p.l7Len;
  if (u32[p32 + IN_FLIGHT] > u32[p32 + IN_FLIGHT_MAX]) {
    u32[p32 + IN_FLIGHT_MAX] = u32[p32 + IN_FLIGHT];
  }
}

/** §5.16: the TCP options (`s.tcpOptLen` bytes after the fixed header). */
export function tcpOptions(
  r: Records,
  t: Totals,
  s: Scratch,
  cfg: Config,
  p: Packet,
  flow: number,
  o: number,
): void {
  const u32 = r.u32;
  const u16 = r.u16;
  const u8 = r.u8;
  const p32 = flow * r.w32;
  const p16 = flow * r.w16;
  const p8 = flow * r.w8;
  const optLen = s.tcpOptLen;
  const fl = s.fl;
  if (
    p.snapL3Len < p.l3HdrLen + s.l4HdrLenLocal &&
    ((p.l3Len - p.l3HdrLen) & 0xffff) >= s.l4HdrLenLocal
  ) {
    s.fs |= 0x0008; // not captured
    return;
  }
  u16[p16 + OPT_PKT_CNT]++;
  const opt = p.l4Off + 20;
  const ja4 = p8 + r.ja4Opts;
  const ja4Max = cfg.ja4t ? cfg.ja4Max : 0;
  let i = 0;
  while (i < optLen) {
    const kind = p.u8(opt + i);
    if (kind === 0) break;
    u16[p16 + OPT_CNT]++;
    // JA4T: the kinds of every packet with SYN (a retransmitted SYN adds them again).
    if (u16[p16 + JA4_CNT] < ja4Max && (fl & 0x02)) u8[ja4 + u16[p16 + JA4_CNT]++] = kind;
    u32[p32 + TCP_OPTS] |= kind < 31 ? 1 << kind : 0x80000000;
    const len = p.u8(opt + i + 1);
    if (kind > 1 && len === 0) {
      s.fs |= 0x0008;
      break;
    }
    switch (kind) {
      case 2:
        u16[p16 + MSS] = p.u16(opt + i + 2);
        break;
      case 5:
        s.fs |= 0x4000;
        break;
      case 3:
        if (fl & 0x02) {
          u8[p8 + WS_SHIFT] = p.u8(opt + i + 2);
          // A SYN-ACK with window scaling: on for both directions (straight into the flows).
          if ((fl & 0x12) === 0x12) {
            u16[p16 + STAT] |= 0x0200;
            if (o >= 0) u16[o * r.w16 + STAT] |= 0x0200;
          }
        }
        break;
      case 8:
        timestampOption(r, s, p, flow, opt + i);
        break;
      case 30:
        mptcpOption(r, t, s, p, flow, opt + i, len);
        break;
    }
    i += kind > 1 ? len : 1;
  }
}

/** A timestamp option at `at`. */
function timestampOption(r: Records, s: Scratch, p: Packet, flow: number, at: number): void {
  const u32 = r.u32;
  const p64 = flow * r.w64;
  const p32 = flow * r.w32;
  p.u32Into(u32, p32 + TS_VAL, at + 2);
  p.u32Into(u32, p32 + TS_ECR, at + 6);
  r.d64[p64 + TS_LAST_SEC] = p.tsSec;
  u32[p32 + TS_LAST_NS] = p.tsNs;
  if (u32[p32 + TS_VAL] < u32[p32 + TS_VAL_MAX]) {
    s.fs |= 0x0004;
    return;
  }
  u32[p32 + TS_VAL_MAX] = u32[p32 + TS_VAL];
  if (!(s.fs & 0x0002)) {
    u32[p32 + TS_VAL_INIT] = u32[p32 + TS_VAL];
    r.d64[p64 + TS_FIRST_SEC] = p.tsSec;
    u32[p32 + TS_FIRST_NS] = p.tsNs;
    s.fs |= 0x0002;
  }
}

/** An MPTCP option at `at` of length `len`. */
function mptcpOption(
  r: Records,
  t: Totals,
  s: Scratch,
  p: Packet,
  flow: number,
  at: number,
  len: number,
): void {
  const u8 = r.u8;
  const p8 = flow * r.w8;
  const b2 = p.u8(at + 2);
  const b3 = p.u8(at + 3);
  const st = b2 >>> 4;
  s.mpTyp = st;
  r.u16[flow * r.w16 + MP_TBF] |= 1 << st;
  if (st === 0) {
    s.mpF = b3;
    u8[p8 + MP_F] |= b3;
  } else if (st === 1 || st === 5) {
    if (len <= 16) {
      s.mpF = b2 & 0x0f;
      s.mpAID = b3;
      u8[p8 + MP_F] |= s.mpF;
      u8[p8 + MP_AID] = b3;
    }
  } else if (st === 2) {
    s.mpDSSF = b3 & 0x1f;
    u8[p8 + MP_DSSF] |= s.mpDSSF;
  } else if (st === 3 || st === 4) {
    s.mpAID = b3;
    u8[p8 + MP_AID] = b3;
  }
  s.fs |= 0x8000;
  t.nMptcpOpts++;
}

/** §5.17: the effective window into `s.win` (scaled once scaling was on before this packet). */
export function window(r: Records, s: Scratch, p: Packet, flow: number): void {
  let win = p.u16(p.l4Off + 14);
  s.ws = 0;
  if (s.fs & 0x0200) {
    s.ws = (1 << r.u8[flow * r.w8 + WS_SHIFT]) & 0xffff;
    win = (win * s.ws) >>> 0;
  }
  s.win = win;
}

/** §5.18: window statistics and the (sticky) direction machine. */
export function windowStats(r: Records, t: Totals, s: Scratch, cfg: Config, flow: number): void {
  const u32 = r.u32;
  const u16 = r.u16;
  const f32 = r.f32;
  const p32 = flow * r.w32;
  const p16 = flow * r.w16;
  const win = s.win;
  t.nTcpPkts++;
  u32[p32 + WIN_PKTS]++;
  if (!(s.fl & 0x07) && win < cfg.winMin) {
    t.nLowWin++;
    u32[p32 + WIN_MIN_CNT]++;
    s.fs |= 0x0100;
  }
  if (!(s.fs & 0x0010)) {
    u32[p32 + WIN_MIN] =
      u32[p32 + WIN_MAX] =
      u32[p32 + WIN_INIT] =
      u32[p32 + WIN_LAST] =
        win;
    f32[p32 + WIN_AVG] = win;
    s.fs |= 0x0010;
  }
  f32[p32 + WIN_AVG] = f32[p32 + WIN_AVG] * 0.7 + Math.fround(win) * 0.3;
  const last = u32[p32 + WIN_LAST];
  if (!(s.fs & 0x0800)) {
    if (win < last) {
      u16[p16 + WIN_DOWN]++;
      if (win < u32[p32 + WIN_MIN]) u32[p32 + WIN_MIN] = win;
    } else if (win > last) {
      u16[p16 + WIN_DIR_CHG]++;
      u16[p16 + WIN_UP]++;
      if (win > u32[p32 + WIN_MAX]) u32[p32 + WIN_MAX] = win;
      s.fs |= 0x0800;
    }
  } else if (win > last) {
    u16[p16 + WIN_UP]++;
    if (win > u32[p32 + WIN_MAX]) u32[p32 + WIN_MAX] = win;
  } else if (win < last) {
    u16[p16 + WIN_DIR_CHG]++;
    u16[p16 + WIN_DOWN]++;
    if (win < u32[p32 + WIN_MIN]) u32[p32 + WIN_MIN] = win;
    s.fs &= ~0x0800;
  }
}

/** §5.19: sequence and ACK numbers (zero-window probes, keep-alives, retransmissions...). */
export function seqAck(
  r: Records,
  t: Totals,
  s: Scratch,
  p: Packet,
  flow: number,
  o: number,
): void {
  const d64 = r.d64;
  const u32 = r.u32;
  const u16 = r.u16;
  const u8 = r.u8;
  const p64 = flow * r.w64;
  const p32 = flow * r.w32;
  const p16 = flow * r.w16;
  const p8 = flow * r.w8;
  const hasO = o >= 0;
  const o32 = o * r.w32;
  const o16 = o * r.w16;
  const o8 = o * r.w8;
  const fl = s.fl;
  const win = s.win;
  const seq = s.seq;
  const ack = s.ack;
  const l7Len = p.l7Len;
  if (hasO && !(fl & 0x07)) {
    if (u32[o32 + WIN_LAST] === 0 && l7Len === 1) s.fs |= 0x0040;
    else if ((u16[o16 + STAT_LAST] & 0x0040) && win === 0 && l7Len === 0) s.fs |= 0x0080;
  }
  if ((fl & 0x10) && !(s.fs & 0x00c0)) {
    if (l7Len <= 1 && !(fl & 0x07)) {
      if (seq === ((u32[p32 + SEQ_MAX] - 1) >>> 0)) s.anom |= 0x0010;
      else if (hasO && u32[o32 + SEQ_NEXT] === ((ack - 1) >>> 0)) s.anom |= 0x0020;
    }
    if (u32[p32 + ACK_LAST] === ack && !(s.anom & 0x0030)) sameAck(r, t, s, p, flow, o);
    if (seq === u32[p32 + SEQ_NEXT]) u16[p16 + SEQ_OK_CNT]++;
    if (hasO && u32[o32 + SEQ_MAX] < ack) {
      s.anom |= 0x0100;
      u16[p16 + ACK_FAULT_CNT]++;
    }
    if (!(u8[p8 + LAST_FLAGS] & 0x07) && seq > u32[p32 + SEQ_MAX]) s.anom |= 0x0200;
    if (u32[p32 + SEQ_LAST] !== 0) {
      const sd = (seq - u32[p32 + SEQ_LAST]) | 0;
      let seqLen = sd > 0 ? sd : 0;
      if ((u8[p8 + LAST_FLAGS] & 0x07) && sd === 1) seqLen = 0;
      d64[p64 + SEQ_BYTES] += seqLen;
      s.sd = sd;
      s.seqLen = seqLen;
    }
    if (u32[p32 + ACK_LAST] !== 0) {
      const ad = (ack - u32[p32 + ACK_LAST]) | 0;
      let ackLen = ad > 0 ? ad : 0;
      if (((u8[p8 + LAST_FLAGS] & 0x07) || (hasO && (u8[o8 + LAST_FLAGS] & 0x07))) && ad === 1) {
        ackLen = 0;
      }
      d64[p64 + ACK_BYTES] += ackLen;
      s.ad = ad;
      s.ackLen = ackLen;
    }
    u16[p16 + ACK_CNT]++;
  }
  d64[p64 + M_LEN] += l7Len;
  if (
    hasO && !(s.fs & 0x00c0) && u32[p32 + IN_FLIGHT] >= u32[o32 + WIN_LAST] &&
    !(u8[o8 + LAST_FLAGS] & 0x04) && (u16[p16 + FLAGS_AGG] & 0x02)
  ) {
    s.fs |= 0x0400; // window full
  }
}

/** The ACK number repeats: duplicate ACKs, window updates, out of order, retransmissions. */
function sameAck(r: Records, t: Totals, s: Scratch, p: Packet, flow: number, o: number): void {
  const u32 = r.u32;
  const u16 = r.u16;
  const p32 = flow * r.w32;
  const p16 = flow * r.w16;
  const hasO = o >= 0;
  const o32 = o * r.w32;
  const fl = s.fl;
  const seq = s.seq;
  const win = s.win;
  const l7Len = p.l7Len;
  if ((s.fs & 0x0001) && !(fl & 0x07) && l7Len === 0) {
    if (
      u32[p32 + WIN_LAST] === win ||
      ((s.fs & 0x0200) && ((u32[p32 + WIN_LAST] * s.ws) >>> 0) === win)
    ) {
      s.anom |= 0x0008;
      u16[p16 + ACK_FAULT_CNT]++;
    } else if (seq === u32[p32 + SEQ_NEXT]) {
      s.fs |= 0x0020;
    }
  }
  if (!(fl & 0x07) && seq < u32[p32 + SEQ_MAX]) s.anom |= 0x0040;
  else if (seq < u32[p32 + SEQ_NEXT]) {
    if (
      hasO && s.d > Math.fround(r.f32[o32 + RTT_AVG] + r.f32[p32 + RTT_AVG]) * 1.5 &&
      u32[p32 + WIN_LAST] === win
    ) {
      s.anom |= 0x0002;
      t.nSeqRetry++;
      u16[p16 + SEQ_FAULT_CNT]++;
    }
  }
  if (
    hasO && (u16[o * r.w16 + ANOMALY_LAST] & 0x0008) && seq === u32[o32 + ACK_LAST] &&
    (l7Len > 0 || (fl & 0x03)) && seq < u32[p32 + SEQ_NEXT]
  ) {
    s.anom |= 0x0004;
    t.nSeqRetry++;
    u16[p16 + SEQ_FAULT_CNT]++;
  }
  if (hasO && u32[o32 + ACK_LAST] > seq) s.anom |= 0x0080;
}

/** §5.20: the flow's state after the packet. */
export function tcpCommit(
  r: Records,
  s: Scratch,
  cfg: Config,
  flows: Flows,
  p: Packet,
  flow: number,
  o: number,
): void {
  const u32 = r.u32;
  const u16 = r.u16;
  const u8 = r.u8;
  const p32 = flow * r.w32;
  const p16 = flow * r.w16;
  const p8 = flow * r.w8;
  const fl = s.fl;
  const seq = s.seq;
  u32[p32 + SEQ_LAST] = seq;
  let next = seq + p.l7Len;
  if (fl & 0x07) next += 1;
  else if (s.fs & 0x0040) next -= 1;
  u32[p32 + SEQ_NEXT] = next;
  u32[p32 + ACK_LAST] = s.ack;
  if (u32[p32 + SEQ_NEXT] > u32[p32 + SEQ_MAX]) u32[p32 + SEQ_MAX] = u32[p32 + SEQ_NEXT];
  u32[p32 + WIN_LAST] = s.win;
  u8[p8 + LAST_FLAGS] = fl & 0xff;
  u16[p16 + FLAGS_AGG] |= fl;
  u16[p16 + ANOMALY] |= s.anom;
  u16[p16 + ANOMALY_LAST] = s.anom;
  const fs = s.fs | 0x0001;
  u16[p16 + STAT] |= fs;
  u16[p16 + STAT_LAST] = fs;
  if (o >= 0 && (flows.statusHi[o] & IPV4_FRAG_PENDING_H) && (fl & 0x05)) {
    u16[o * r.w16 + IP_FLAGS] |= 0x0200;
  }
  if (u8[p8 + SCAN_PKTS] < 6) u8[p8 + SCAN_PKTS]++;
  if (cfg.flagCount) {
    const c = p16 + r.flagCounts;
    for (let b = 0; b < 16; b++) if (fl & (1 << b)) u16[c + b]++;
  }
}
