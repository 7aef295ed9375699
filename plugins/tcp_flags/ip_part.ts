/**
 * tcpFlags, per packet of an IP flow: the IP part (spec/plugins/tcpFlags.md §5.1-§5.12) —
 * header basics, IP options, TTL, ToS and IP ID, the IPv4 header and layer-4 checksums, the
 * time since the flow's previous packet, fragments and the trip time of the opposite flow.
 * Each step is its own function: a rarely taken branch that makes V8 re-optimise recompiles a
 * small function, not the whole analysis.
 *
 * @module
 */

import type { Packet } from "../../mod.ts";
import { checksumOf, csum, pseudoSum } from "./checksum.ts";
import type { Scratch } from "./run_state.ts";
import type { Config } from "./settings.ts";
import {
  FRAG_NEXT,
  IP6_D_CNT,
  IP6_D_OPTS,
  IP6_HH_CNT,
  IP6_HH_OPTS,
  IP_CP_CL,
  IP_ID_LAST,
  IP_ID_MAX,
  IP_ID_MIN,
  IP_OPT_CNT,
  IP_OPTS,
  L4_HDR_SUM,
  L4_SUM,
  LAST_NS,
  LAST_SEC,
  PKT_CNT,
  type Records,
  RTT_AVG,
  RTT_JIT,
  RTT_MAX,
  RTT_MIN,
  RTT_STATE,
  RTT_TRIP,
  TOS,
  TOT_L4_LEN,
  TTL_CHG,
  TTL_LAST,
  TTL_MAX,
  TTL_MIN,
} from "./state.ts";

/** rttState values. */
export const RTT_SYN = 0x01;
/** SYN-ACK seen, or the first packet of a non-TCP flow. */
export const RTT_SYN_ACK = 0x02;
export const RTT_ACK = 0x04;
export const RTT_STOP = 0x80;

/**
 * §5.2-§5.5: fragment word, TTL, options, ToS and IP ID of the packet into `s`; returns the
 * ipFlags bits found.
 */
