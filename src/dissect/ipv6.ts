/**
 * IPv6 dissection as T2 0.9.3 does it (spec/dissection.md §4): walks at most five extension
 * or encapsulation headers, then computes lengths from the innermost IPv6 header.
 *
 * @module
 */

import * as S from "../core/flow_status.ts";
import { type DissectContext, P } from "./context.ts";
import { addEthProto, addPppProto, processVlans } from "./link_layer.ts";
import {
  addIpProto,
  addSsdp,
  dissectIPv4,
  dtlsRecords,
  greNoPayload,
  greOptionsEnd,
  minL4Header,
  setPorts,
} from "./ipv4.ts";
import { type Packet, PacketKind } from "./packet.ts";
import { l2tpAt } from "./tunnels.ts";

/** Maximum number of headers walked after the IPv6 header (T2 MAXHDRCNT). */
const MAX_HDR_CNT = 5;

/** Dissect the IPv6 header at `p.l3Off`. */
export function dissectIPv6(p: Packet, d: DissectContext): void {
  const c = d.counters;
  let ip6 = p.l3Off;
  let hdLen = 40;
  let fragHdr = -1;

  p.ethType = 0x86dd;
  p.statusHi |= S.FS_IPV6_PKT_H;
  p.addHdr(P.IPV6);

  // Lengths of the outer IPv6 header.
  const l2HdrLen = (p.l3Off - p.l2Off) & 0xffff;
  p.snapL3Len = (p.snapL2Len - l2HdrLen) & 0xffff;
  const calcL3LenO = (p.rawLen - (p.l3Off - p.start)) & 0xffff;
  const ip6LenO = p.u16(ip6 + 4);
  const l3LenO = (ip6LenO === 0 || ip6LenO + 40 > calcL3LenO) ? calcL3LenO : ip6LenO + 40;
  if (ip6LenO === 0 && calcL3LenO !== 0) p.statusHi |= S.IP_PL_MSMTCH_H;
  p.l2HdrLen = l2HdrLen;
  const l2Len = p.rawLen & 0xffff;
  c.bytesOnWire += l2Len;
  p.l2Len = l2Len;
  p.l3Len = l3LenO;
  if (p.snapL3Len < l3LenO) {
    p.statusHi |= S.L3SNAPLENGTH_H;
    if (!(c.globalWarnHi & S.L3SNAPLENGTH_H)) {
      c.globalWarnHi |= S.L3SNAPLENGTH_H;
      d.warn(
        `Outer -- snapL2Length: ${p.snapL2Len} - snapL3Length: ${p.snapL3Len} - IP length in header: ${l3LenO}`,
      );
    }
  } else if (p.snapL3Len > l3LenO) {
    p.snapL2Len = l2Len;
    p.snapL3Len = l3LenO;
  }

  let nxt = p.u8(ip6 + 6);
  p.l4Proto = nxt;
  let l4HdrOff = 0;

  walk: for (let j = 0; j < MAX_HDR_CNT; j++) {
    p.srcPort = 0;
    p.dstPort = 0;
    const l4 = ip6 + hdLen;
    p.l4Off = l4;
    const l4ToEnd = (p.end - l4) >>> 0;
    l4HdrOff = 0;
    if (l4ToEnd < 8) break;
    switch (nxt) {
      case 4:
        p.l3Off = l4;
        return dissectIPv4(p, d);
      case 0:
      case 60:
        p.addHdr(nxt === 0 ? P.HOPOPTS : P.DSTOPTS);
        if (nxt === 0) p.ip6HopOptsOff = l4;
        else p.ip6DstOptsOff = l4;
        hdLen += (p.u8(l4 + 1) + 1) << 3;
        nxt = p.u8(l4);
        continue;
      case 58:
        p.addHdr(P.ICMPV6);
        l4HdrOff = 8;
        if ((p.statusHi & S.L3SNAPLENGTH_H) && l4ToEnd < 8) p.statusHi |= S.L4HDRSHRTLEN_H;
        break walk;
      case 6:
        p.addHdr(P.TCP);
        if ((p.statusHi & S.L3SNAPLENGTH_H) && l4ToEnd < 20) {
          p.statusHi |= S.L4HDRSHRTLEN_H;
          l4HdrOff = 20;
        } else {
          l4HdrOff = (p.u8(l4 + 12) >> 4) << 2;
        }
        if (l4ToEnd < 20) p.statusHi |= S.L4HDRSHRTLEN_H;
        else {
          setPorts(p, l4);
          addSsdp(p);
        }
        break walk;
      case 136:
      case 17: {
        p.addHdr(nxt === 136 ? P.UDPLITE : P.UDP);
        l4HdrOff = 8;
        setPorts(p, l4);
        dtlsRecords(p, d, l4 + 8);
        if ((p.srcPort === 1701 || p.dstPort === 1701) && l2tpAt(p, d, l4 + 8)) return;
        addSsdp(p);
        break walk;
      }
      case 41:
        p.addHdr(P.IPV6);
        p.statusLo |= S.L3_IPIP;
        if (l4ToEnd < 40) {
          p.statusHi |= S.STPDSCT_H;
          break walk;
        }
        p.l3Off = ip6 = l4;
        nxt = p.u8(ip6 + 6);
        hdLen = 40;
        continue;
      case 43:
        p.addHdr(P.ROUTING);
        nxt = p.u8(l4);
        hdLen += (p.u8(l4 + 1) + 1) << 3;
        continue;
      case 44:
        p.addHdr(P.FRAGHDR);
        fragHdr = l4;
        c.numFragV6Packets++;
        nxt = p.u8(l4);
        hdLen += 8;
        if (fragOffset(p, l4) !== 0) {
          p.l4Off = l4 + 8;
          break walk;
        }
        continue;
      case 47: {
        p.addHdr(P.GRE);
        p.statusLo |= S.L2_GRE;
        const inner = greOptionsEnd(p, l4);
        const gproto = p.u16(l4 + 2);
        if (gproto === 0x86dd) {
          // T2 continues with the inner header without re-reading the next header.
          p.l3Off = ip6 = inner;
          hdLen = 40;
          continue;
        }
        if (gproto === 0x880b) {
          p.addHdr(P.PPP);
          p.statusLo |= S.L2_PPP;
          if (p.u8(inner) === 0xfd) {
            p.addHdr(P.COMP_DATA);
            p.statusHi |= S.PPP_NRHD_H | S.STPDSCT_H;
            break walk;
          }
          if (p.u16(inner + 2) === 0x0057) {
            p.l3Off = ip6 = inner + 4;
            hdLen = 40;
            continue;
          }
          if (!greNoPayload(p, l4)) addPppProto(p, p.u16(inner + 2));
          p.statusHi |= S.STPDSCT_H;
          break walk;
        }
        if (gproto === 0x6558) {
          p.l3Off = ip6 = inner + 14;
          hdLen = 40;
          continue;
        }
        addEthProto(p, gproto);
        p.statusHi |= S.STPDSCT_H;
        break walk;
      }
      case 51:
        p.addHdr(P.AH);
        p.statusLo |= S.L3_IPSEC_AH;
        nxt = p.u8(l4);
        hdLen += (p.u8(l4 + 1) + 2) << 2;
        continue;
      case 97: {
        let hp = p.l3Off + hdLen;
        if ((p.u8(hp) & 0xf0) < 0x30) return; // no flow
        p.addHdr(P.ETHERIP);
        p.addHdr(P.ETH_C);
        p.statusLo |= S.L3_ETHIPF;
        const ie = ((hp - p.l2Off) + 2) & 0xffff;
        p.snapL2Len -= ie;
        p.l2Len = (p.l2Len - ie) & 0xffff;
        p.l2Off = hp + 2;
        hp += 14;
        const shape = processVlans(p, d, hp);
        hp = shape + 2;
        const t = p.u16(shape);
        if (t === 0x86dd) {
          p.l3Off = hp;
          p.addHdr(P.IPV6);
          ip6 = hp;
          hdLen = 40;
          continue;
        }
        if (t === 0x0800) {
          p.l3Off = hp;
          return dissectIPv4(p, d);
        }
        addEthProto(p, t);
        l4HdrOff = 0;
        p.statusHi |= S.STPDSCT_H;
        break walk;
      }
      case 89: {
        p.addHdr(P.OSPF);
        const v = p.u8(l4);
        l4HdrOff = v === 2 ? 24 : 16;
        break walk;
      }
      case 115:
        p.addHdr(P.L2TP);
        p.statusLo |= S.L2_L2TP;
        break walk;
      case 132:
        p.addHdr(P.SCTP);
        p.statusLo |= S.L4_SCTP;
        l4HdrOff = 12;
        if ((p.statusHi & S.L3SNAPLENGTH_H) && l4ToEnd < 12) p.statusHi |= S.L4HDRSHRTLEN_H;
        if (l4ToEnd < 16) p.statusHi |= S.L4HDRSHRTLEN_H;
        else {
          p.srcPort = p.u16(l4);
          p.dstPort = p.u16(l4 + 2);
        }
        break walk;
      case 103: {
        p.addHdr(P.PIM);
        if ((p.u8(l4) & 0x0f) === 1) {
          const pp = l4 + 8;
          const v = p.u8(pp) & 0xf0;
          if (v === 0x40) {
            p.l3Off = pp;
            return dissectIPv4(p, d);
          }
          if (v === 0x60) {
            p.l3Off = ip6 = pp;
            nxt = p.u8(ip6 + 6);
            hdLen = 40;
            continue;
          }
        }
        break walk;
      }
      case 59:
        l4HdrOff = 0;
        break walk;
      default:
        addIpProto(p, nxt);
        break walk;
    }
  }

  // Lengths of the innermost IPv6 header.
  p.l4Proto = nxt;
  p.l3HdrLen = hdLen;
  p.snapL3Len = (p.end - p.l3Off) & 0xffff;
  const calcL3Len = (p.rawLen - (p.l3Off - p.start)) & 0xffff;
  const ip6Len = p.u16(ip6 + 4);
  const l3Len = (ip6Len === 0 || ip6Len + 40 > calcL3Len) ? calcL3Len : ip6Len + 40;
  p.l3Len = l3Len;
  if (ip6Len === 0 && calcL3Len !== 0) p.statusHi |= S.IP_PL_MSMTCH_H;
  const l4ToEnd = p.end - p.l4Off;
  const later = fragHdr >= 0 && fragOffset(p, fragHdr) !== 0;
  if (!later && l4ToEnd < minL4Header(nxt)) p.statusHi |= S.L4HDRSHRTLEN_H;
  if (later) l4HdrOff = 0;
  p.l4HdrLen = l4HdrOff;
  p.l7Len = (l3Len - hdLen - l4HdrOff) & 0xffff;
  p.l7Off = p.l4Off + l4HdrOff;
  if (p.snapL3Len >= l3Len) {
    p.snapL4Len = p.snapL3Len < hdLen ? 0 : l4ToEnd & 0xffff;
    p.snapL7Len = l4HdrOff < p.snapL4Len ? p.snapL4Len - l4HdrOff : 0;
  } else {
    p.snapL4Len = p.snapL3Len < hdLen ? 0 : l4ToEnd & 0xffff;
    const toL7 = (p.l7Off - p.l3Off) & 0xffff;
    p.snapL7Len = p.snapL3Len < toL7 ? 0 : (p.end - p.l7Off) & 0xffff;
  }
  p.len = p.l7Len;

  const a = p.addr;
  for (let i = 0; i < 4; i++) {
    p.u32Into(a, i, ip6 + 8 + 4 * i);
    p.u32Into(a, 4 + i, ip6 + 24 + 4 * i);
  }

  p.ip6FragOff = fragHdr;
  p.firstFragment = !later;
  if (fragHdr >= 0) {
    p.ipId = p.u32(fragHdr + 4);
    p.ipOff = p.u16(fragHdr + 2);
  }
  p.statusLo |= S.L2_IPV6;
  p.kind = PacketKind.IPV6;
}

/** Fragment offset field (in 8-byte units) of the IPv6 fragment header at `frag`. */
function fragOffset(p: Packet, frag: number): number {
  return p.u16(frag + 2) >> 3;
}