export function ipHeader(r: Records, s: Scratch, p: Packet, flow: number): number {
  const u16 = r.u16;
  const u8 = r.u8;
  const p16 = flow * r.w16;
  const p8 = flow * r.w8;
  const ip = p.l3Off;
  const l3Len = p.l3Len;
  const l3HdrLen = p.l3HdrLen;
  let ipF = 0;
  s.hhLen = s.doLen = s.optLen = 0;
  s.hh = s.dOpt = -1;
  if (s.v6) {
    const fh = p.ip6FragOff;
    if (fh >= 0) {
      // Offset bits 9-11 land on 0x20-0x80 (T2 reads the offset's high byte, not the M flag).
      ipF = (p.u8(fh + 2) << 1) & 0xe0;
      s.fragWord = p.u16(fh + 2);
      s.offU = s.fragWord >>> 3;
      s.mf = (s.fragWord & 1) !== 0;
    } else {
      s.fragWord = s.offU = 0;
      s.mf = false;
    }
    s.ttl = p.u8(ip + 7);
    s.hh = p.ip6HopOptsOff;
    if (s.hh >= 0) s.hhLen = ((((p.u8(s.hh + 1) + 1) << 3) - 2) << 16) >> 16;
    s.dOpt = p.ip6DstOptsOff;
    if (s.dOpt >= 0) s.doLen = ((((p.u8(s.dOpt + 1) + 1) << 3) - 2) << 16) >> 16;
    if (s.hhLen > 0 || s.doLen > 0) {
      if (p.snapL3Len < l3HdrLen || l3Len < l3HdrLen) ipF |= 0x0001;
      else {
        if (s.hhLen > 0) ipv6Options(r, p, s.hh + 2, s.hhLen, flow, IP6_HH_OPTS, IP6_HH_CNT);
        if (s.doLen > 0) ipv6Options(r, p, s.dOpt + 2, s.doLen, flow, IP6_D_OPTS, IP6_D_CNT);
      }
    }
  } else {
    s.fragWord = p.u16(ip + 6);
    ipF = (s.fragWord >>> 8) & 0xe0;
    s.offU = s.fragWord & 0x1fff;
    s.mf = (s.fragWord & 0x2000) !== 0;
    s.ttl = p.u8(ip + 8);
    s.optLen = l3HdrLen - 20;
    if (s.optLen > 0) {
      if (p.snapL3Len < l3HdrLen || l3Len < l3HdrLen) ipF |= 0x0001;
      else ipF |= ipv4Options(r, p, ip + 20, s.optLen, flow);
    }
  }

  // §5.4 TTL
  const ttl = s.ttl;
  if (ttl !== u8[p8 + TTL_LAST]) u8[p8 + TTL_CHG]++;
  u8[p8 + TTL_LAST] = ttl;
  if (ttl < u8[p8 + TTL_MIN]) u8[p8 + TTL_MIN] = ttl;
  if (ttl > u8[p8 + TTL_MAX]) u8[p8 + TTL_MAX] = ttl;

  // §5.5 ToS and IP ID (the deltas from the flow's second packet on; compared as signed
  // integers, stored as 16 bits)
  s.ipID = s.idDiff = 0;
  if (s.v6) {
    s.tos = (p.u16(ip) >>> 4) & 0xff;
  } else {
    s.tos = p.u8(ip + 1);
    const id = p.u16(ip + 4);
    s.ipID = id;
    if (s.fs & 0x0001) {
      const last = u16[p16 + IP_ID_LAST];
      const diff = id - last;
      s.idDiff = diff;
      if (id < last) ipF |= 0x0004;
      const min = u16[p16 + IP_ID_MIN];
      u16[p16 + IP_ID_MIN] = diff < min ? diff : min;
      const max = u16[p16 + IP_ID_MAX];
      u16[p16 + IP_ID_MAX] = diff > max ? diff : max;
    }
  }
  u8[p8 + TOS] |= s.tos;
  return ipF;
}

/** IPv4 options (§5.3): returns the ipFlags bits. */
function ipv4Options(r: Records, p: Packet, opt: number, optLen: number, flow: number): number {
  const p32 = flow * r.w32;
  const p16 = flow * r.w16;
  const p8 = flow * r.w8;
  let i = 0;
  while (i < optLen) {
    const kind = p.u8(opt + i);
    if (kind === 0) break;
    r.u8[p8 + IP_CP_CL] |= kind & 0xe0;
    r.u32[p32 + IP_OPTS] |= 1 << (kind & 0x1f);
    r.u16[p16 + IP_OPT_CNT]++;
    if (kind > 1) {
      const len = p.u8(opt + i + 1);
      if (len === 0) return 0x0001;
      i += len;
    } else {
      i++;
    }
  }
  return 0;
}

/** Options of an IPv6 hop-by-hop or destination options area (§5.3): bitmap and count. */
function ipv6Options(
  r: Records,
  p: Packet,
  opt: number,
  len: number,
  flow: number,
  bitmap: number,
  count: number,
): void {
  const b = flow * r.w32 + bitmap;
  const c = flow * r.w16 + count;
  let i = 0;
  while (i < len) {
    const type = p.u8(opt + i);
    if (type === 0) break;
    r.u32[b] |= 1 << (type & 0x1f);
    r.u16[c]++;
    i += p.u8(opt + i + 1) + 2;
  }
}

/** §5.6: the IPv4 header checksum; returns the ipFlags bits. */
export function ipChecksum(s: Scratch, p: Packet): number {
  const ip = p.l3Off;
  s.ipHdrSum = p.u16(ip + 10);
  s.ipCalSum = 0;
  if (p.snapL3Len < p.l3HdrLen) return 0x1400;
  s.ipCalSum = checksumOf(csum(p.data, ip, p.l3HdrLen, p.end, 0, 5));
  return s.ipCalSum !== s.ipHdrSum ? 0x0400 : 0;
}

/**
 * §5.7-§5.8: the layer-4 checksum, summed over a first fragment's captured bytes and checked
 * when the datagram's last fragment arrives; sets `s.l4HdrSum`, `s.l4CalSum`,
 * `s.l4HdrLenLocal` and the pending bit of `s.fs`; returns the ipFlags bits.
 */
export function l4Checksum(r: Records, s: Scratch, p: Packet, flow: number): number {
  const u32 = r.u32;
  const u16 = r.u16;
  const p32 = flow * r.w32;
  const p16 = flow * r.w16;
  const l4 = p.l4Off;
  const l3Len = p.l3Len;
  const l4Len = (l3Len - p.l3HdrLen) & 0xffff;
  const chkFirst = s.v6 ? (s.offU & 0xff1f) === 0 : s.offU === 0;
  const proto = p.l4Proto;
  let ipF = 0;
  let chkLen = l4Len;
  let useP = true;
  let sumWord = 0;
  s.l4HdrSum = s.l4CalSum = 0;
  s.l4HdrLenLocal = 8;
  if (chkFirst) {
    s.fs |= 0x1000;
    switch (proto) {
      case 1:
      case 2:
        sumWord = 1;
        useP = false;
        break;
      case 58:
        sumWord = 1;
        s.l4HdrLenLocal = 4;
        break;
      case 6:
        sumWord = 8;
        s.l4HdrLenLocal = p.l4HdrLen;
        break;
      case 136: {
        sumWord = 3;
        const ulen = p.u16(l4 + 4);
        if (ulen >= 8 && ulen <= l4Len) chkLen = ulen;
        else ipF |= 0x2000;
        if (p.snapL4Len !== ulen) ipF |= 0x2000;
        break;
      }
      case 17:
        sumWord = 3;
        if (p.snapL4Len !== p.u16(l4 + 4)) ipF |= 0x2000;
        break;
      case 47:
        if (p.u8(l4) & 0x80) sumWord = 2;
        else s.l4HdrLenLocal = 4;
        break;
      case 89:
        sumWord = 6;
        if (p.u8(l4) === 2) {
          s.l4HdrLenLocal = 24;
          useP = false;
        } else {
          s.l4HdrLenLocal = 16;
        }
        break;
      default:
        // Not checked at all.
        if (p.snapL3Len < l3Len) ipF |= 0x1800;
        s.fs &= ~0x1000;
        return ipF;
    }
    s.l4HdrSum = p.u16(l4 + 2 * sumWord);
    u16[p16 + L4_HDR_SUM] = s.l4HdrSum;
    u32[p32 + TOT_L4_LEN] = 0;
    // Not captured: T2 keeps the previous packet's running sum.
    if (p.snapL3Len < l3Len || p.snapL4Len < l4Len) ipF |= 0x1800;
    else if (sumWord !== 0) u16[p16 + L4_SUM] = csum(p.data, l4, chkLen, p.end, 0, sumWord);
  }
  u32[p32 + TOT_L4_LEN] += l4Len;
  if (!s.mf) {
    if (useP) {
      const len = chkFirst ? l4Len : u32[p32 + TOT_L4_LEN] & 0xffff;
      u16[p16 + L4_SUM] = pseudoSum(p.addr, s.v6, proto, len, u16[p16 + L4_SUM]);
    }
    s.l4HdrSum = u16[p16 + L4_HDR_SUM];
    const sum = u16[p16 + L4_SUM];
    s.l4CalSum = sum !== 0xffff ? checksumOf(sum) : 0xffff;
    if (s.l4HdrSum !== s.l4CalSum) ipF |= 0x0800;
    s.fs &= ~0x1000;
  }
  return ipF;
}

/**
 * §5.9: seconds since the flow's previous packet into `s.d` (float32; the seconds subtracted as
 * unsigned 32-bit numbers, so only a step back within a second is negative); returns the
 * ipFlags bits.
 */
export function timing(r: Records, s: Scratch, p: Packet, flow: number): number {
  const p64 = flow * r.w64;
  const p32 = flow * r.w32;
  const nowSec = p.tsSec;
  const nowNs = p.tsNs;
  const d = Math.fround(
    ((nowSec - r.d64[p64 + LAST_SEC]) >>> 0) + (nowNs - r.u32[p32 + LAST_NS]) / 1e9,
  );
  s.d = d;
  s.timeJump = false;
  r.d64[p64 + LAST_SEC] = nowSec;
  r.u32[p32 + LAST_NS] = nowNs;
  if (!(s.fs & 0x0001)) return 0;
  if (d === 0) return 0x4000;
  if (d < 0) {
    s.timeJump = true;
    return 0x8000;
  }
  return 0;
}

/** §5.10: fragment position checks (only for fragments); returns the ipFlags bits. */
export function fragments(r: Records, s: Scratch, p: Packet, flow: number): number {
  const u16 = r.u16;
  const p16 = flow * r.w16;
  const offU = s.offU;
  // IPv6: T2 byte-swaps the offset first.
  const pos = s.v6 ? (((offU & 0xff) << 8) | (offU >>> 8)) & 0x1fff : offU;
  let ipF = 0;
  if (s.mf && p.l3Len < 48) ipF |= 0x0008;
  if (pos - u16[p16 + FRAG_NEXT] > 1) ipF |= 0x0100;
  u16[p16 + FRAG_NEXT] = pos + (((p.l3Len - p.l3HdrLen) & 0xffff) >>> 3);
  if (u16[p16 + FRAG_NEXT] > 0x1fff) ipF |= 0x0010;
  return ipF;
}

/** §5.12: this packet ends a trip of the opposite flow `o`'s last packet. */
export function trip(r: Records, p: Packet, flow: number, o: number): void {
  const f32 = r.f32;
  const u8 = r.u8;
  const o32 = o * r.w32;
  const o8 = o * r.w8;
  // The opposite flow's last packet time: kept in its record too (equal to the core's
  // lastSeen of an IP flow, and already in the cache lines read below).
  const nsDiff = Math.fround(Math.fround(p.tsNs) - Math.fround(r.u32[o32 + LAST_NS]));
  const t = Math.fround(Math.abs((p.tsSec - r.d64[o * r.w64 + LAST_SEC]) + nsDiff / 1e9));
  if (t < f32[o32 + RTT_MIN]) f32[o32 + RTT_MIN] = t;
  if (t > f32[o32 + RTT_MAX]) f32[o32 + RTT_MAX] = t;
  if ((u8[o8 + RTT_STATE] & (RTT_SYN | RTT_SYN_ACK)) && f32[o32 + PKT_CNT] === 1) {
    f32[o32 + RTT_TRIP] = t;
    f32[o32 + RTT_AVG] = t;
  } else {
    // The divisor is this flow's packet count (T2).
    const n = f32[flow * r.w32 + PKT_CNT];
    const m = Math.fround(t - f32[o32 + RTT_AVG]);
    f32[o32 + RTT_AVG] = f32[o32 + RTT_AVG] + Math.fround(m / n);
    const jit = f32[o32 + RTT_JIT];
    f32[o32 + RTT_JIT] = jit + Math.fround(Math.fround(Math.fround(m * m) - jit) / n);
    u8[o8 + RTT_STATE] = RTT_ACK;
  }
}

/** Whether §5.10 applies: FRAG_ANALYZE and a fragment (IPv4 MF or an offset). */
export function wantsFragments(cfg: Config, s: Scratch): boolean {
  return cfg.frag && (s.v6 ? s.offU !== 0 : s.mf || s.offU !== 0);
}
